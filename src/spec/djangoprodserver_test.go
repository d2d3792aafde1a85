package spec

import (
	"reflect"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// TestSettingsArgsCounts: the backend's own count flags in an ARGS string
// or list are counts, as the dict form's workers and threads are; other
// words, and counts out of range, stay words.
func TestSettingsArgsCounts(t *testing.T) {
	for _, c := range []struct {
		name, backend    string
		args             pyliteral.Value
		workers, threads int
		rest             []string
	}{
		{"joined", "gunicorn", "--workers=4 --threads=2 --preload", 4, 2, []string{"--preload"}},
		{"separate", "gunicorn", "--workers 4 --max-requests 100", 4, 0, []string{"--max-requests", "100"}},
		{"list", "gunicorn", []pyliteral.Value{"--threads=1", "--reuse-port"}, 0, 1, []string{"--reuse-port"}},
		{"celery's flag", "celery-worker", "--concurrency=6 --max-tasks-per-child 100", 6, 0, []string{"--max-tasks-per-child", "100"}},
		{"not the backend's flag", "celery-worker", "--workers=6", 0, 0, []string{"--workers=6"}},
		{"out of range", "gunicorn", "--workers=0 --threads=5000", 0, 0, []string{"--workers=0", "--threads=5000"}},
		{"not a number", "gunicorn", "--workers=auto", 0, 0, []string{"--workers=auto"}},
		{"flag last", "gunicorn", "--workers", 0, 0, []string{"--workers"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pc := ProcConfig{Name: "web", Backend: c.backend}
			if err := settingsArgs(&pc, c.args); err != nil {
				t.Fatal(err)
			}
			if pc.Workers != c.workers || pc.Threads != c.threads || !reflect.DeepEqual(pc.Args, c.rest) {
				t.Errorf("workers %d threads %d args %q; want %d %d %q", pc.Workers, pc.Threads, pc.Args, c.workers, c.threads, c.rest)
			}
		})
	}
}
