package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// layoutCase is one realistic source tree under tests/fixtures/layouts/ and
// what an expert would want a Dokku deploy of it to produce. The expected
// Procfile is the file <layout>.Procfile beside the tree, written by hand
// (never copied from prodserver's output); <layout>.Procfile.in, when
// present, is the Procfile the tree ships, kept beside it for review.
type layoutCase struct {
	// name is the subtest name and the Dokku app name.
	name string
	// layout is the folder under tests/fixtures/layouts.
	layout string
	// env is the app's config (`dokku config:set`), e.g.
	// DJANGO_SETTINGS_MODULE.
	env map[string]string
	// untouched says the app is not prodserver's business: the deploy
	// prints nothing, the Procfile is byte for byte the shipped one and
	// prodserver keeps no deploy record and sets no scale.
	untouched bool
	// scale is the scale every process type but web and release must have
	// after the first deploy: 1 for the workers prodserver manages, and
	// the ps default (0) for the user's own lines, which prodserver leaves
	// alone.
	scale map[string]int
	// warnings are the warnings the deploy must print, as substrings: each
	// must be printed and every line printed on stderr must match one.
	warnings []string
	// log are lines the deploy's log (stdout) must hold, as substrings:
	// the reasons behind a choice the layout is about.
	log []string
	// stopSignals are the --stop-signal values docker-args-process-deploy
	// must add per process; "" means none (SIGTERM is Docker's default).
	stopSignals map[string]string
}

