package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// tree writes files (path -> content) under a fresh folder.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "src")
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// djangoTree is a small Django project with Celery and beat.
func djangoTree(extra map[string]string) map[string]string {
	files := map[string]string{
		"manage.py":        "#!/usr/bin/env python\nimport os, sys\n\ndef main():\n    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings\")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n\nif __name__ == \"__main__\":\n    main()\n",
		"shop/__init__.py": "from .celery import app as celery_app\n",
		"shop/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.contenttypes', 'django_celery_beat']\nWSGI_APPLICATION = 'shop.wsgi.application'\nCELERY_BEAT_SCHEDULE = {'tick': {'task': 'shop.tasks.tick', 'schedule': 60}}\n",
		"shop/wsgi.py":     "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\napplication = get_wsgi_application()\n",
		"shop/celery.py":   "import os\nfrom celery import Celery\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\napp = Celery('shop')\napp.config_from_object('django.conf:settings', namespace='CELERY')\napp.autodiscover_tasks()\n",
		"requirements.txt": "Django==4.2.7\ngunicorn==21.2.0\ncelery[redis]==5.3.4\ndjango-celery-beat==2.5.0\nhuey==2.5.0\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

func limits(h *harness.Host, app string) {
	h.SetResourceLimit(app, "_default_", "cpu", "2")
	h.SetResourceLimit(app, "_default_", "memory", "1g")
}

func deployOK(t *testing.T, h *harness.Host, app, src string) harness.DeployResult {
	t.Helper()
	d := h.Deploy(app, src)
	if d.Failed {
		o, e := d.Output()
		t.Fatalf("deploy failed\n%s\n%s", o, e)
	}
	return d
}

func TestDeployDetected(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	want := "web: gunicorn --bind=0.0.0.0:$PORT --workers=3 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 shop.wsgi:application\n" +
		"worker: celery --app=shop.celery worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=1000 --max-memory-per-child=349184\n" +
		"beat: celery --app=shop.celery beat --loglevel=INFO --scheduler=django_celery_beat.schedulers:DatabaseScheduler\n" +
		"huey: python manage.py run_huey --workers=2\n" +
		"release: python manage.py migrate --noinput\n"
	if d.Procfile != want {
		t.Errorf("Procfile:\n%s\nwant:\n%s", d.Procfile, want)
	}
	scale := h.Scale("shop")
	for proc, n := range map[string]int{"web": 1, "worker": 1, "beat": 1, "huey": 1} {
		if scale[proc] != n {
			t.Errorf("scale %s = %d, want %d (%v)", proc, scale[proc], n, scale)
		}
	}
	if got := strings.TrimSpace(d.DockerArgs["huey"]); got != "--stop-signal=SIGINT" {
		t.Errorf("huey docker args %q", got)
	}
	if got := strings.TrimSpace(d.DockerArgs["worker"]); got != "" {
		t.Errorf("worker docker args %q", got)
	}
	// ps-set-scale got the tuples, with SKIP_DEPLOY=true CLEAR_EXISTING=false.
	found := false
	for _, c := range h.Calls() {
		if strings.HasPrefix(c, "trigger ps ps-set-scale shop true false ") {
			found = true
			for _, pair := range []string{"worker=1", "beat=1", "huey=1"} {
				if !strings.Contains(c, pair) {
					t.Errorf("ps-set-scale lacks %s: %s", pair, c)
				}
			}
			if strings.Contains(c, "web=") || strings.Contains(c, "release=") {
				t.Errorf("ps-set-scale touched web or release: %s", c)
			}
		}
	}
	if !found {
		t.Errorf("ps-set-scale not called: %v", h.Calls())
	}

	// Redeploy: nothing changes, and the operator's scale is kept.
	h.SetScale("shop", map[string]int{"web": 2, "worker": 0, "beat": 1, "huey": 3})
	h.ResetCalls()
	d2 := deployOK(t, h, "shop", d.Work)
	if d2.Procfile != want {
		t.Errorf("second deploy changed the Procfile:\n%s", d2.Procfile)
	}
	for _, c := range h.Calls() {
		if strings.Contains(c, "ps-set-scale") {
			t.Errorf("second deploy rescaled: %s", c)
		}
	}
	if s := h.Scale("shop"); s["worker"] != 0 || s["huey"] != 3 {
		t.Errorf("operator scale overridden: %v", s)
	}
}

// TestDeployUserProcfileKept: the user's own lines survive byte for byte
// (comments, CRLF, a custom clock), runserver is replaced, and the user's
// celery worker is adopted by default (its -l debug kept) or, with adopt
// false, kept as written. Either way its scale is the user's: prodserver
// rewrote a command, not the formation, so it calls no ps-set-scale for it.
func TestDeployUserProcfileKept(t *testing.T) {
	for _, c := range []struct {
		name   string
		adopt  string // the adopt setting; "" leaves the default
		worker string
	}{
		{"adopt default", "", "worker: celery --app=shop worker --loglevel=debug --concurrency=2 --max-tasks-per-child=1000 --max-memory-per-child=349184\r\n"},
		{"adopt false", "false", "worker: celery -A shop worker -l debug\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			if c.adopt != "" {
				if r := h.Dokku("prodserver:set", "shop", "adopt", c.adopt); r.Code != 0 {
					t.Fatal(r)
				}
			}
			user := "# Our processes\r\nweb: python manage.py runserver 0.0.0.0:$PORT\r\n\r\n# the clock\r\nclock: ./bin/clock --every=5s  # custom\r\nworker: celery -A shop worker -l debug\r\nrelease: ./release.sh"
			d := deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"Procfile": user})))
			for _, keep := range []string{
				"# Our processes\r\n",
				"\r\n\r\n# the clock\r\nclock: ./bin/clock --every=5s  # custom\r\n" + c.worker + "release: ./release.sh",
			} {
				if !strings.Contains(d.Procfile, keep) {
					t.Errorf("lost %q:\n%q", keep, d.Procfile)
				}
			}
			if !strings.Contains(d.Procfile, "web: gunicorn --bind=0.0.0.0:$PORT --workers=3 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 shop.wsgi:application\r\n") {
				t.Errorf("runserver not replaced (CRLF kept):\n%q", d.Procfile)
			}
			if !strings.Contains(d.Procfile, "beat: celery --app=shop.celery beat") || !strings.Contains(d.Procfile, "huey: python manage.py run_huey") {
				t.Errorf("missing processes not filled in:\n%q", d.Procfile)
			}
			_, stderr := d.Output()
			if !strings.Contains(stderr, "runserver") {
				t.Errorf("no warning about runserver: %q", stderr)
			}
			// The user's worker line is theirs to scale.
			for _, call := range h.Calls() {
				if strings.Contains(call, "ps-set-scale") && strings.Contains(call, "worker=") {
					t.Errorf("scaled the user's worker: %s", call)
				}
			}
		})
	}
}

