package dokku

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStopTimeout follows plugins/ps/report.go's computed value: the app's
// property, else the global one, else 30.
func TestStopTimeout(t *testing.T) {
	for _, c := range []struct {
		name, app, global string // "" = unset
		want              int
		from, err         string
	}{
		{"default", "", "", 30, "default", ""},
		{"global", "", "45", 45, "global", ""},
		{"app over global", "12\n", "45", 12, "app", ""},
		{"not a number", "soon", "", 30, "default", "dokku ps:set myapp stop-timeout-seconds 30"},
		{"global not a number", "", "-3", 30, "default", "dokku ps:set --global stop-timeout-seconds 30"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			t.Setenv("DOKKU_LIB_ROOT", root)
			for scope, v := range map[string]string{"myapp": c.app, GlobalApp: c.global} {
				if v == "" {
					continue
				}
				dir := filepath.Join(root, "config", "ps", scope)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "stop-timeout-seconds"), []byte(v), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, from, err := StopTimeout("myapp")
			if got != c.want || from != c.from {
				t.Errorf("StopTimeout = %d, %q; want %d, %q", got, from, c.want, c.from)
			}
			if (err != nil) != (c.err != "") || err != nil && !strings.Contains(err.Error(), c.err) {
				t.Errorf("err = %v, want one containing %q", err, c.err)
			}
		})
	}
}
