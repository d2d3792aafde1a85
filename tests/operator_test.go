package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestOperatorSurface (issue 14): set says when it applies; backend APP web
// says what runs and who decided; prodserver:args' own count flag replaces
// the rendered count (one flag) and processes credits it; prodserver:args
// refuses an address for web, and no source's extra words bind web away
// from $PORT.
func TestOperatorSurface(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	r := h.Dokku("prodserver:set", "shop", "workers", "6")
	if r.Code != 0 || !strings.Contains(r.Stdout, "Applies at the next deploy; run `dokku ps:rebuild shop` to apply it now\n") {
		t.Errorf("set does not say when it applies:\n%s", r)
	}
	appJSON := `{"prodserver": {"processes": {"worker": {"backend": "celery-worker", "workers": 3}, "web": {"backend": "gunicorn", "args": ["--bind", "0.0.0.0:80"]}}}}`
	src := tree(t, djangoTree(map[string]string{"app.json": appJSON}))
	d := deployOK(t, h, "shop", src)
	if _, stderr := d.Output(); !strings.Contains(stderr, "web: argument --bind dropped (from app.json or prodserver:args): Dokku routes the web process to 0.0.0.0:$PORT") {
		t.Errorf("no warning for app.json's --bind on web: %q", stderr)
	}
	r = h.Dokku("prodserver:backend", "shop", "web")
	if r.Code != 0 || r.Stdout != "gunicorn\n       Running since the last deploy; decided by app.json\n" {
		t.Errorf("backend shop web:\n%s", r)
	}
	if r := h.Dokku("prodserver:args", "shop", "web", "--skip-deploy", "--", "--bind=0.0.0.0:80"); r.Code != 1 || !strings.Contains(r.Stderr, "The web process cannot take --bind: Dokku routes it to 0.0.0.0:$PORT") {
		t.Errorf("args web --bind not refused:\n%s", r)
	}
	if r := h.Dokku("prodserver:args", "shop", "worker", "--skip-deploy", "--", "--concurrency=9"); r.Code != 0 {
		t.Fatalf("args worker: %s", r)
	}
	r = h.Dokku("prodserver:procfile", "shop")
	if !strings.Contains(r.Stdout, "worker: celery --app=shop.celery worker --loglevel=INFO --concurrency=9 --max-tasks-per-child=1000 --max-memory-per-child=131072\n") {
		t.Errorf("--concurrency=9 does not replace the rendered count:\n%s", r)
	}
	if strings.Contains(r.Stdout, "0.0.0.0:80") {
		t.Errorf("web bound away from $PORT:\n%s", r)
	}
	r = h.Dokku("prodserver:processes", "shop")
	if !strings.Contains(r.Stdout, "9 workers (prodserver:args)") {
		t.Errorf("processes does not credit 9 to prodserver:args:\n%s", r)
	}
	// app.json's per-process workers beat the app-wide workers setting
	// (README, "Concurrency"); the setting sizes the rest.
	if !strings.Contains(r.Stdout, "6 workers (workers setting)") {
		t.Errorf("the workers setting is not credited on web:\n%s", r)
	}
	// With the operator's choice stored but not deployed, both are said.
	if r := h.Dokku("prodserver:backend", "shop", "web", "uvicorn", "--skip-deploy"); r.Code != 0 {
		t.Fatalf("backend web uvicorn: %s", r)
	}
	r = h.Dokku("prodserver:backend", "shop", "web")
	if r.Stdout != "uvicorn\n       Chosen with prodserver:backend; the last deploy runs gunicorn (decided by app.json): the next deploy applies the choice\n" {
		t.Errorf("backend shop web after a stored choice:\n%s", r)
	}
}

// TestScaleZeroAndFormationGaps (issue 14): app.json's "scale": 0 leaves the
// process at 0; under a formation, a managed worker the formation leaves
// out is named in a warning.
func TestScaleZeroAndFormationGaps(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	appJSON := `{"prodserver": {"processes": {"worker": {"backend": "celery-worker", "scale": 0}}}}`
	deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"app.json": appJSON})))
	if got := h.Scale("shop"); got["worker"] != 0 || got["beat"] != 1 {
		t.Errorf("scale %v: want worker=0 (app.json scale 0) and beat=1", got)
	}

	h = harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	d := deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"app.json": `{"formation": {"web": {"quantity": 1}, "beat": {"quantity": 1}}}`})))
	_, stderr := d.Output()
	if !strings.Contains(stderr, ` !     prodserver: worker (celery-worker) is managed but app.json's formation does not scale it, so it does not run; add "worker": {"quantity": 1} to the formation`) {
		t.Errorf("no warning for the worker the formation leaves out: %q", stderr)
	}
	if strings.Contains(stderr, "prodserver: beat (celery-beat) is managed but") {
		t.Errorf("warned for beat, which the formation scales: %q", stderr)
	}
}