func TestDeploySourcesAndPrecedence(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	settings := "SECRET_KEY = 'x'\nWSGI_APPLICATION = 'shop.wsgi.application'\nPRODUCTION_PROCESSES = {\n" +
		"    'web': {'BACKEND': 'django_prodserver.backends.waitress.WaitressServer', 'ARGS': {'threads': 8}},\n" +
		"    'worker': {'BACKEND': 'django_prodserver.backends.celery.CeleryWorker', 'APP': 'shop.celery', 'ARGS': {'concurrency': 3}},\n" +
		"}\n"
	appJSON := `{"prodserver": {"release": "none", "processes": {"web": {"backend": "gunicorn", "options": {"timeout": 60, "preload": true}}}}}`
	files := djangoTree(map[string]string{"shop/settings.py": settings, "app.json": appJSON,
		"shop/asgi.py":     "import os\nfrom django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n",
		"requirements.txt": "Django\ngunicorn\nwaitress\ncelery\nuvicorn\n"})
	src := tree(t, files)

	d := deployOK(t, h, "shop", src)
	want := "web: gunicorn --bind=0.0.0.0:$PORT --workers=3 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --timeout=60 --preload shop.wsgi:application\n" +
		"worker: celery --app=shop.celery worker --loglevel=INFO --concurrency=3 --max-tasks-per-child=1000 --max-memory-per-child=262144\n"
	if d.Procfile != want {
		t.Errorf("app.json over settings.py:\n%s\nwant\n%s", d.Procfile, want)
	}

	// The operator wins over app.json, and a swap changes only that line.
	if r := h.Dokku("prodserver:backend", "shop", "web", "uvicorn"); r.Code != 0 {
		t.Fatal(r)
	}
	if calls := strings.Join(h.Calls(), "\n"); !strings.Contains(calls, "receive-app shop") {
		t.Errorf("backend change did not rebuild a deployed app: %s", calls)
	}
	d = deployOK(t, h, "shop", src)
	lines := strings.Split(d.Procfile, "\n")
	if !strings.HasPrefix(lines[0], "web: uvicorn ") || lines[1] != strings.Split(want, "\n")[1] {
		t.Errorf("after swap:\n%s", d.Procfile)
	}
	r := h.Dokku("prodserver:processes", "shop", "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &rows); err != nil {
		t.Fatalf("processes json: %v\n%s", err, r)
	}
	sources := map[string]string{}
	for _, row := range rows {
		sources[row["name"].(string)] = row["source"].(string) + "/" + row["backend"].(string)
	}
	if sources["web"] != "operator/uvicorn" || sources["worker"] != "settings.py/celery-worker" {
		t.Errorf("who decided: %v", sources)
	}

	// --clear hands it back to app.json.
	if r := h.Dokku("prodserver:backend", "shop", "web", "--clear", "--skip-deploy"); r.Code != 0 {
		t.Fatal(r)
	}
	if r := h.Dokku("prodserver:procfile", "shop"); r.Code != 0 || !strings.Contains(r.Stdout, "web: gunicorn") || !strings.Contains(r.Stdout, "~ web: gunicorn") {
		t.Errorf("procfile after clear: %s", r)
	}
}

func TestDeployNonDjangoSilent(t *testing.T) {
	h := harness.New(t)
	apps := map[string]map[string]string{
		"node":   {"package.json": `{"name":"x","scripts":{"start":"node server.js"}}`, "Procfile": "web: node server.js\n", "node_modules/django/manage.py": "# not ours\n"},
		"static": {"index.html": "<h1>hi</h1>", ".static": ""},
		"golang": {"go.mod": "module x\n", "main.go": "package main\nfunc main(){}\n", "Procfile": "web: ./x\r\n"},
		// Python, but not Django; and app.json without a prodserver section.
		"flask":  {"requirements.txt": "Flask==3.0\ngunicorn\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n", "Procfile": "web: gunicorn app:app\n"},
		"nodejs": {"package.json": "{}", "app.json": `{"scripts": {"dokku": {"predeploy": "npm run migrate"}}, "formation": {"web": {"quantity": 2}}}`, "Procfile": "web: npm start"},
	}
	for name, files := range apps {
		h.CreateApp(name)
		src := tree(t, files)
		before := harness.Snapshot(t, src)
		libBefore := harness.Snapshot(t, filepath.Join(h.Lib, "data", "prodserver"))
		d := deployOK(t, h, name, src)
		for _, s := range d.Steps {
			// The stand-ins print nothing either: every step is silent.
			if s.Stdout+s.Stderr != "" || s.Code != 0 {
				t.Errorf("%s: %s exit %d printed %q %q", name, s.Trigger, s.Code, s.Stdout, s.Stderr)
			}
		}
		if _, err := os.Stat(filepath.Join(h.Lib, "config", "prodserver", name)); err == nil {
			t.Errorf("%s: prodserver properties created", name)
		}
		if diff := harness.Diff(before, harness.Snapshot(t, d.Work)); len(diff) > 0 {
			t.Errorf("%s: source changed: %v", name, diff)
		}
		if diff := harness.Diff(libBefore, harness.Snapshot(t, filepath.Join(h.Lib, "data", "prodserver"))); len(diff) > 0 {
			t.Errorf("%s: prodserver state written: %v", name, diff)
		}
		for _, c := range h.Calls() {
			// app-json's formation scale is "ps-set-scale APP true true";
			// prodserver's would be "... true false".
			if strings.Contains(c, "ps-set-scale "+name+" true false") || strings.Contains(c, "config-get") || strings.Contains(c, "resource-get") {
				t.Errorf("%s: prodserver called %s", name, c)
			}
		}
		h.ResetCalls()
	}
}

