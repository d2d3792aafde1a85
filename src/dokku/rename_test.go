package dokku

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRenameAppStateOntoItself: `dokku apps:rename app app` must keep the
// app's settings and records; copying onto itself and then destroying the
// "old" name had deleted them (issue 15). Cloning onto itself is a no-op too.
func TestRenameAppStateOntoItself(t *testing.T) {
	for _, op := range []struct {
		name string
		fn   func(string, string) error
	}{{"rename", RenameAppState}, {"clone", CloneAppState}} {
		t.Run(op.name, func(t *testing.T) {
			t.Setenv("DOKKU_ROOT", t.TempDir())
			t.Setenv("DOKKU_LIB_ROOT", t.TempDir())
			for _, d := range []string{ConfigDir("app"), DataDir("app")} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(d, "keep"), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := op.fn("app", "app"); err != nil {
				t.Fatalf("%s onto itself: %v", op.name, err)
			}
			for _, d := range []string{ConfigDir("app"), DataDir("app")} {
				if b, err := os.ReadFile(filepath.Join(d, "keep")); err != nil || string(b) != "x" {
					t.Errorf("%s onto itself lost %s/keep: %q, %v", op.name, d, b, err)
				}
			}
		})
	}
}