// TestDeployLogSaysWhy (issue 14): the deploy log shows each rendered
// command line under its backend and who decided it, and each of the
// user's own lines, marked kept.
func TestDeployLogSaysWhy(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	d := deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"Procfile": "clock: python clock.py\nweb: python manage.py runserver\n"})))
	stdout, _ := d.Output()
	for _, want := range []string{
		"       clock: kept (your Procfile line): python clock.py\n",
		"       web: gunicorn (decided by detected: gunicorn is a declared dependency; WSGI application shop.wsgi:application); replaced Django's development server (runserver), which must not serve production\n",
		"         web: gunicorn --bind=0.0.0.0:$PORT ",
		"       worker: celery-worker (decided by detected: Celery app shop.celery found in shop/celery.py)\n",
		"         worker: celery --app=shop.celery worker --loglevel=INFO --concurrency=",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("deploy log lacks %q:\n%s", want, stdout)
		}
	}
	// prodserver:processes shows the same reasons after the deploy log is gone.
	r := h.Dokku("prodserver:processes", "shop")
	for _, want := range []string{
		"       web: gunicorn is a declared dependency; WSGI application shop.wsgi:application (detected)\n",
		"       worker: Celery app shop.celery found in shop/celery.py (detected)\n",
	} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("prodserver:processes lacks %q:\n%s", want, r.Stdout)
		}
	}
}

// TestReportShowsDetected (issue 12): report's computed values are what
// the last deploy detected when the operator set nothing (not the empty
// default), an operator's value still wins, and the detected process set
// is listed.
func TestReportShowsDetected(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	report := func() map[string]string {
		t.Helper()
		r := h.Dokku("prodserver:report", "shop", "--format", "json")
		var m map[string]string
		if err := json.Unmarshal([]byte(r.Stdout), &m); err != nil {
			t.Fatalf("json: %v\n%s", err, r)
		}
		return m
	}
	if m := report(); m["prodserver-computed-settings-module"] != "" || m["prodserver-detected-processes"] != "" {
		t.Errorf("before any deploy the report shows detected values: %v", m)
	}
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	m := report()
	for k, want := range map[string]string{
		"prodserver-computed-settings-module": "shop.settings",
		"prodserver-computed-app-dir":         ".",
		"prodserver-computed-wsgi":            "shop.wsgi:application",
		"prodserver-computed-celery-app":      "shop.celery",
		"prodserver-settings-module":          "",
	} {
		if m[k] != want {
			t.Errorf("%s = %q, want %q", k, m[k], want)
		}
	}
	if p := m["prodserver-detected-processes"]; !strings.HasPrefix(p, "web=gunicorn ") || !strings.Contains(p, "worker=celery-worker") {
		t.Errorf("detected processes %q", p)
	}
	if r := h.Dokku("prodserver:set", "shop", "settings-module", "shop.settings_prod"); r.Code != 0 {
		t.Fatalf("set: %s", r)
	}
	if got := report()["prodserver-computed-settings-module"]; got != "shop.settings_prod" {
		t.Errorf("an operator's value must win: computed %q", got)
	}
}

// TestProcessesWithoutRecord (issue 14): processes and procfile say exactly
// why there is nothing to show: never deployed, turned off, or a deploy
// prodserver left alone. None says "deploy it first" to a deployed app.
func TestProcessesWithoutRecord(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	want := func(label, msg string) {
		t.Helper()
		for _, cmd := range []string{"prodserver:processes", "prodserver:procfile"} {
			r := h.Dokku(cmd, "shop")
			if r.Code != 1 || r.Stderr != " !     "+msg+"\n" {
				t.Errorf("%s: %s: want exit 1 and %q:\n%s", label, cmd, msg, r)
			}
		}
	}
	want("never deployed", "shop has not been deployed yet: prodserver reads the deployed source; deploy it (git push) first")
	h.Dokku("prodserver:set", "shop", "enabled", "false")
	h.Deploy("shop", tree(t, djangoTree(nil)))
	want("enabled false", "prodserver is turned off for shop (enabled false): deploys leave the Procfile alone; run dokku prodserver:set shop enabled auto, then dokku ps:rebuild shop")
	h.Dokku("prodserver:set", "shop", "enabled", "auto")
	h.Deploy("shop", tree(t, djangoTree(map[string]string{"app.json": "{bad"})))
	want("bad app.json", "The last deploy of shop was not managed by prodserver: its warnings (a bad app.json or Procfile) or no Django project left the Procfile alone; fix that and run dokku ps:rebuild shop")
}