// layoutCases: every layout folder has at least one row (checked by
// TestLayoutFixturesComplete).
var layoutCases = []layoutCase{
	{
		// Root manage.py, requirements.txt without a WSGI server: the deploy
		// must say which line to add.
		name: "root-requirements", layout: "root-requirements",
		scale:       map[string]int{},
		warnings:    []string{"web: backend gunicorn needs the Python package gunicorn, which the app does not declare; add this line to requirements.txt (or your pyproject.toml dependencies): gunicorn"},
		stopSignals: map[string]string{"web": ""},
	},
	{
		// src/manage.py with requirements.txt at the root and a standard
		// proj/celery.py: every program reaches src/ through its own flag.
		name: "src-layout", layout: "src-layout",
		scale:       map[string]int{"worker": 1},
		stopSignals: map[string]string{"web": "", "worker": ""},
	},
	{
		// Monorepo: the Django API in backend/, a React front end with its
		// node_modules in frontend/, a root requirements.txt including
		// backend/requirements.txt, a beat schedule in settings.
		name: "backend-subfolder", layout: "backend-subfolder",
		scale:       map[string]int{"worker": 1, "beat": 1},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// cookiecutter-django deployed the way its docs say: the operator
		// sets DJANGO_SETTINGS_MODULE=config.settings.production.
		name: "cookiecutter-django", layout: "cookiecutter-django",
		env:         map[string]string{"DJANGO_SETTINGS_MODULE": "config.settings.production"},
		scale:       map[string]int{"worker": 1, "beat": 1},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// The same tree deployed without DJANGO_SETTINGS_MODULE: manage.py's
		// default is config.settings.local, which the deploy must point out.
		name: "cookiecutter-django-local-default", layout: "cookiecutter-django",
		scale:    map[string]int{"worker": 1, "beat": 1},
		warnings: []string{"manage.py defaults DJANGO_SETTINGS_MODULE to config.settings.local, which looks like development settings (DEBUG = True in config/settings/local.py); set DJANGO_SETTINGS_MODULE to config.settings.production for production (dokku config:set cookiecutter-django-local-default DJANGO_SETTINGS_MODULE=config.settings.production)"},
	},
	{
		// atlas/settings.py, the one settings module, turns DEBUG on unless
		// DJANGO_DEBUG says otherwise: judged by what it does (its name is
		// the usual one), the deploy warns that it is development-grade.
		name: "settings-debug-default", layout: "settings-debug-default",
		scale:       map[string]int{},
		warnings:    []string{"manage.py defaults DJANGO_SETTINGS_MODULE to atlas.settings, which looks like development settings (DEBUG defaults to True in atlas/settings.py); set DJANGO_SETTINGS_MODULE to your production settings module (dokku config:set settings-debug-default DJANGO_SETTINGS_MODULE=...)"},
		stopSignals: map[string]string{"web": ""},
	},
	{
		// Channels app: asgi.py with a ProtocolTypeRouter, no wsgi.py,
		// uvicorn[standard] declared for websockets.
		name: "asgi-channels", layout: "asgi-channels",
		scale:       map[string]int{},
		stopSignals: map[string]string{"web": ""},
	},
	{
		// django-rq with three queues in RQ_QUEUES (jobs go to "high" and
		// "low"), Poetry + poetry.lock: the worker must consume all three,
		// in RQ_QUEUES order (rqworker's priority order).
		name: "django-rq-poetry", layout: "django-rq-poetry",
		scale:       map[string]int{"worker": 1},
		stopSignals: map[string]string{"worker": ""},
	},
	{
		// django-rq-poetry with RQ_QUEUES keyed by settings constants
		// (QUEUE_HIGH = "high"): the worker still consumes every queue.
		name: "django-rq-constants", layout: "django-rq-constants",
		scale:       map[string]int{"worker": 1},
		stopSignals: map[string]string{"worker": ""},
	},
	{
		// huey through huey.contrib.djhuey, uv: PEP 621 dependencies, PEP 735
		// [dependency-groups] and uv.lock. huey drains its tasks only on
		// SIGINT.
		name: "huey-uv", layout: "huey-uv",
		scale:       map[string]int{"worker": 1},
		stopSignals: map[string]string{"web": "", "worker": "SIGINT"},
	},
	{
		// django-q2 (app label django_q), Pipfile + Pipfile.lock.
		name: "django-q2-pipfile", layout: "django-q2-pipfile",
		scale:       map[string]int{"worker": 1},
		stopSignals: map[string]string{"worker": ""},
	},
	{
		// settings.py without WSGI_APPLICATION: blog/wsgi.py is found beside
		// the settings; waitress is the declared server.
		name: "no-wsgi-setting", layout: "no-wsgi-setting",
		scale: map[string]int{},
	},
	{
		// The user's Procfile: comments, blank lines and a custom process
		// are kept byte for byte; the runserver web line is replaced, the
		// user's celery worker adopted (their -l info and --concurrency=3
		// kept, spelled long), and release is added. The adopted worker's
		// scale stays the user's (0 until ps:scale).
		name: "procfile-runserver", layout: "procfile-runserver",
		scale:    map[string]int{"worker": 0, "mailer": 0},
		warnings: []string{"web: replaced Django's development server (runserver), which must not serve production"},
	},
	{
		// `web: make run`, whose Makefile target runs `python -m manage
		// runserver`: the dev server reached through make is replaced too.
		name: "makefile-runserver", layout: "makefile-runserver",
		scale:       map[string]int{},
		warnings:    []string{"web: replaced Django's development server (runserver), which must not serve production"},
		stopSignals: map[string]string{"web": ""},
	},
	{
		// A project run under supervisord and docker compose before Dokku:
		// its long-running management commands are declared there, so the
		// deploy adds a Procfile line for each, at Dokku's scale 0 for a
		// new process type, and says how to start it (the web servers, the
		// database and the dev server are not added).
		name: "declared-daemons", layout: "declared-daemons",
		scale: map[string]int{"mailer": 0, "stock-sync": 0},
		log:   []string{"stock-sync: added (declared in deploy/supervisord.conf: [program:stock_sync] command (python manage.py sync_stock), scale it to run it): python manage.py sync_stock"},
		warnings: []string{
			`deploy/supervisord.conf: [program:stock_sync] command runs "python manage.py sync_stock", which Dokku does not start (only the Procfile's lines run); added this Procfile line: stock-sync: python manage.py sync_stock. It starts at scale 0, Dokku's default for a new process type: run it with dokku ps:scale declared-daemons stock-sync=1 (prodserver:set declared-daemons daemons warn leaves such lines out)`,
			`docker-compose.yml: services.mailer.command runs "python manage.py send_queued_mail --loop", which Dokku does not start (only the Procfile's lines run); added this Procfile line: mailer: python manage.py send_queued_mail --loop. It starts at scale 0, Dokku's default for a new process type: run it with dokku ps:scale declared-daemons mailer=1 (prodserver:set declared-daemons daemons warn leaves such lines out)`,
		},
		stopSignals: map[string]string{"web": ""},
	},
	{
		// docker compose with block-form commands: a YAML list of words
		// (worker) and a folded string over two lines (scheduler). The
		// Procfile's worker is the user's Node renderer, so the compose
		// worker is added under its command's name; the compose renderer
		// runs what the Procfile already has.
		name: "compose-command-block", layout: "compose-command-block",
		scale: map[string]int{"worker": 0, "process-tasks": 0, "scheduler": 0},
		warnings: []string{
			`docker-compose.yml: services.worker.command runs "python manage.py process_tasks --sleep 5", which Dokku does not start (only the Procfile's lines run); added this Procfile line: process-tasks: python manage.py process_tasks --sleep 5. It starts at scale 0, Dokku's default for a new process type: run it with dokku ps:scale compose-command-block process-tasks=1`,
			`docker-compose.yml: services.scheduler.command runs "python manage.py runapscheduler", which Dokku does not start (only the Procfile's lines run); added this Procfile line: scheduler: python manage.py runapscheduler. It starts at scale 0`,
		},
		stopSignals: map[string]string{"web": ""},
	},
	{
		// A Procfile saved with CRLF line endings whose own gunicorn web line
		// is adopted (its --log-file - and --timeout 60 kept, $PORT and
		// sizing filled in); worker, beat (django_celery_beat installed) and
		// release are filled in, in CRLF too.
		name: "crlf-procfile", layout: "crlf-procfile",
		scale:       map[string]int{"worker": 1, "beat": 1},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// Settings package (base/dev/prod, manage.py defaulting to dev, the
		// operator's DJANGO_SETTINGS_MODULE naming prod), requirements/
		// folder included from requirements.txt, django-dramatiq.
		name: "dramatiq-settings-package", layout: "dramatiq-settings-package",
		env:         map[string]string{"DJANGO_SETTINGS_MODULE": "shipping.settings.prod"},
		scale:       map[string]int{"worker": 1},
		stopSignals: map[string]string{"web": "", "worker": ""},
	},
	{
		// Celery app in newsroom/taskqueue.py (not celery.py), imported by
		// newsroom/__init__.py as Celery's Django guide says, with a beat
		// schedule set on app.conf: worker and beat must both run it.
		name: "celery-nonstandard", layout: "celery-nonstandard",
		scale:       map[string]int{"worker": 1, "beat": 1},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// django-celery-beat in requirements.txt but never added to
		// INSTALLED_APPS: DatabaseScheduler would crash at start (its
		// tables do not exist), so beat runs celery's own scheduler and the
		// deploy says what to add.
		name: "celery-beat-not-installed", layout: "celery-beat-not-installed",
		scale:       map[string]int{"worker": 1, "beat": 1},
		warnings:    []string{`beat: django-celery-beat is declared but django_celery_beat is not in INSTALLED_APPS (bookings/settings.py); beat runs celery's default scheduler (celery.beat:PersistentScheduler), since DatabaseScheduler crashes at start without its app; add "django_celery_beat" to INSTALLED_APPS to keep the schedule in the database`},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// The Celery app lives in pantry/celery_worker.py (no usual name)
		// and registers its periodic task in code, in an on_after_finalize
		// handler: worker and beat both run it.
		name: "celery-worker-module", layout: "celery-worker-module",
		scale:       map[string]int{"worker": 1, "beat": 1},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// ledger/__init__.py re-exports the app of ledger/background.py with an
		// absolute import (`from ledger.background import app as celery_app`):
		// the worker runs the module Celery imports it from.
		name: "celery-absolute-reexport", layout: "celery-absolute-reexport",
		scale:       map[string]int{"worker": 1},
		stopSignals: map[string]string{"web": "", "worker": ""},
	},
	{
		// Celery's guide's periodic tasks: add_periodic_task in an
		// @app.on_after_configure.connect handler of an app's tasks.py,
		// nothing in settings or the Celery module: beat must run.
		name: "celery-periodic-tasks-py", layout: "celery-periodic-tasks-py",
		scale:       map[string]int{"worker": 1, "beat": 1},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// app.conf.beat_schedule built in a loop in fleet/schedules.py:
		// beat must run.
		name: "celery-schedules-module", layout: "celery-schedules-module",
		scale:       map[string]int{"worker": 1, "beat": 1},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// django-tenants style: the project's TenantAwareScheduler
		// (a DatabaseScheduler subclass) set by app.conf.beat_scheduler in
		// the Celery module is what beat runs, not DatabaseScheduler.
		name: "celery-custom-scheduler", layout: "celery-custom-scheduler",
		scale:       map[string]int{"worker": 1, "beat": 1},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// No schedule in settings or code Dokku can see, but the compose
		// file runs beat, with a schedule file and a pidfile: beat runs with
		// the schedule file, and the deploy names the pidfile it leaves out.
		name: "celery-compose-beat", layout: "celery-compose-beat",
		scale:       map[string]int{"worker": 1, "beat": 1},
		warnings:    []string{"beat: docker-compose.yml line 12 runs beat with --pidfile=/tmp/celerybeat.pid, which the rendered beat line leaves out (Dokku runs beat in the foreground, logging to stdout); to keep it: dokku prodserver:args celery-compose-beat beat --pidfile=/tmp/celerybeat.pid"},
		stopSignals: map[string]string{"web": "", "worker": "", "beat": ""},
	},
	{
		// src/ layout whose views are async: ASGI_APPLICATION set and
		// gunicorn + uvicorn-worker (a package with no other use) declared
		// to serve it, so the ASGI application is what gunicorn must run.
		name: "asgi-uvicorn-worker-src", layout: "asgi-uvicorn-worker-src",
		scale:       map[string]int{},
		stopSignals: map[string]string{"web": ""},
	},
	{
		// uv project serving with waitress, gunicorn only in
		// [dependency-groups].dev (and so in uv.lock): the build does not
		// install it, so waitress serves and the deploy names the move.
		name: "uv-gunicorn-dev-group", layout: "uv-gunicorn-dev-group",
		scale:    map[string]int{},
		warnings: []string{"gunicorn is declared only in pyproject.toml [dependency-groups].dev, which a production install leaves out, so it is not used; move gunicorn from pyproject.toml [dependency-groups].dev to pyproject.toml [project].dependencies"},
	},
	{
		// Poetry project with gunicorn optional = true behind an extra:
		// poetry install --only main leaves it out, so waitress serves.
		name: "poetry-gunicorn-extra", layout: "poetry-gunicorn-extra",
		scale:    map[string]int{},
		warnings: []string{"gunicorn is declared only in pyproject.toml [tool.poetry.dependencies] with optional = true, which a production install leaves out, so it is not used; remove optional = true from gunicorn in pyproject.toml [tool.poetry.dependencies]"},
	},
	{
		// JavaScript + Django monorepo: the API's manage.py two folders
		// down in apps/api, a root requirements.txt including its own.
		name: "monorepo-apps-api", layout: "monorepo-apps-api",
		scale: map[string]int{},
	},
	{
		// wemake-django-template style settings: django-split-settings
		// include(*_base_settings) of components, django-rq's queues in
		// components/queues.py; the environment file is chosen by
		// DJANGO_ENV, unset here, so the code's default (production) is read.
		name: "split-settings", layout: "split-settings",
		scale: map[string]int{"worker": 1},
	},
	{
		// The same split-settings layout whose code defaults DJANGO_ENV to
		// development (one queue), built by a Dockerfile that sets
		// ENV DJANGO_ENV=production: the image reads
		// environments/production.py, so the worker consumes its three
		// queues.
		name: "dockerfile-env-split", layout: "dockerfile-env-split",
		scale: map[string]int{"worker": 1},
		log:   []string{`settings: server/settings/__init__.py: include("environments/{0}.py") reads environments/production.py: DJANGO_ENV=production (Dockerfile ENV)`},
	},
	{
		// Dockerfile build: WORKDIR /app and `COPY backend/ .`, so the image
		// holds the project flat in WORKDIR, where Dokku runs every line:
		// no --chdir=backend, no backend/manage.py.
		name: "dockerfile-workdir-flat", layout: "dockerfile-workdir-flat",
		scale:       map[string]int{"worker": 1},
		stopSignals: map[string]string{"web": "", "worker": ""},
		warnings:    []string{layoutStaticLost},
	},
	{
		// Multi-stage Dockerfile: wheels built in a builder stage, assets in
		// a node stage, src/ copied flat into the final stage's WORKDIR.
		name: "dockerfile-multistage", layout: "dockerfile-multistage",
		scale:    map[string]int{},
		warnings: []string{layoutStaticLost},
	},
	{
		// s6-overlay: ENTRYPOINT ["/init"] starts every s6 service in every
		// container Dokku starts, with the Procfile line as its argument.
		name: "dockerfile-supervisor", layout: "dockerfile-supervisor",
		scale:    map[string]int{"worker": 1},
		warnings: []string{layoutStaticLost, "Dockerfile line 13: ENTRYPOINT starts s6-overlay /init, and Dokku passes each Procfile line to the ENTRYPOINT as its arguments, so every container (web, worker, beat, …) also starts every service s6-overlay /init runs"},
	},
	{
		// manage.py defaults to config.settings.local; the image sets
		// ENV DJANGO_SETTINGS_MODULE=config.settings.production, which is
		// what runs, so there is nothing to warn about.
		name: "dockerfile-env-settings", layout: "dockerfile-env-settings",
		scale:    map[string]int{},
		warnings: []string{layoutStaticLost},
	},
	{
		// A Dockerfile build that copies the whole context: .dockerignore
		// leaves the back-office project (admin/manage.py) out of the
		// image, so the shop's manage.py is the only one there is and no
		// ambiguity is warned about.
		name: "dockerfile-dockerignore", layout: "dockerfile-dockerignore",
		scale:       map[string]int{},
		log:         []string{"; .dockerignore leaves .git admin **/__pycache__ *.sqlite3 out of the build, so detection does not count it"},
		stopSignals: map[string]string{"web": ""},
		warnings:    []string{layoutStaticLost},
	},
	{
		// The Dockerfile installs requirements/production.txt (gunicorn);
		// daphne is only in requirements/local.txt, which the root
		// requirements.txt includes for development: it is not in the image,
		// so the app is served through WSGI.
		name: "dockerfile-pip-requirements", layout: "dockerfile-pip-requirements",
		scale:    map[string]int{},
		warnings: []string{layoutStaticLost, "daphne is declared only in requirements/local.txt, which a production install leaves out, so it is not used; move daphne from requirements/local.txt to requirements/production.txt"},
	},
	{
		// uv project with gunicorn in [dependency-groups].prod, which the
		// Dockerfile installs (uv sync --no-dev --group prod).
		name: "dockerfile-uv-group", layout: "dockerfile-uv-group",
		scale:    map[string]int{},
		warnings: []string{layoutStaticLost},
	},
	{
		// The user's web line changes directory with `cd … &&`, which works
		// only through a shell: a Dockerfile image runs it without one, so
		// the deploy names the line and its exec form, and keeps it.
		name: "dockerfile-procfile-shell", layout: "dockerfile-procfile-shell",
		scale:    map[string]int{},
		warnings: []string{layoutStaticLost, `Procfile line "web: cd backend && gunicorn api.wsgi --bind 0.0.0.0:$PORT" uses ` + "`&&`, `cd`" + `; Dokku runs a Dockerfile image's Procfile lines without a shell, so the program gets these as plain words; write it in exec form: web: sh -c 'cd backend && exec gunicorn api.wsgi --bind 0.0.0.0:$PORT'`},
	},
	{
		// django-configurations: manage.py defaults DJANGO_CONFIGURATION to
		// Dev, a development class of blog/settings.py; the deploy names
		// the production class to set.
		name: "django-configurations-dev-default", layout: "django-configurations",
		scale:    map[string]int{},
		warnings: []string{"manage.py defaults DJANGO_CONFIGURATION to Dev, a development configuration of blog/settings.py; set DJANGO_CONFIGURATION for production (dokku config:set django-configurations-dev-default DJANGO_CONFIGURATION=Production)"},
	},
	{
		// The same tree with DJANGO_CONFIGURATION=Production in the app's
		// config: that class runs, nothing to warn about.
		name: "django-configurations-production", layout: "django-configurations",
		env:   map[string]string{"DJANGO_CONFIGURATION": "Production"},
		scale: map[string]int{},
	},
	{
		// A Node.js app with node_modules (holding Python files from
		// node-gyp): not a Django app, so nothing happens.
		name: "node-app", layout: "node-app",
		untouched: true,
		scale:     map[string]int{"worker": 0},
	},
}

