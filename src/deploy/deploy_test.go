package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInsideDirSymlinks: a Procfile or app.json that is a symlink leading
// out of the source tree is refused; one inside it is read.
func TestInsideDirSymlinks(t *testing.T) {
	root := t.TempDir()
	work := filepath.Join(root, "work")
	for _, d := range []string{filepath.Join(work, "sub"), filepath.Join(root, "outside")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"Procfile":         filepath.Join(root, "outside", "Procfile"),
		"app.json":         "../outside/app.json",
		"sub/Procfile":     "../../outside/x",
		"inside":           "sub/real",
		"dangling-outside": "/nonexistent/x",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(work, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(root, "outside", "Procfile"), filepath.Join(root, "outside", "app.json"), filepath.Join(root, "outside", "x"), filepath.Join(work, "sub", "real")} {
		if err := os.WriteFile(f, []byte("web: x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for rel, ok := range map[string]bool{
		"Procfile": false, "app.json": false, "sub/Procfile": false, "../outside/Procfile": false,
		"inside": true, "sub/real": true, "missing": true, "dangling-outside": false,
	} {
		p, err := insideDir(work, rel)
		if ok != (err == nil) {
			t.Errorf("insideDir(%q) = %q, %v; want ok=%v", rel, p, err, ok)
		}
		if err != nil && !strings.Contains(err.Error(), "outside the source tree") {
			t.Errorf("insideDir(%q): %v", rel, err)
		}
	}
}