func TestDeployBadInputLeavesProcfile(t *testing.T) {
	cases := map[string]map[string]string{
		"broken app.json":     {"app.json": `{"prodserver": {"processes": `},
		"wrong app.json type": {"app.json": `{"prodserver": {"processes": {"web": {"backend": 3}}}}`},
		"duplicate Procfile":  {"Procfile": "web: a\nweb: b\n"},
		"conflict markers":    {"Procfile": "<<<<<<< HEAD\nweb: a\n=======\nweb: b\n>>>>>>> x\n"},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			files := djangoTree(extra)
			if _, ok := extra["Procfile"]; !ok {
				files["Procfile"] = "web: gunicorn shop.wsgi\n"
			}
			src := tree(t, files)
			d := h.Deploy("shop", src)
			_, stderr := d.Output()
			if !strings.Contains(stderr, "prodserver") || strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Errorf("want one clear warning, got %q", stderr)
			}
			got, _ := os.ReadFile(filepath.Join(d.Work, "Procfile"))
			if string(got) != files["Procfile"] {
				t.Errorf("Procfile changed:\n%s", got)
			}
		})
	}
}

func TestDeployStrictFails(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	if r := h.Dokku("prodserver:set", "shop", "strict", "true"); r.Code != 0 {
		t.Fatal(r)
	}
	files := djangoTree(map[string]string{"requirements.txt": "Django\n", "Procfile": "clock: ./clock\n"})
	d := h.Deploy("shop", tree(t, files))
	if !d.Failed {
		t.Fatal("strict deploy with undeclared gunicorn should fail")
	}
	_, stderr := d.Output()
	if !strings.Contains(stderr, "gunicorn") {
		t.Errorf("stderr %q", stderr)
	}
	got, _ := os.ReadFile(filepath.Join(d.Work, "Procfile"))
	if string(got) != "clock: ./clock\n" {
		t.Errorf("Procfile changed on a failed strict deploy: %q", got)
	}
}

func TestDeployProcfilePathAndFormation(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	h.WriteFile(filepath.Join(h.Lib, "config", "ps", "shop", "procfile-path"), []byte("deploy/Procfile.prod"))
	files := djangoTree(map[string]string{"deploy/Procfile.prod": "clock: ./clock\n", "Procfile": "web: untouched\n"})
	// app.json formation: app-json sets the scale and ps-can-scale false.
	files["app.json"] = `{"formation": {"web": {"quantity": 1}, "beat": {"quantity": 2}}}`
	d := deployOK(t, h, "shop", tree(t, files))
	got, _ := os.ReadFile(filepath.Join(d.Work, "Procfile"))
	if string(got) != "web: untouched\n" {
		t.Errorf("root Procfile touched: %q", got)
	}
	if !strings.HasPrefix(d.Procfile, "clock: ./clock\nweb: gunicorn") {
		t.Errorf("procfile-path not honoured:\n%s", d.Procfile)
	}
	for _, c := range h.Calls() {
		if strings.Contains(c, "ps-set-scale shop true false") {
			t.Errorf("scaled despite formation: %s", c)
		}
	}
	if _, stderr := d.Output(); !strings.Contains(stderr, "beat") || !strings.Contains(stderr, "exactly once") {
		t.Errorf("no singleton warning under formation: %q", stderr)
	}
}

func TestDeploySingletonHeld(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	src := tree(t, djangoTree(nil))
	deployOK(t, h, "shop", src)
	h.SetScale("shop", map[string]int{"web": 1, "worker": 1, "beat": 3, "huey": 1})
	d := deployOK(t, h, "shop", src)
	if s := h.Scale("shop"); s["beat"] != 1 {
		t.Errorf("beat scale %d", s["beat"])
	}
	if _, stderr := d.Output(); !strings.Contains(stderr, "beat") || !strings.Contains(stderr, "from 3 to 1") {
		t.Errorf("no warning: %q", stderr)
	}
}

func TestDeployDisabled(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	if r := h.Dokku("prodserver:set", "shop", "enabled", "false"); r.Code != 0 {
		t.Fatal(r)
	}
	src := tree(t, djangoTree(map[string]string{"Procfile": "web: python manage.py runserver\n"}))
	d := deployOK(t, h, "shop", src)
	if d.Procfile != "web: python manage.py runserver\n" {
		t.Errorf("disabled app's Procfile changed: %q", d.Procfile)
	}
	o, e := d.Output()
	if strings.Contains(o+e, "prodserver") {
		t.Errorf("disabled app: output %q %q", o, e)
	}
}

