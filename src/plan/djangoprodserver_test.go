package plan

import (
	"reflect"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
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

// TestEveryClassHasABackend: each django-prodserver class prodserver maps
// names a backend of the catalogue, and a process declared with it plans a
// line (UvicornWSGIServer mapped to a backend that did not exist, so the
// process was left out with a warning).
func TestEveryClassHasABackend(t *testing.T) {
	var classes []string
	for _, b := range backend.All() {
		d := b.DjangoProdserver
		for _, c := range append([]string{d.V2, d.V3}, d.Also...) {
			if c != "" {
				classes = append(classes, c)
			}
		}
	}
	if len(classes) < 20 {
		t.Fatalf("only %d django-prodserver classes in the catalogue: %q", len(classes), classes)
	}
	for _, class := range classes {
		t.Run(class, func(t *testing.T) {
			name, _ := backend.ForDjangoClass("django_prodserver.backends." + class)
			b, err := backend.Lookup(name)
			if err != nil {
				t.Fatalf("%s maps to %q: %v", class, name, err)
			}
			proc := "web"
			if !b.Web {
				proc = "worker"
			}
			v := dict(proc, dict("BACKEND", "django_prodserver.backends."+class))
			cfg, warns, err := ProductionProcesses(v)
			if err != nil || len(warns) > 0 {
				t.Fatalf("ProductionProcesses: %v %q", err, warns)
			}
			p := Make(Inputs{Facts: djangoFacts(), Settings: cfg, Operator: Operator{Release: ReleaseNone}})
			got := p.Process(proc)
			if got == nil || !got.Managed || got.Backend != b.Name || got.Source != SourceSettings {
				t.Fatalf("%s: process %+v; warnings %q", proc, got, p.Warnings)
			}
		})
	}
}

// TestUvicornWSGIServer: django-prodserver's UvicornWSGIServer runs uvicorn
// on the WSGI application with --interface=wsgi, as django-prodserver does
// (its prep_server_args adds the WSGI app name and --interface=wsgi).
func TestUvicornWSGIServer(t *testing.T) {
	for _, class := range []string{"uvicorn.UvicornWSGIServer", "servers.uvicorn.UvicornWSGIServer"} {
		t.Run(class, func(t *testing.T) {
			cfg, _, err := ProductionProcesses(dict("web", dict("BACKEND", "django_prodserver.backends."+class)))
			if err != nil {
				t.Fatal(err)
			}
			p := Make(Inputs{Facts: djangoFacts(), Settings: cfg, Operator: Operator{Release: ReleaseNone}})
			const want = "uvicorn --interface=wsgi --host=0.0.0.0 --port=$PORT --workers=1 --proxy-headers '--forwarded-allow-ips=*' proj.wsgi:application"
			if web := p.Process("web"); web == nil || web.Command != want {
				t.Errorf("web = %+v, want command %q; warnings %q", web, want, p.Warnings)
			}
		})
	}
}
