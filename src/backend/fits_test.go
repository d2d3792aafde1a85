package backend

import (
	"strings"
	"testing"
)

// TestFits: every backend of every kind against web, release and a worker
// process type; the want column is the rule written out by hand.
func TestFits(t *testing.T) {
	cases := []struct {
		backend, proc, want string // want: "" fits, else a part of the error
	}{
		{"gunicorn", "web", ""},
		{"uvicorn", "web", ""},
		{"daphne", "web", ""},
		{"celery-worker", "web", "the web process must run a web server; celery-worker is a worker backend"},
		{"celery-beat", "web", "celery-beat is a scheduler backend"},
		{"rq-worker", "web", "must run a web server"},
		{"migrate", "web", "must run a web server"},
		{"gunicorn", "release", "the release process must run a release backend, which ends; gunicorn is a wsgi backend"},
		{"celery-worker", "release", "celery-worker is a worker backend"},
		{"celery-beat", "release", "celery-beat is a scheduler backend"},
		{"migrate", "release", ""},
		{"migrate", "worker", "migrate is a release backend, which runs once per deploy; only the release process may run it, not worker"},
		{"celery-worker", "worker", ""},
		{"celery-beat", "beat", ""},
		{"gunicorn", "admin", ""}, // a second web server: a warning at the command, not a refusal
	}
	for _, c := range cases {
		t.Run(c.backend+" as "+c.proc, func(t *testing.T) {
			b, err := Lookup(c.backend)
			if err != nil {
				t.Fatal(err)
			}
			err = b.Fits(c.proc)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("got %v, want an error with %q", err, c.want)
			}
		})
	}
	// Every catalogue entry has exactly one place in the rule.
	for _, b := range All() {
		if (b.Fits("web") == nil) != b.Web || (b.Fits("release") == nil) != (b.Kind == KindRelease) {
			t.Errorf("%s (%s): Fits disagrees with its kind", b.Name, b.Kind)
		}
	}
}