func TestExport(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	files := djangoTree(map[string]string{"app.json": `{"prodserver":{"processes":{"web":{"backend":"gunicorn","options":{"timeout":30}},"worker":{"backend":"celery-worker","app":"shop","scale":2}}}}`})
	deployOK(t, h, "shop", tree(t, files))
	r := h.Dokku("prodserver:export", "shop")
	var doc struct {
		Prodserver struct {
			Release   string                    `json:"release"`
			Processes map[string]map[string]any `json:"processes"`
		} `json:"prodserver"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("export json: %v\n%s", err, r)
	}
	p := doc.Prodserver.Processes
	if p["web"]["backend"] != "gunicorn" || p["worker"]["app"] != "shop" || p["worker"]["scale"] != float64(2) || p["beat"]["backend"] != "celery-beat" {
		t.Errorf("export: %s", r.Stdout)
	}
	if doc.Prodserver.Release != "migrate" {
		t.Errorf("release %q", doc.Prodserver.Release)
	}
	// Round trip: the export deployed as app.json gives the same Procfile.
	first := h.Deploy("shop", tree(t, files)).Procfile
	files["app.json"] = r.Stdout
	h2 := harness.New(t)
	h2.CreateApp("shop")
	limits(h2, "shop")
	if again := deployOK(t, h2, "shop", tree(t, files)).Procfile; again != first {
		t.Errorf("export round trip:\n%s\n---\n%s", first, again)
	}
	r = h.Dokku("prodserver:export", "shop", "--format", "django")
	for _, want := range []string{"PRODUCTION_PROCESSES = {", `"BACKEND": "django_prodserver.backends.gunicorn.GunicornServer"`, `"APP": "shop"`} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("django export lacks %s:\n%s", want, r.Stdout)
		}
	}
}

func TestDeployConcurrencyFromLimits(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")                                   // every process: 2 CPUs, 1 GB
	h.SetResourceLimit("shop", "web", "cpu", "1")       // web: 1 CPU ...
	h.SetResourceLimit("shop", "web", "memory", "768m") // ... and 768 MB
	src := tree(t, djangoTree(nil))
	d := deployOK(t, h, "shop", src)
	for _, want := range []string{
		"web: gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 shop.wsgi:application", // min(1+1, 768/256) gthread workers
		"worker: celery --app=shop.celery worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=1000 --max-memory-per-child=349184",                                                                                          // one per core, 2 CPUs; children recycled at 1 GB / 3
	} {
		if !strings.Contains(d.Procfile, want+"\n") {
			t.Errorf("Procfile lacks %q:\n%s", want, d.Procfile)
		}
	}
	r := h.Dokku("prodserver:processes", "shop")
	if !strings.Contains(r.Stdout, "2 workers × 8 threads (min(cores+1, MB/256) × 8 threads from resource:limit: 1 CPU, 768 MB)") {
		t.Errorf("processes does not say where the numbers came from:\n%s", r.Stdout)
	}
	// One thread is gunicorn's sync worker, sized by Heroku's formula:
	// min(2×1+1, 768/256) = 3.
	set := func(key, value string) {
		t.Helper()
		if r := h.Dokku("prodserver:set", "shop", key, value); r.Code != 0 {
			t.Fatal(r)
		}
	}
	set("threads", "1")
	d = deployOK(t, h, "shop", src)
	if want := "web: gunicorn --bind=0.0.0.0:$PORT --workers=3 --threads=1 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 shop.wsgi:application\n"; !strings.Contains(d.Procfile, want) {
		t.Errorf("threads 1 should give Heroku-sized sync workers, want %q:\n%s", want, d.Procfile)
	}
	// An explicit threads setting is kept; the processes are still sized.
	set("threads", "16")
	d = deployOK(t, h, "shop", src)
	if want := "web: gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=16 --worker-connections=32 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 shop.wsgi:application\n"; !strings.Contains(d.Procfile, want) {
		t.Errorf("threads setting ignored, want %q:\n%s", want, d.Procfile)
	}
	r = h.Dokku("prodserver:processes", "shop")
	if !strings.Contains(r.Stdout, "2 workers (min(cores+1, MB/256) from resource:limit: 1 CPU, 768 MB) × 16 threads (threads setting)") {
		t.Errorf("processes does not say where each number came from:\n%s", r.Stdout)
	}
	// An explicit workers setting wins over the computed count, and keeps
	// the threads; task workers take it as their concurrency.
	if r := h.Dokku("prodserver:set", "shop", "threads"); r.Code != 0 { // unset
		t.Fatal(r)
	}
	set("workers", "7")
	d = deployOK(t, h, "shop", src)
	if !strings.Contains(d.Procfile, "--workers=7 --threads=8 ") || !strings.Contains(d.Procfile, "--concurrency=7 --max-tasks-per-child=1000 --max-memory-per-child=131072\n") {
		t.Errorf("workers setting ignored:\n%s", d.Procfile)
	}
}

// TestDeploySettingsModuleProperty: the operator's settings-module decides
// which settings detection reads (and wins over the app's config).
func TestDeploySettingsModuleProperty(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	h.SetConfig("shop", map[string]string{"DJANGO_SETTINGS_MODULE": "shop.settings"})
	files := djangoTree(map[string]string{
		"shop/prod.py":      "from .settings import *\nWSGI_APPLICATION = 'shop.wsgi_prod.application'\n",
		"shop/wsgi_prod.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
	})
	if r := h.Dokku("prodserver:set", "shop", "settings-module", "shop.prod"); r.Code != 0 {
		t.Fatal(r)
	}
	d := deployOK(t, h, "shop", tree(t, files))
	if !strings.Contains(d.Procfile, " shop.wsgi_prod:application\n") {
		t.Errorf("settings-module not used by detection:\n%s", d.Procfile)
	}
}

// TestDeploySettingsModuleFromConfig: DJANGO_SETTINGS_MODULE set with
// config:set decides which settings detection reads, wherever the running
// Dokku keeps the app's ENV (0.38.26 moved it to
// $DOKKU_LIB_ROOT/config/APP/ENV; it was ignored there before this fix).
func TestDeploySettingsModuleFromConfig(t *testing.T) {
	files := djangoTree(map[string]string{
		"shop/prod.py":      "from .settings import *\nWSGI_APPLICATION = 'shop.wsgi_prod.application'\n",
		"shop/wsgi_prod.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
	})
	cases := []struct {
		name string
		set  func(h *harness.Host, app string, kv map[string]string)
	}{
		{"Dokku 0.38.26+", (*harness.Host).SetConfig},
		{"Dokku before 0.38.26", (*harness.Host).SetLegacyConfig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			c.set(h, "shop", map[string]string{"DJANGO_SETTINGS_MODULE": "shop.prod"})
			d := deployOK(t, h, "shop", tree(t, files))
			if !strings.Contains(d.Procfile, " shop.wsgi_prod:application\n") {
				t.Errorf("config:set DJANGO_SETTINGS_MODULE not honoured:\n%s", d.Procfile)
			}
		})
	}
}

// TestDeployAppJSONC: Dokku parses app.json as JSONC since 0.37 (hujson:
// comments, trailing commas), so prodserver honours such a file's
// prodserver section instead of refusing it as "not valid JSON".
func TestDeployAppJSONC(t *testing.T) {
	cases := []struct{ name, appJSON string }{
		{"line comment", "{\n  // the web server\n  \"prodserver\": {\"processes\": {\"web\": {\"backend\": \"waitress\"}}}\n}\n"},
		{"block comment and trailing commas", "{/* prod */ \"prodserver\": {\"processes\": {\"web\": {\"backend\": \"waitress\",},},},}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			d := deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"app.json": c.appJSON})))
			if !strings.HasPrefix(d.Procfile, "web: waitress-serve ") {
				t.Errorf("JSONC app.json's prodserver section ignored:\n%s", d.Procfile)
			}
			if _, stderr := d.Output(); strings.Contains(stderr, "not valid JSON") {
				t.Errorf("JSONC refused: %s", stderr)
			}
		})
	}
}

// TestExportDetectedCeleryApp: with nothing declared, detection finds the
// Celery app; both exports carry it, since django-prodserver's CeleryWorker
// and CeleryBeat cannot start without APP.
func TestExportDetectedCeleryApp(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if !strings.Contains(d.Procfile, "--app=shop.celery ") {
		t.Fatalf("detection did not find the Celery app:\n%s", d.Procfile)
	}
	r := h.Dokku("prodserver:export", "shop", "--format", "django")
	for _, proc := range []string{"worker", "beat"} {
		block := r.Stdout[strings.Index(r.Stdout, `"`+proc+`": {`):]
		block = block[:strings.Index(block, "},")]
		if !strings.Contains(block, `"APP": "shop.celery"`) {
			t.Errorf("django export of %s lacks the detected APP:\n%s", proc, r.Stdout)
		}
	}
	r = h.Dokku("prodserver:export", "shop")
	var doc struct {
		Prodserver struct {
			Processes map[string]map[string]any `json:"processes"`
		} `json:"prodserver"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("export json: %v\n%s", err, r)
	}
	if doc.Prodserver.Processes["worker"]["app"] != "shop.celery" {
		t.Errorf("json export lacks the detected app: %s", r.Stdout)
	}
}

// TestDeployBuilderDetected: the harness picks the builder as Dokku does
// (builder:set app then global, else .buildpacks or BUILDPACK_URL →
// herokuish, project.toml → pack, Dockerfile → dockerfile, else
// herokuish), prodserver's triggers get it, and prodserver's own
// prediction, made in core-post-extract before Dokku asks builder-detect,
// is the same and is kept in deploy.json with its reason.
func TestDeployBuilderDetected(t *testing.T) {
	cases := []struct {
		name   string
		extra  map[string]string
		set    string
		global string
		config map[string]string
		want   string
		reason string
	}{
		{"plain", nil, "", "", nil, "herokuish", "Dokku's default"},
		{"Dockerfile", map[string]string{"Dockerfile": "FROM scratch\n"}, "", "", nil, "dockerfile", "a Dockerfile at the build root"},
		{"project.toml", map[string]string{"project.toml": "", "Dockerfile": "FROM scratch\n"}, "", "", nil, "pack", "project.toml"},
		{".buildpacks", map[string]string{".buildpacks": "x\n", "Dockerfile": "FROM scratch\n"}, "", "", nil, "herokuish", ".buildpacks"},
		{"BUILDPACK_URL config", map[string]string{"Dockerfile": "FROM scratch\n"}, "", "", map[string]string{"BUILDPACK_URL": "https://example.com/bp.git"}, "herokuish", "BUILDPACK_URL in the app's config"},
		{"builder:set", map[string]string{"Dockerfile": "FROM scratch\n"}, "herokuish", "", nil, "herokuish", "builder:set"},
		{"builder:set --global", nil, "", "dockerfile", nil, "dockerfile", "builder:set --global"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			if c.set != "" {
				h.WriteFile(filepath.Join(h.Lib, "config", "builder", "shop", "selected"), []byte(c.set))
			}
			if c.global != "" {
				h.WriteFile(filepath.Join(h.Lib, "config", "builder", "--global", "selected"), []byte(c.global))
			}
			if c.config != nil {
				h.SetConfig("shop", c.config)
			}
			d := deployOK(t, h, "shop", tree(t, djangoTree(c.extra)))
			if d.Builder != c.want {
				t.Errorf("builder %q, want %q", d.Builder, c.want)
			}
			want := "post-release-builder " + c.want + " shop"
			if calls := strings.Join(h.Calls(), "\n"); !strings.Contains(calls, want) {
				t.Errorf("triggers not given the builder (%s):\n%s", want, calls)
			}
			b, err := os.ReadFile(filepath.Join(h.Lib, "data", "prodserver", "shop", "deploy.json"))
			if err != nil {
				t.Fatal(err)
			}
			var rec struct {
				Build struct{ Builder, Reason string } `json:"build"`
			}
			if err := json.Unmarshal(b, &rec); err != nil {
				t.Fatal(err)
			}
			if rec.Build.Builder != d.Builder || !strings.Contains(rec.Build.Reason, c.reason) {
				t.Errorf("deploy.json build = %+v, want builder %q (Dokku's choice) with a reason naming %q", rec.Build, d.Builder, c.reason)
			}
			if out, _ := d.Output(); !strings.Contains(out, "builder: "+c.want) {
				t.Errorf("deploy log does not name the builder:\n%s", out)
			}
		})
	}
}