func layoutsDir() string {
	return filepath.Join(harness.RepoRoot(), "tests", "fixtures", "layouts")
}

// TestLayoutFixturesComplete checks the fixture set itself: every tree has
// an expected Procfile and a table row, a tree ships a Procfile exactly when
// a .Procfile.in records it, and there are at least 12 layouts.
// layoutStaticLost is the static-files warning (src/deploy/static.go) of a
// Dockerfile layout whose settings set a local STATIC_ROOT and whose image
// never runs collectstatic: true of these fixtures, which serve no files.
const layoutStaticLost = "is a folder in the container and Django's default storage stores static files there, but nothing collects them into the image: no RUN line of Dockerfile's final stage runs collectstatic"

func TestLayoutFixturesComplete(t *testing.T) {
	dir := layoutsDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, c := range layoutCases {
		rows[c.layout] = true
	}
	trees := 0
	for _, e := range entries {
		name := e.Name()
		if name == ".gitattributes" {
			continue
		}
		if !e.IsDir() {
			base := strings.TrimSuffix(strings.TrimSuffix(name, ".in"), ".Procfile")
			if fi, err := os.Stat(filepath.Join(dir, base)); err != nil || !fi.IsDir() {
				t.Errorf("%s belongs to no layout folder", name)
			}
			continue
		}
		trees++
		if !rows[name] {
			t.Errorf("layout %s has no row in layoutCases", name)
		}
		if _, err := os.Stat(filepath.Join(dir, name+".Procfile")); err != nil {
			t.Errorf("layout %s has no expected %s.Procfile", name, name)
		}
		shipped, errShipped := os.ReadFile(filepath.Join(dir, name, "Procfile"))
		recorded, errRecorded := os.ReadFile(filepath.Join(dir, name+".Procfile.in"))
		switch {
		case errShipped == nil && errRecorded != nil:
			t.Errorf("layout %s ships a Procfile but has no %s.Procfile.in", name, name)
		case errShipped != nil && errRecorded == nil:
			t.Errorf("%s.Procfile.in exists but the tree ships no Procfile", name)
		case errShipped == nil && !bytes.Equal(shipped, recorded):
			t.Errorf("%s.Procfile.in differs from %s/Procfile", name, name)
		}
	}
	for layout := range rows {
		if fi, err := os.Stat(filepath.Join(dir, layout)); err != nil || !fi.IsDir() {
			t.Errorf("row for layout %s, which has no folder", layout)
		}
	}
	if trees < 25 {
		t.Errorf("%d layouts, want at least 25", trees)
	}
}

