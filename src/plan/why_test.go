package plan

import (
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
)

// TestDetectedWhy: each detected process says why its backend was chosen.
func TestDetectedWhy(t *testing.T) {
	tests := []struct {
		name string
		f    facts.Facts
		proc string
		want string
	}{
		{"daphne declared", facts.Facts{Django: true, ManagePy: "manage.py", ASGI: "proj.asgi:application", WSGI: "proj.wsgi:application", NeedsASGI: true, ASGIReason: "daphne is a declared dependency", Packages: map[string]string{"django": "", "daphne": ""}},
			"web", "daphne is a declared dependency, so the app is served through ASGI"},
		{"channels installed, uvicorn declared", facts.Facts{Django: true, ManagePy: "manage.py", ASGI: "proj.asgi:application", NeedsASGI: true, ASGIReason: "channels is in INSTALLED_APPS", Packages: map[string]string{"django": "", "uvicorn": ""}},
			"web", "uvicorn is a declared dependency; ASGI because channels is in INSTALLED_APPS"},
		{"no server declared", facts.Facts{Django: true, ManagePy: "manage.py", WSGI: "proj.wsgi:application", Packages: map[string]string{"django": ""}},
			"web", "no server is declared, so prodserver's default gunicorn; WSGI application proj.wsgi:application"},
		{"celery", facts.Facts{Django: true, ManagePy: "manage.py", WSGI: "proj.wsgi:application", Packages: map[string]string{"django": "", "gunicorn": "", "celery": ""}, Queues: []string{facts.QueueCelery}, CeleryApp: "proj", CeleryFile: "proj/celery.py"},
			"worker", "Celery app proj found in proj/celery.py"},
		{"rq queues", facts.Facts{Django: true, ManagePy: "manage.py", WSGI: "proj.wsgi:application", Packages: map[string]string{"django": "", "gunicorn": "", "django-rq": ""}, Queues: []string{facts.QueueRQ}, RQQueues: []string{"high", "low"}},
			"worker", "django-rq is used; RQ_QUEUES lists high, low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			pl := Make(Inputs{Facts: &f, Operator: Operator{Enabled: "auto"}})
			p := pl.Process(tt.proc)
			if p == nil {
				t.Fatalf("no %s in %+v", tt.proc, pl.Processes)
			}
			if p.Why != tt.want {
				t.Errorf("%s (%s) why %q, want %q", tt.proc, p.Backend, p.Why, tt.want)
			}
		})
	}
}