// TestDeploySettingValues: each documented value of release and wsgi, set
// with prodserver:set, does what the README says at the next deploy, and a
// global release ranks below app.json (operator > app.json > settings.py >
// detected > global).
func TestDeploySettingValues(t *testing.T) {
	const (
		web       = "web: gunicorn --bind=0.0.0.0:$PORT --workers=3 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 shop.wsgi:application\n"
		migrate   = "release: python manage.py migrate --noinput\n"
		collect   = migrate // migrate-collectstatic runs migrate alone, and warns (moved)
		moved     = "release: release migrate-collectstatic (from %s) now runs migrate only"
		noRelAJ   = `{"prodserver": {"release": "none"}}`
		migrAJ    = `{"prodserver": {"release": "migrate"}}`
		collAJ    = `{"prodserver": {"release": "migrate-collectstatic"}}`
		noRelease = "release:"
	)
	for _, c := range []struct {
		name    string
		set     [][]string // prodserver:set arguments, in order
		appJSON string
		want    []string // lines the Procfile holds
		not     []string // substrings it must not hold
		warn    string   // the source a migrate-collectstatic warning names, "" for none
	}{
		{name: "release migrate-collectstatic", set: [][]string{{"shop", "release", "migrate-collectstatic"}}, want: []string{web, collect}, not: []string{"collectstatic"}, warn: "operator"},
		{name: "release migrate", set: [][]string{{"shop", "release", "migrate"}}, want: []string{web, migrate}},
		{name: "release none", set: [][]string{{"shop", "release", "none"}}, want: []string{web}, not: []string{noRelease}},
		{name: "app.json migrate-collectstatic", appJSON: collAJ, want: []string{web, collect}, not: []string{"collectstatic"}, warn: "app.json"},
		{name: "app release beats app.json", set: [][]string{{"shop", "release", "migrate"}}, appJSON: collAJ, want: []string{web, migrate}},
		{name: "app.json beats global none", set: [][]string{{"--global", "release", "none"}}, appJSON: migrAJ, want: []string{web, migrate}},
		{name: "app.json none beats global", set: [][]string{{"--global", "release", "migrate-collectstatic"}}, appJSON: noRelAJ, want: []string{web}, not: []string{noRelease}},
		{name: "global fills when app.json is silent", set: [][]string{{"--global", "release", "migrate-collectstatic"}}, want: []string{web, collect}, not: []string{"collectstatic"}, warn: "global"},
		{name: "wsgi dotted form", set: [][]string{{"shop", "wsgi", "shop.wsgi.application"}}, want: []string{web, migrate}},
		{name: "wsgi module:attr", set: [][]string{{"shop", "wsgi", "shop.wsgi:application"}}, want: []string{web, migrate}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			for _, args := range c.set {
				if r := h.Dokku("prodserver:set", args...); r.Code != 0 {
					t.Fatalf("prodserver:set %q: %s", args, r)
				}
			}
			files := djangoTree(nil)
			if c.appJSON != "" {
				files["app.json"] = c.appJSON
			}
			d := deployOK(t, h, "shop", tree(t, files))
			for _, w := range c.want {
				if !strings.Contains(d.Procfile, w) {
					t.Errorf("Procfile lacks %q:\n%s", w, d.Procfile)
				}
			}
			for _, n := range c.not {
				if strings.Contains(d.Procfile, n) {
					t.Errorf("Procfile holds %q:\n%s", n, d.Procfile)
				}
			}
			out, errOut := d.Output()
			if got, want := strings.Contains(out+errOut, "now runs migrate only"), c.warn != ""; got != want {
				t.Errorf("migrate-collectstatic warning shown: %v, want %v\n%s\n%s", got, want, out, errOut)
			}
			if c.warn != "" && !strings.Contains(out+errOut, fmt.Sprintf(moved, c.warn)) {
				t.Errorf("deploy log lacks %q:\n%s\n%s", fmt.Sprintf(moved, c.warn), out, errOut)
			}
		})
	}
}

