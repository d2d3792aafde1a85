package plan

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// TestKindFromEverySource: a backend of the wrong kind for its process
// type is refused the same way whichever source names it (issue 15:
// app.json could do what prodserver:backend refuses), with a warning that
// names the source, and the plan never holds a process of the wrong kind.
func TestKindFromEverySource(t *testing.T) {
	wrong := []struct{ proc, backend, warn string }{
		{"web", "celery-worker", "the web process must run a web server; celery-worker is a worker backend"},
		{"web", "celery-beat", "celery-beat is a scheduler backend"},
		{"release", "gunicorn", "the release process must run a release backend"},
		{"release", "celery-worker", "the release process must run a release backend"},
		{"worker", "migrate", "only the release process may run it"},
	}
	sources := []struct {
		name   string
		source Source
		in     func(proc, b string) Inputs
	}{
		{"operator", SourceOperator, func(proc, b string) Inputs {
			return Inputs{Facts: djangoFacts(), Operator: Operator{Backends: map[string]string{proc: b}}}
		}},
		{"app.json", SourceAppJSON, func(proc, b string) Inputs {
			return Inputs{Facts: djangoFacts(), AppJSON: &Config{Source: SourceAppJSON, Processes: []ProcConfig{{Name: proc, Backend: b}}}}
		}},
		{"settings.py", SourceSettings, func(proc, b string) Inputs {
			return Inputs{Facts: djangoFacts(), Settings: &Config{Source: SourceSettings, Processes: []ProcConfig{{Name: proc, Backend: b}}}}
		}},
		{"app.json release value", SourceAppJSON, func(proc, b string) Inputs {
			if proc != "release" {
				return Inputs{Facts: djangoFacts(), AppJSON: &Config{Source: SourceAppJSON, Processes: []ProcConfig{{Name: proc, Backend: b}}}}
			}
			return Inputs{Facts: djangoFacts(), AppJSON: &Config{Source: SourceAppJSON, Release: b}}
		}},
	}
	for _, s := range sources {
		for _, w := range wrong {
			t.Run(s.name+"/"+w.proc+"="+w.backend, func(t *testing.T) {
				p := Make(s.in(w.proc, w.backend))
				assertKinds(t, p)
				for _, pr := range p.Processes {
					if pr.Name == w.proc && pr.Backend == w.backend {
						t.Errorf("%s runs %s", w.proc, w.backend)
					}
				}
				found := false
				for _, msg := range p.Warnings {
					if strings.Contains(msg, w.warn) && strings.Contains(msg, string(s.source)) && strings.HasPrefix(msg, w.proc+":") {
						found = true
					}
				}
				if !found {
					t.Errorf("no %q warning naming %s: %q", w.warn, s.source, p.Warnings)
				}
			})
		}
	}
}

// assertKinds fails when a managed process runs a backend its process
// type may not run (backend.Fits).
func assertKinds(t *testing.T, p *Plan) {
	t.Helper()
	for _, pr := range p.Processes {
		if !pr.Managed {
			continue
		}
		b, err := backend.Lookup(pr.Backend)
		if err != nil {
			t.Errorf("%s: backend %q: %v", pr.Name, pr.Backend, err)
			continue
		}
		if err := b.Fits(pr.Name); err != nil {
			t.Errorf("%s: %v", pr.Name, err)
		}
	}
}
