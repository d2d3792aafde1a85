package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRead: a FIFO, a directory, a device and a final symlink are refused
// without blocking; a file past the bound is refused; one at it is read.
func TestRead(t *testing.T) {
	d := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(syscall.Mkfifo(filepath.Join(d, "fifo"), 0o644))
	must(os.WriteFile(filepath.Join(d, "at"), make([]byte, 16), 0o644))
	must(os.WriteFile(filepath.Join(d, "past"), make([]byte, 17), 0o644))
	must(os.Symlink("fifo", filepath.Join(d, "link")))
	for _, c := range []struct {
		path string
		want error
	}{
		{filepath.Join(d, "fifo"), ErrNotRegular},
		{filepath.Join(d, "link"), ErrNotRegular},
		{d, ErrNotRegular},
		{"/dev/zero", ErrNotRegular},
		{filepath.Join(d, "missing"), fs.ErrNotExist},
		{filepath.Join(d, "past"), &TooLargeError{}},
		{filepath.Join(d, "at"), nil},
	} {
		b, err := Read(c.path, 16)
		var tl *TooLargeError
		switch {
		case c.want == nil && (err != nil || len(b) != 16):
			t.Errorf("Read(%s) = %d bytes, %v", c.path, len(b), err)
		case errors.As(c.want, &tl) && !errors.As(err, &tl):
			t.Errorf("Read(%s) = %v, want too large", c.path, err)
		case c.want != nil && !errors.As(c.want, &tl) && !errors.Is(err, c.want):
			t.Errorf("Read(%s) = %v, want %v", c.path, err, c.want)
		}
	}
}

// TestInside: every parent is resolved, so a path through a symlinked
// folder (one or two levels up) or with `..` out of the tree is refused even
// when the file does not exist yet.
func TestInside(t *testing.T) {
	root := t.TempDir()
	tree, out := filepath.Join(root, "tree"), filepath.Join(root, "out")
	for _, p := range []string{filepath.Join(tree, "sub"), filepath.Join(out, "b")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range map[string]string{"backend": out, "a": out, "in": "sub", "dangling": "/nonexistent/x"} {
		if err := os.Symlink(target, filepath.Join(tree, name)); err != nil {
			t.Fatal(err)
		}
	}
	for rel, ok := range map[string]bool{
		"Procfile": true, "sub/Procfile": true, "in/Procfile": true, "new/dir/Procfile": true,
		"backend/Procfile": false, "a/b/Procfile": false, "sub/../../out/Procfile": false,
		"../out/Procfile": false, "/etc/passwd": false, "dangling": false,
	} {
		p, err := Inside(tree, rel)
		if ok != (err == nil) || err != nil && !errors.Is(err, ErrOutside) {
			t.Errorf("Inside(%q) = %q, %v; want ok=%v", rel, p, err, ok)
		}
	}
}