// TestExportRoundTrip: what prodserver:export prints, deployed as the app's
// own config on a fresh host (app.json for --format json, settings.py's
// PRODUCTION_PROCESSES for --format django), gives the same Procfile.
func TestExportRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name, appJSON string
		django        bool // PRODUCTION_PROCESSES carries no release: compare it too only when it is the default
	}{
		// A list option survives deploy.json with its type (it once loaded
		// as []any, which rendering refused, and the replan dropped it).
		{"list option", `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "options": {"reload-extra-file": ["a.txt", "b.txt"], "timeout": 30}}}}}`, false},
		{"counts beside a flag and args", `{"prodserver": {"processes": {
			"web": {"backend": "gunicorn", "workers": 4, "threads": 2, "options": {"preload": true}, "args": ["--max-requests", "100"]},
			"worker": {"backend": "celery-worker", "app": "shop.celery", "workers": 6, "args": ["--max-tasks-per-child", "100"]}}}}`, true},
		{"uvicorn-wsgi", `{"prodserver": {"processes": {"web": {"backend": "uvicorn-wsgi", "options": {"timeout-keep-alive": 5}}}}}`, true},
		{"release migrate-collectstatic", `{"prodserver": {"release": "migrate-collectstatic", "processes": {"web": "waitress"}}}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			files := djangoTree(map[string]string{"app.json": c.appJSON,
				"requirements.txt": "Django\ngunicorn\ncelery\ndjango-celery-beat\nhuey\nuvicorn\nwaitress\n"})
			first := deployOK(t, h, "shop", tree(t, files)).Procfile
			formats := []string{"json"}
			if c.django {
				formats = append(formats, "django")
			}
			for _, format := range formats {
				r := h.Dokku("prodserver:export", "shop", "--format", format)
				if r.Code != 0 {
					t.Fatalf("export --format %s: %s", format, r)
				}
				again := djangoTree(map[string]string{"requirements.txt": files["requirements.txt"]})
				if format == "json" {
					again["app.json"] = r.Stdout
				} else {
					again["shop/settings.py"] += r.Stdout
				}
				h2 := harness.New(t)
				h2.CreateApp("shop")
				limits(h2, "shop")
				if got := deployOK(t, h2, "shop", tree(t, again)).Procfile; got != first {
					t.Errorf("--format %s round trip:\n%s\n--- first deploy:\n%s\n--- export:\n%s", format, got, first, r.Stdout)
				}
			}
		})
	}
}

// TestDeployRewriteIsWhatPsCopies: prodserver rewrites the Procfile in
// core-post-extract, before ps copies it (plugn's order: app-json,
// prodserver, ps), so ps's copy, which is what deploys, is the rewritten
// file byte for byte.
func TestDeployRewriteIsWhatPsCopies(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	d := deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"Procfile": "# mine\nclock: ./clock\n"})))
	rewritten, err := os.ReadFile(filepath.Join(d.Work, "Procfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rewritten), "web: gunicorn") || d.Procfile != string(rewritten) {
		t.Errorf("ps copied\n%s\nbut prodserver wrote\n%s", d.Procfile, rewritten)
	}
	var order []string
	for _, c := range h.Calls() {
		if f := strings.Fields(c); len(f) > 2 && f[2] == "core-post-extract" {
			order = append(order, f[1])
		}
	}
	if strings.Join(order, " ") != "app-json prodserver ps" {
		t.Errorf("core-post-extract order %v, want app-json prodserver ps", order)
	}
}

// TestDeployWebStaysOnPort: an address option for the web process, from
// any source, is dropped with a warning: Dokku routes to 0.0.0.0:$PORT,
// and app.json's `"bind": ["80"]` once rendered --bind=80.
func TestDeployWebStaysOnPort(t *testing.T) {
	cases := []struct{ name, appJSON, dropped string }{
		{"gunicorn bind list", `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "options": {"bind": ["80"]}}}}}`, "bind"},
		{"uvicorn port", `{"prodserver": {"processes": {"web": {"backend": "uvicorn", "options": {"port": 8000}}}}}`, "port"},
		{"uvicorn host", `{"prodserver": {"processes": {"web": {"backend": "uvicorn", "options": {"host": "127.0.0.1"}}}}}`, "host"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			d := deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"app.json": c.appJSON, "shop/asgi.py": "application = None\n"})))
			web := strings.SplitN(d.Procfile, "\n", 2)[0]
			if !strings.Contains(web, "$PORT") || strings.Contains(web, "=80 ") || strings.Contains(web, "8000") || strings.Contains(web, "127.0.0.1") {
				t.Errorf("web line bound away from $PORT: %s", web)
			}
			if _, stderr := d.Output(); !strings.Contains(stderr, "option "+c.dropped+" dropped") {
				t.Errorf("no warning for the dropped %s: %q", c.dropped, stderr)
			}
		})
	}
}

// TestDeployUvicornFollowsProxyKeepalive: standalone uvicorn's web process
// is sized by how Dokku's nginx reaches it, read at deploy as nginx-vhosts
// computes proxy-keepalive (the app's value, else the global one): one
// process per core when nginx opens a new connection per request, one when
// it keeps them alive (docs/benchmarks.md). processes says why.
func TestDeployUvicornFollowsProxyKeepalive(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop") // 2 CPUs, 1 GB
	src := tree(t, djangoTree(map[string]string{
		"shop/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.contenttypes']\nASGI_APPLICATION = 'shop.asgi.application'\n",
		"shop/__init__.py": "",
		"shop/asgi.py":     "import os\nfrom django.core.asgi import get_asgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\napplication = get_asgi_application()\n",
		"requirements.txt": "Django==4.2.7\nuvicorn==0.23.2\n",
		"app.json":         `{"prodserver": {"processes": {"web": "uvicorn"}}}`,
	}))
	cases := []struct {
		name, app, global string
		workers           string
		why               string
	}{
		{"unset: a new connection per request", "", "", "--workers=2", "2 workers (one per core (≤ MB/256) from resource:limit: 2 CPU, 1024 MB; nginx proxy-keepalive unset"},
		{"app keep-alive", "16", "", "--workers=1", "1 workers (1: nginx proxy-keepalive 16 (app)"},
		{"global keep-alive", "", "32", "--workers=1", "1 workers (1: nginx proxy-keepalive 32 (global)"},
		{"app value wins over global", "0", "32", "--workers=2", "proxy-keepalive unset"},
	}
	for _, c := range cases {
		h.SetNginxProperty("shop", "proxy-keepalive", c.app)
		h.SetNginxProperty("--global", "proxy-keepalive", c.global)
		d := deployOK(t, h, "shop", src)
		want := "web: uvicorn --host=0.0.0.0 --port=$PORT " + c.workers + " --proxy-headers '--forwarded-allow-ips=*' shop.asgi:application\n"
		if !strings.Contains(d.Procfile, want) {
			t.Errorf("%s: Procfile lacks %q:\n%s", c.name, want, d.Procfile)
		}
		if r := h.Dokku("prodserver:processes", "shop"); !strings.Contains(r.Stdout, c.why) {
			t.Errorf("%s: processes does not say %q:\n%s", c.name, c.why, r.Stdout)
		}
	}
	// Another proxy (proxy:set shop TYPE, else --global) keeps its own
	// default, whatever nginx's properties say; proxy:disable lets clients
	// keep their connections to the app.
	h.SetNginxProperty("shop", "proxy-keepalive", "")
	h.SetNginxProperty("--global", "proxy-keepalive", "")
	proxyProp := func(scope, key, v string) {
		p := filepath.Join(h.Lib, "config", "proxy", scope, key)
		if v == "" {
			os.Remove(p)
			return
		}
		h.WriteFile(p, []byte(v))
	}
	for _, c := range []struct {
		name, app, global, disabled string
		workers, why                string
	}{
		{"caddy (app)", "caddy", "", "", "--workers=1", "1 workers (1: caddy keeps upstream connections alive"},
		{"traefik (global)", "", "traefik", "", "--workers=1", "1 workers (1: traefik keeps upstream connections alive"},
		{"openresty", "openresty", "traefik", "", "--workers=2", "openresty's upstream has no keepalive"},
		{"nginx disabled", "", "", "true", "--workers=1", "1 workers (1: proxy disabled"},
	} {
		proxyProp("shop", "type", c.app)
		proxyProp("--global", "type", c.global)
		proxyProp("shop", "disabled", c.disabled)
		d := deployOK(t, h, "shop", src)
		if !strings.Contains(d.Procfile, " "+c.workers+" ") {
			t.Errorf("%s: Procfile lacks %s:\n%s", c.name, c.workers, d.Procfile)
		}
		if r := h.Dokku("prodserver:processes", "shop"); !strings.Contains(r.Stdout, c.why) {
			t.Errorf("%s: processes does not say %q:\n%s", c.name, c.why, r.Stdout)
		}
	}
	proxyProp("shop", "type", "")
	proxyProp("--global", "type", "")
	proxyProp("shop", "disabled", "")

	// A hand-edited bad value warns, names the fix, and sizes as if unset.
	h.SetNginxProperty("shop", "proxy-keepalive", "lots")
	h.SetNginxProperty("--global", "proxy-keepalive", "")
	d := deployOK(t, h, "shop", src)
	if !strings.Contains(d.Procfile, " --workers=2 ") {
		t.Errorf("bad proxy-keepalive: Procfile\n%s", d.Procfile)
	}
	if _, e := d.Output(); !strings.Contains(e, `proxy-keepalive "lots" (app) is not a whole number`) || !strings.Contains(e, "nginx:set") {
		t.Errorf("bad proxy-keepalive: no clear warning:\n%s", e)
	}
}

// TestDeployOperatorEnv: WEB_CONCURRENCY and GUNICORN_CMD_ARGS set with
// config:set are read at deploy: the rendered line takes the count from
// WEB_CONCURRENCY and leaves GUNICORN_CMD_ARGS's flags to it, and
// prodserver:processes shows where the count came from.
func TestDeployOperatorEnv(t *testing.T) {
	for _, c := range []struct {
		name           string
		env            map[string]string
		want, not      string // in, and not in, the web line
		processesShows string
	}{
		{"WEB_CONCURRENCY", map[string]string{"WEB_CONCURRENCY": "6"}, "--workers=6 ", "", "WEB_CONCURRENCY (app config)"},
		{"GUNICORN_CMD_ARGS", map[string]string{"GUNICORN_CMD_ARGS": "--workers=4 --timeout=120"}, "--threads=8 ", "--workers=", "GUNICORN_CMD_ARGS (app config)"},
		{"CELERY_WORKER_CONCURRENCY", map[string]string{"CELERY_WORKER_CONCURRENCY": "5"}, "worker: celery --app=shop.celery worker --loglevel=INFO --concurrency=5", "", "CELERY_WORKER_CONCURRENCY (app config)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			h.SetConfig("shop", c.env)
			d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			proc, _, found := strings.Cut(c.want, ": ")
			if !found || strings.Contains(proc, " ") {
				proc = "web"
			}
			web := ""
			for _, l := range strings.Split(d.Procfile, "\n") {
				if strings.HasPrefix(l, proc+": ") {
					web = l
				}
			}
			if !strings.Contains(web, c.want) || (c.not != "" && strings.Contains(web, c.not)) {
				t.Errorf("web line %q: want %q, not %q", web, c.want, c.not)
			}
			if r := h.Dokku("prodserver:processes", "shop"); r.Code != 0 || !strings.Contains(r.Stdout, c.processesShows) {
				t.Errorf("processes does not show %q:\n%s", c.processesShows, r)
			}
		})
	}
}