// TestLayouts deploys every layout through the harness (cpu 2, memory 1g)
// and compares what ps copied with the expected Procfile byte for byte, then
// checks scale, warnings, stop signals, and that deploying the result again
// changes nothing.
func TestLayouts(t *testing.T) {
	for _, c := range layoutCases {
		c := c
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runLayoutCase(t, c)
		})
	}
}

func runLayoutCase(t *testing.T, c layoutCase) {
	dir := layoutsDir()
	src := filepath.Join(dir, c.layout)
	want, err := os.ReadFile(filepath.Join(dir, c.layout+".Procfile"))
	if err != nil {
		t.Fatalf("expected Procfile: %v", err)
	}
	shipped, _ := os.ReadFile(filepath.Join(src, "Procfile"))

	h := harness.New(t)
	app := c.name
	h.CreateApp(app)
	layoutLimits(h, app)
	if len(c.env) > 0 {
		h.SetConfig(app, c.env)
	}

	d := h.Deploy(app, src)
	stdout, stderr := d.Output()
	if d.Failed {
		t.Fatalf("deploy failed\n--- stdout\n%s--- stderr\n%s", stdout, stderr)
	}
	if d.Procfile != string(want) {
		t.Errorf("Procfile differs from %s.Procfile\n%s\n--- deploy stderr\n%s", c.layout, layoutProcfileDiff(string(want), d.Procfile), stderr)
	}

	if c.untouched {
		if stdout != "" || stderr != "" {
			t.Errorf("a deploy of an app prodserver has nothing to do with printed something\n--- stdout\n%s--- stderr\n%s", stdout, stderr)
		}
		if d.Procfile != string(shipped) {
			t.Errorf("the shipped Procfile was changed:\n%s", layoutProcfileDiff(string(shipped), d.Procfile))
		}
		if _, err := os.Stat(filepath.Join(h.Lib, "data", "prodserver", app, "deploy.json")); err == nil {
			t.Errorf("prodserver kept a deploy record for an app it has nothing to do with")
		}
		for _, call := range h.Calls() {
			if strings.Contains(call, "ps-set-scale") {
				t.Errorf("prodserver scaled an app it has nothing to do with: %s", call)
			}
		}
	}

	checkLayoutWarnings(t, stderr, c.warnings)
	for _, l := range c.log {
		if !strings.Contains(stdout, l) {
			t.Errorf("deploy log lacks %q:\n%s", l, stdout)
		}
	}
	checkLayoutLimitsRead(t, h, app)
	if !c.untouched {
		// The deploy log is gone after the push: prodserver:processes
		// shows every warning the deploy printed again.
		r := h.Dokku("prodserver:processes", app)
		for _, w := range c.warnings {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("prodserver:processes does not show the deploy's warning %q; stderr:\n%s", w, r.Stderr)
			}
		}
	}

	scale := h.Scale(app)
	got := map[string]int{}
	for proc, n := range scale {
		if proc != "web" && proc != "release" {
			got[proc] = n
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(c.scale) {
		t.Errorf("scale of non-web processes after the first deploy: got %v, want %v", got, c.scale)
	}

	for _, proc := range layoutSortedKeys(c.stopSignals) {
		args := d.DockerArgs[proc]
		wantSig := c.stopSignals[proc]
		switch {
		case wantSig == "" && strings.Contains(args, "--stop-signal"):
			t.Errorf("%s: docker args %q, want no --stop-signal", proc, args)
		case wantSig != "" && !strings.Contains(args, "--stop-signal="+wantSig):
			t.Errorf("%s: docker args %q, want --stop-signal=%s", proc, args, wantSig)
		}
	}

	// Deploying what prodserver wrote must change nothing: same Procfile,
	// same scale. This holds for whatever prodserver wrote, right or not.
	again := layoutCopy(t, src)
	if err := os.WriteFile(filepath.Join(again, "Procfile"), []byte(d.Procfile), 0o644); err != nil {
		t.Fatal(err)
	}
	if d.Procfile == "" {
		os.Remove(filepath.Join(again, "Procfile"))
	}
	d2 := h.Deploy(app, again)
	stdout2, stderr2 := d2.Output()
	if d2.Failed {
		t.Fatalf("second deploy failed\n--- stdout\n%s--- stderr\n%s", stdout2, stderr2)
	}
	if d2.Procfile != d.Procfile {
		t.Errorf("a second deploy of the result changed the Procfile:\n%s", layoutProcfileDiff(d.Procfile, d2.Procfile))
	}
	if s2 := h.Scale(app); fmt.Sprint(s2) != fmt.Sprint(scale) {
		t.Errorf("a second deploy changed the scale: %v, then %v", scale, s2)
	}
	if c.untouched && (stdout2 != "" || stderr2 != "") {
		t.Errorf("second deploy printed something\n--- stdout\n%s--- stderr\n%s", stdout2, stderr2)
	}
	if strings.Contains(stderr2, "runserver") {
		t.Errorf("second deploy still warns about runserver:\n%s", stderr2)
	}
}

// checkLayoutWarnings requires each expected warning to be printed and every
// printed stderr line to be one of them.
func checkLayoutWarnings(t *testing.T, stderr string, want []string) {
	t.Helper()
	seen := make([]bool, len(want))
	for _, line := range strings.Split(stderr, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		matched := false
		for i, w := range want {
			if strings.Contains(line, w) {
				seen[i], matched = true, true
			}
		}
		if !matched {
			t.Errorf("unexpected warning: %s", strings.TrimSpace(line))
		}
	}
	for i, w := range want {
		if !seen[i] {
			t.Errorf("missing warning containing %q; stderr:\n%s", w, stderr)
		}
	}
}

// checkLayoutLimitsRead guards the expected concurrency numbers: every
// process prodserver sized must have been sized from the stand-in's
// resource:limit values, never (even partly) from the machine running the
// tests. It reads
// the deploy record prodserver keeps and only logs when that record has no
// such field.
func checkLayoutLimitsRead(t *testing.T, h *harness.Host, app string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(h.Lib, "data", "prodserver", app, "deploy.json"))
	if err != nil {
		return // nothing managed (checked elsewhere)
	}
	var rec struct {
		Plan struct {
			Processes []struct {
				Name        string `json:"name"`
				WorkersFrom string `json:"workers_from"`
			} `json:"processes"`
		} `json:"plan"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Logf("deploy record not understood (%v); cannot check where concurrency came from", err)
		return
	}
	for _, p := range rec.Plan.Processes {
		if strings.Contains(p.WorkersFrom, "host") {
			t.Errorf("%s was sized from %q, not from the 2 CPU / 1g resource:limit the test set: the expected numbers cannot be trusted", p.Name, p.WorkersFrom)
		}
	}
}

// layoutLimits gives every process of app 2 CPUs and 1 GB, as
// `resource:limit --cpu 2 --memory 1g` would, through the harness's
// resource stand-in (its SetResourceLimit when it has one, else the files
// its stand-in reads).
func layoutLimits(h *harness.Host, app string) {
	h.SetResourceLimit(app, "_default_", "cpu", "2")
	h.SetResourceLimit(app, "_default_", "memory", "1g")
}

// layoutCopy copies a layout tree into a fresh folder.
func layoutCopy(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "src")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("copying %s: %v\n%s", src, err, out)
	}
	return dst
}

// layoutProcfileDiff is a line diff of two Procfiles ("-" only in want,
// "+" only in got), with invisible bytes quoted.
func layoutProcfileDiff(want, got string) string {
	w, g := strings.SplitAfter(want, "\n"), strings.SplitAfter(got, "\n")
	// lcs[i][j] is the longest common subsequence of w[i:] and g[j:].
	lcs := make([][]int, len(w)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(g)+1)
	}
	for i := len(w) - 1; i >= 0; i-- {
		for j := len(g) - 1; j >= 0; j-- {
			if w[i] == g[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	line := func(mark, l string) {
		if l != "" {
			fmt.Fprintf(&b, "%s %q\n", mark, l)
		}
	}
	i, j := 0, 0
	for i < len(w) || j < len(g) {
		switch {
		case i < len(w) && j < len(g) && w[i] == g[j]:
			line(" ", w[i])
			i, j = i+1, j+1
		case i < len(w) && (j == len(g) || lcs[i+1][j] >= lcs[i][j+1]):
			line("-", w[i])
			i++
		default:
			line("+", g[j])
			j++
		}
	}
	return b.String()
}

func layoutSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
