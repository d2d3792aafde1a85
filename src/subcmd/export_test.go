package subcmd

import (
	"reflect"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// exportFacts is a detected Django project that declares what the
// exported backends need.
func exportFacts() *project.Facts {
	return &project.Facts{
		Django: true, ManagePy: "manage.py", Settings: "proj.settings",
		WSGI: "proj.wsgi:application", ASGI: "proj.asgi:application", CeleryApp: "proj",
	}
}

// fixedSize sizes every process the same, so a count the export drops
// shows as a different number in the re-imported plan.
func fixedSize(string, *backend.Backend, int) (int, int, string) { return 3, 5, "test" }

// TestExportDjangoRoundTrip: PRODUCTION_PROCESSES printed by
// prodserver:export --format django, read back as settings.py, plans the
// same commands and counts. Explicit workers and threads used to be dropped
// when the process also had a boolean or list option or extra args, which
// the dict form of ARGS cannot express.
func TestExportDjangoRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		proc plan.ProcConfig
	}{
		{"counts only", plan.ProcConfig{Name: "web", Backend: "gunicorn", Workers: 4, Threads: 2}},
		{"counts and a scalar option", plan.ProcConfig{Name: "web", Backend: "gunicorn", Workers: 4, Options: []backend.Option{{Key: "timeout", Value: int64(60)}}}},
		{"counts and a boolean option", plan.ProcConfig{Name: "web", Backend: "gunicorn", Workers: 4, Threads: 2, Options: []backend.Option{{Key: "preload", Value: true}}}},
		{"counts and a list option", plan.ProcConfig{Name: "web", Backend: "gunicorn", Workers: 4, Threads: 2, Options: []backend.Option{{Key: "reload-extra-file", Value: []string{"a.txt", "b.txt"}}}}},
		{"counts and args", plan.ProcConfig{Name: "web", Backend: "gunicorn", Workers: 4, Threads: 2, Args: []string{"--max-requests", "100"}}},
		{"threads only and args", plan.ProcConfig{Name: "web", Backend: "gunicorn", Threads: 1, Args: []string{"--reuse-port"}}},
		{"celery concurrency and args", plan.ProcConfig{Name: "worker", Backend: "celery-worker", App: "proj.celery", Workers: 6, Args: []string{"--max-tasks-per-child", "100"}}},
		{"uvicorn-wsgi", plan.ProcConfig{Name: "web", Backend: "uvicorn-wsgi", Options: []backend.Option{{Key: "timeout-keep-alive", Value: int64(5)}}}},
		{"waitress threads and a boolean", plan.ProcConfig{Name: "web", Backend: "waitress", Threads: 12, Options: []backend.Option{{Key: "ipv6", Value: true}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			op := plan.Operator{Enabled: "true", Release: plan.ReleaseNone}
			first := plan.Make(plan.Inputs{Facts: exportFacts(), Operator: op, Concurrency: fixedSize,
				AppJSON: &plan.Config{Source: plan.SourceAppJSON, Processes: []plan.ProcConfig{c.proc}}})
			src := exportDjango(first, 3)
			v, found, err := pyliteral.Lookup([]byte(src), "PRODUCTION_PROCESSES")
			if err != nil || !found {
				t.Fatalf("export is not a readable literal (found=%v, %v):\n%s", found, err, src)
			}
			cfg, warns, err := plan.ProductionProcesses(v)
			if err != nil || len(warns) > 0 {
				t.Fatalf("re-import: %v %q\n%s", err, warns, src)
			}
			again := plan.Make(plan.Inputs{Facts: exportFacts(), Operator: op, Concurrency: fixedSize, Settings: cfg})
			want, got := first.Process(c.proc.Name), again.Process(c.proc.Name)
			if want == nil || got == nil {
				t.Fatalf("process %s missing: first %+v, again %+v\n%s", c.proc.Name, want, got, src)
			}
			type shown struct {
				Command          string
				Workers, Threads int
			}
			if w, g := (shown{want.Command, want.Workers, want.Threads}), (shown{got.Command, got.Workers, got.Threads}); !reflect.DeepEqual(w, g) {
				t.Errorf("round trip changed the process\n got %+v\nwant %+v\nexport:\n%s", g, w, src)
			}
		})
	}
}
