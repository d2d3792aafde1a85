//go:build unix

package project

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO named like a project file must not hang the deploy: opening one
// for reading blocks until a writer comes.
func TestScanIgnoresFIFOs(t *testing.T) {
	root := writeTree(t, map[string]string{
		"app/manage.py":       manage("app.settings"),
		"app/app/settings.py": "",
		"app/app/wsgi.py":     wsgiPy,
	})
	for _, rel := range []string{"manage.py", "requirements.txt", "app/requirements.txt", "app/app/celery.py"} {
		if err := syscall.Mkfifo(filepath.Join(root, filepath.FromSlash(rel)), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	done := make(chan *Facts, 1)
	go func() {
		f, err := Scan(root, Options{})
		if err != nil {
			t.Error(err)
		}
		done <- f
	}()
	select {
	case f := <-done:
		check{"ManagePy": "app/manage.py", "WSGI": "app.wsgi:application"}.assert(t, f)
	case <-time.After(10 * time.Second):
		t.Fatal("Scan blocked on a FIFO")
	}
}
