package plan

import (
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
)

// FuzzMerge merges the four sources (issue 15): the operator's backend for
// one process, an app.json, one PRODUCTION_PROCESSES entry and detection
// (its facts switched by bits), over a Procfile. Whatever they say, Make
// gives a plan that keeps or validly rewrites the Procfile (checkPlan) or
// a warning, never a panic, and never a managed process whose backend its
// process type may not run (assertKinds, backend.Fits). `make fuzz` runs
// it; plain `go test` runs the seeds below.
func FuzzMerge(f *testing.F) {
	type s = string
	seeds := []struct {
		opProc, opBackend s
		appJSON           s
		setProc, setBack  s
		facts             uint8
		procfile          s
	}{
		{"web", "celery-worker", `{"prodserver":{"processes":{"release":"gunicorn"}}}`, "web", "celery-beat", 0xff, "web: python manage.py runserver\n"},
		{"release", "uvicorn", `{"prodserver":{"release":"celery-worker"}}`, "release", "rq-worker", 0xff, ""},
		{"worker", "migrate", `{"prodserver":{"processes":{"web":"celery-beat","beat":"gunicorn"}}}`, "worker", "migrate", 0x0f, "worker: celery -A proj worker\n"},
		{"web", "gunicorn", `{"prodserver":{"processes":{"web":"uvicorn"}},"prodserver":{"processes":{"web":"daphne"}}}`, "web", "hypercorn", 0x03, "web: gunicorn proj.wsgi\nrelease: python manage.py migrate\n"},
		{"", "", `{}`, "", "", 0, ""},
		{"beat", "celery-beat", `{"prodserver":{"processes":{"beat":{"backend":"celery-beat","scale":3}}}}`, "beat", "celery-worker", 0xff, "beat: celery -A proj beat\n"},
		{"web", "django-prodserver", `{"prodserver":{"release":"none"}}`, "worker", "django-q", 0x81, "web: ./run\r\nclock: ./clock\r\n"},
	}
	for _, c := range seeds {
		seed(f, c.opProc, c.opBackend, []byte(c.appJSON), c.setProc, c.setBack, c.facts, []byte(c.procfile))
	}
	f.Fuzz(func(t *testing.T, opProc, opBackend string, appJSON []byte, setProc, setBackend string, bits uint8, pf []byte) {
		// Every source checks process names first (the command, app.json
		// and ProductionProcesses: procfile.DNSLabel); the merge starts after.
		for _, name := range []string{opProc, setProc} {
			if name != "" && procfile.DNSLabel(name) != nil {
				return
			}
		}
		in := Inputs{Facts: fuzzFacts(bits), Procfile: pf, Operator: Operator{Enabled: "auto", Backends: map[string]string{}}}
		if opProc != "" {
			in.Operator.Backends[opProc] = opBackend
		}
		if cfg, found, err := AppJSON(appJSON); err == nil && found {
			in.AppJSON = cfg
		}
		if setProc != "" {
			in.Settings = &Config{Source: SourceSettings, Processes: []ProcConfig{{Name: setProc, Backend: setBackend}}}
		}
		checkPlan(t, in)
		assertKinds(t, Make(in))
		in.Operator.Enabled = "true"
		assertKinds(t, Make(in))
	})
}

// fuzzFacts is a Django project with each fact switched on by one bit.
func fuzzFacts(bits uint8) *project.Facts {
	f := &project.Facts{Packages: map[string]string{}}
	on := func(i uint) bool { return bits&(1<<i) != 0 }
	if on(0) {
		f.Django, f.ManagePy, f.Settings = true, "manage.py", "proj.settings"
		f.Packages["django"] = ""
	}
	if on(1) {
		f.WSGI = "proj.wsgi:application"
		f.Packages["gunicorn"] = ""
	}
	if on(2) {
		f.ASGI = "proj.asgi:application"
		f.Packages["uvicorn"] = ""
	}
	if on(3) {
		f.CeleryApp, f.Queues = "proj", []string{project.QueueCelery}
		f.Packages["celery"] = ""
	}
	if on(4) {
		f.CeleryBeat = true
	}
	if on(5) {
		f.ManagePy = ""
	}
	if on(6) {
		f.DependencyFiles = []string{"requirements.txt"}
	}
	return f
}
