package project

import (
	"strings"
	"testing"
)

// TestBeatSchedulerNeedsInstalledApp: django-celery-beat declared is not
// enough for DatabaseScheduler, which crashes at start unless
// django_celery_beat is in INSTALLED_APPS (issue 12).
func TestBeatSchedulerNeedsInstalledApp(t *testing.T) {
	tests := []struct {
		name      string
		settings  string
		scheduler string
		warning   string
	}{
		{"installed", "INSTALLED_APPS = ['django_celery_beat']\n", DatabaseScheduler, ""},
		{"declared only", "INSTALLED_APPS = ['django.contrib.admin']\n", PersistentScheduler,
			`beat: django-celery-beat is declared but django_celery_beat is not in INSTALLED_APPS (proj/settings.py); beat runs celery's default scheduler`},
		{"setting wins", "INSTALLED_APPS = []\nCELERY_BEAT_SCHEDULER = 'redbeat.RedBeatScheduler'\n", "redbeat.RedBeatScheduler", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{
				"manage.py":        manage("proj.settings"),
				"proj/__init__.py": "",
				"proj/settings.py": tt.settings,
				"proj/wsgi.py":     wsgiPy,
				"proj/celery.py":   "from celery import Celery\napp = Celery('proj')\n",
				"requirements.txt": "django\ncelery\ndjango-celery-beat\n",
			})
			f := scan(t, root, Options{})
			if !f.CeleryBeat || f.BeatScheduler != tt.scheduler {
				t.Errorf("CeleryBeat %v BeatScheduler %q, want true %q", f.CeleryBeat, f.BeatScheduler, tt.scheduler)
			}
			if tt.warning != "" && !hasWarning(f, tt.warning) {
				t.Errorf("warnings %q lack %q", f.Warnings, tt.warning)
			}
			for _, w := range f.Warnings {
				if tt.warning == "" && strings.Contains(w, "django_celery_beat") {
					t.Errorf("unexpected warning %q", w)
				}
			}
		})
	}
}

// TestDevServerTargets: a Makefile target counts when its recipe runs the
// dev server, or depends on or calls one that does.
func TestDevServerTargets(t *testing.T) {
	tests := []struct {
		name, makefile string
		want           []string
	}{
		{"direct", "run:\n\tpython manage.py runserver 0.0.0.0:$$PORT\n", []string{"run", ""}},
		{"not first", ".PHONY: test run\ntest:\n\tpytest\nrun: ## serve locally\n\tpoetry run python manage.py runserver\n", []string{"run"}},
		{"through a prerequisite", "install:\n\tpip install -r requirements.txt\ndev:\n\tdjango-admin runserver\nserve: install dev\n", []string{"dev", "serve"}},
		{"through $(MAKE)", "up:\n\t$(MAKE) dev\ndev:\n\tpython manage.py runserver_plus\n", []string{"up", "dev", ""}},
		{"production server", "run:\n\tgunicorn proj.wsgi\n", nil},
		{"assignments and patterns", "PORT := 8000\n%.o: %.c\n\tpython manage.py runserver\nrun:\n\tgunicorn proj.wsgi\n", nil},
		{"CRLF", "run:\r\n\tpython manage.py runserver\r\n", []string{"run", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := devServerTargets(tt.makefile)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") || len(got) != len(tt.want) {
				t.Errorf("devServerTargets = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRQQueuesFromConstants: RQ_QUEUES keys held in constants are
// resolved; keys that cannot be known leave the queues unknown with a
// warning naming what to set, never a silent `default`.
func TestRQQueuesFromConstants(t *testing.T) {
	tests := []struct {
		name, settings string
		want           []string
		warning        string
	}{
		{"literal keys", "RQ_QUEUES = {'default': {'URL': REDIS_URL}, 'high': {'URL': REDIS_URL}}\n", []string{"default", "high"}, ""},
		{"constant keys", "HIGH = 'high'\nLOW: str = \"low\"\nRQ_QUEUES = {\n    HIGH: {'URL': REDIS_URL},\n    'default': {'URL': REDIS_URL},\n    LOW: {'URL': REDIS_URL, 'DEFAULT_TIMEOUT': 60},\n}\n",
			[]string{"high", "default", "low"}, ""},
		{"unknown constant", "from .queues import HIGH\nRQ_QUEUES = {HIGH: {'URL': REDIS_URL}}\n", nil,
			"site/settings.py: RQ_QUEUES: key HIGH is not a string constant of the settings; the rq worker consumes the default queue only: list the queues in PRODUCTION_PROCESSES or app.json"},
		{"built by a call", "RQ_QUEUES = make_queues()\n", nil, "site/settings.py: RQ_QUEUES: line 2: call to make_queues(): not a literal; the rq worker consumes the default queue only"},
		{"unpacking", "RQ_QUEUES = {**BASE, 'extra': {}}\n", nil, "the rq worker consumes the default queue only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{
				"manage.py":        manage("site.settings"),
				"site/settings.py": "INSTALLED_APPS = ['django_rq']\n" + tt.settings,
				"site/wsgi.py":     wsgiPy,
				"requirements.txt": "Django\ndjango-rq==2.10\n",
			})
			f := scan(t, root, Options{})
			if strings.Join(f.RQQueues, ",") != strings.Join(tt.want, ",") {
				t.Errorf("RQQueues %q, want %q", f.RQQueues, tt.want)
			}
			if tt.warning != "" && !hasWarning(f, tt.warning) {
				t.Errorf("warnings %q lack %q", f.Warnings, tt.warning)
			}
			if tt.warning == "" && len(f.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", f.Warnings)
			}
		})
	}
}

// TestCeleryAnyModuleName: a Celery app in any *celery*.py module is found,
// and periodic tasks registered in its code make beat needed.
func TestCeleryAnyModuleName(t *testing.T) {
	tests := []struct {
		name, file, src string
		app             string
		beat            bool
	}{
		{"make_celery.py", "proj/make_celery.py", "from celery import Celery\napp = Celery('proj')\n", "proj.make_celery", false},
		{"celery_worker.py with add_periodic_task", "proj/celery_worker.py",
			"from celery import Celery\nworker = Celery('proj')\n\n@worker.on_after_finalize.connect\ndef setup(sender, **kw):\n    sender.add_periodic_task(60.0, ping.s())\n",
			"proj.celery_worker:worker", true},
		{"MyCelery.py with beat_schedule in code", "proj/MyCelery.py",
			"import celery\napp = celery.Celery('proj')\napp.conf.beat_schedule = build_schedule()\n", "proj.MyCelery", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{
				"manage.py":        manage("proj.settings"),
				"proj/__init__.py": "",
				"proj/settings.py": "INSTALLED_APPS = []\n",
				"proj/wsgi.py":     wsgiPy,
				tt.file:            tt.src,
				"requirements.txt": "django\ncelery\n",
			})
			f := scan(t, root, Options{})
			if f.CeleryApp != tt.app || f.CeleryBeat != tt.beat {
				t.Errorf("CeleryApp %q CeleryBeat %v, want %q %v (warnings %q)", f.CeleryApp, f.CeleryBeat, tt.app, tt.beat, f.Warnings)
			}
		})
	}
}

// TestDeclaredDaemons: each daemon the project declares for another
// process manager is collected with its words (after manage.py for a
// management command, "sh:" when it needs a shell, "!" when no Procfile
// line can say it); servers, one-shot commands, detected queues' workers
// and the Procfile's own lines are not.
func TestDeclaredDaemons(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // "name: words" of each daemon, in order
	}{
		{"uwsgi attach-daemon", map[string]string{
			"uwsgi.ini": "[uwsgi]\nmodule = proj.wsgi\nattach-daemon = python manage.py runmailer\nsmart-attach-daemon = /tmp/x.pid python manage.py process_tasks\n"},
			[]string{"runmailer: manage.py runmailer", "process-tasks: manage.py process_tasks"}},
		{"supervisord programs", map[string]string{
			"deploy/supervisord.conf": "[supervisord]\nnodaemon=true\n[program:web]\ncommand=gunicorn proj.wsgi\n[program:mail_queue]\ncommand=python manage.py runmailer\n[program:migrate]\ncommand=python manage.py migrate\n"},
			[]string{"mail-queue: manage.py runmailer"}},
		{"compose command", map[string]string{
			"docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n  notifier:\n    build: .\n    command: [\"python\", \"manage.py\", \"notify_forever\"]\n  redis:\n    image: redis\n    command: redis-server --appendonly yes\n"},
			[]string{"notifier: manage.py notify_forever"}},
		{"compose block list and folded string", map[string]string{
			"compose.yaml": "services:\n  mailer:\n    build: .\n    command:\n      - python\n      - manage.py\n      - send_queued_mail\n      - --loop\n  poller:\n    command: >\n      python manage.py poll_feeds\n      --interval 30\n  sync:\n    command: |\n      newrelic-admin run-program\n      python manage.py sync_forever\n"},
			[]string{"mailer: manage.py send_queued_mail --loop", "poller: manage.py poll_feeds --interval 30", "sync: newrelic-admin run-program python manage.py sync_forever"}},
		{"compose file that is not YAML", map[string]string{
			"docker-compose.yml": "services:\n  a: [\n"},
			nil},
		{"needs a shell", map[string]string{
			"deploy/supervisord.conf": "[program:sync]\ncommand=bash -c \"cd /srv && python manage.py sync_forever\"\n[program:env]\ncommand=DEBUG=0 python manage.py tick_forever\n"},
			[]string{"sync: bash -c cd /srv && python manage.py sync_forever", "env: sh: `DEBUG=…` before the command"}},
		{"supervisord placeholder", map[string]string{
			"deploy/supervisord.conf": "[program:tick]\ncommand=%(ENV_HOME)s/venv/bin/tick --forever\n"},
			[]string{"tick: !"}},
		{"s6 run script", map[string]string{
			"docker/s6/services.d/feed-poller/run": "#!/command/with-contenv sh\ncd /app\nexec s6-setuidgid app python manage.py poll_feeds\n"},
			[]string{"feed-poller: manage.py poll_feeds"}},
		{"systemd unit", map[string]string{
			"deploy/proj-sync.service": "[Unit]\nDescription=sync\n[Service]\nExecStart=/srv/venv/bin/python manage.py sync_forever\n"},
			[]string{"proj-sync: manage.py sync_forever"}},
		{"Procfile-like", map[string]string{
			"Procfile.dev": "web: python manage.py runserver\nscheduler: python manage.py run_scheduler\nassets: npm run watch\n"},
			[]string{"scheduler: manage.py run_scheduler"}},
		{"already in the Procfile", map[string]string{
			"Procfile":     "web: gunicorn proj.wsgi\nscheduler: python manage.py run_scheduler\n",
			"Procfile.dev": "scheduler: python manage.py run_scheduler\n"},
			nil},
		{"detected queue's worker", map[string]string{
			"requirements.txt":   "django\ncelery\n",
			"proj/celery.py":     "from celery import Celery\napp = Celery('proj')\n",
			"docker-compose.yml": "services:\n  worker:\n    command: celery -A proj worker -l info\n"},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{
				"manage.py":        manage("proj.settings"),
				"proj/__init__.py": "",
				"proj/settings.py": "INSTALLED_APPS = []\n",
				"proj/wsgi.py":     wsgiPy,
			}
			if _, ok := tt.files["requirements.txt"]; !ok {
				files["requirements.txt"] = "django\n"
			}
			for k, v := range tt.files {
				files[k] = v
			}
			f := scan(t, writeTree(t, files), Options{})
			var got []string
			for _, d := range f.Daemons {
				switch {
				case d.Unrenderable != "":
					got = append(got, d.Name+": !")
				case d.Manage != nil:
					got = append(got, d.Name+": manage.py "+strings.Join(d.Manage, " "))
				case d.Shell != "":
					got = append(got, d.Name+": sh: "+d.Shell)
				default:
					got = append(got, d.Name+": "+strings.Join(d.Argv, " "))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("daemons:\n%q\nwant\n%q\n(%+v)", got, tt.want, f.Daemons)
			}
		})
	}
}

// TestDevSettingsJudgedByBehaviour: a default settings module is flagged
// for what it does (DEBUG true or defaulting to true, importing dev/local
// settings), not for its name, and the warning names the production module.
func TestDevSettingsJudgedByBehaviour(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]string // proj/settings/<key>.py
		module   string
		warning  string // "" for none
	}{
		{"DEBUG True, named base", map[string]string{"base": "DEBUG = True\n", "production": "from .base import *\nDEBUG = False\n"}, "proj.settings.base",
			"manage.py defaults DJANGO_SETTINGS_MODULE to proj.settings.base, which looks like development settings (DEBUG = True in proj/settings/base.py); set DJANGO_SETTINGS_MODULE to proj.settings.production for production (dokku config:set <app> DJANGO_SETTINGS_MODULE=proj.settings.production)"},
		{"env default True", map[string]string{"main": "import os\nDEBUG = os.environ.get('DJANGO_DEBUG', 'True') == 'True'\n"}, "proj.settings.main",
			"(DEBUG defaults to True in proj/settings/main.py); set DJANGO_SETTINGS_MODULE to your production settings module"},
		{"environ default=True", map[string]string{"main": "import environ\nenv = environ.Env()\nDEBUG = env.bool('DEBUG', default=True)\n"}, "proj.settings.main",
			"(DEBUG defaults to True in proj/settings/main.py)"},
		{"imports local", map[string]string{"__init__": "from .common import *\nfrom .local import *\n", "common": "DEBUG = False\n", "local": "DEBUG = False\n"}, "proj.settings",
			"(proj/settings/__init__.py imports local (from .local import *))"},
		{"named local but production-grade", map[string]string{"local": "import os\nDEBUG = os.environ.get('DEBUG') == '1'\n"}, "proj.settings.local", ""},
		{"env default False", map[string]string{"main": "import environ\nenv = environ.Env()\nDEBUG = env.bool('DEBUG', default=False)\n"}, "proj.settings.main", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{
				"manage.py":        manage(tt.module),
				"proj/__init__.py": "",
				"proj/wsgi.py":     wsgiPy,
				"requirements.txt": "django\n",
			}
			for k, v := range tt.settings {
				files["proj/settings/"+k+".py"] = v
			}
			if _, ok := tt.settings["__init__"]; !ok {
				files["proj/settings/__init__.py"] = ""
			}
			f := scan(t, writeTree(t, files), Options{})
			dev := false
			for _, w := range f.Warnings {
				dev = dev || strings.Contains(w, "looks like development settings")
			}
			if tt.warning == "" && dev {
				t.Errorf("unexpected warning: %q", f.Warnings)
			}
			if tt.warning != "" && !hasWarning(f, tt.warning) {
				t.Errorf("warnings %q lack %q", f.Warnings, tt.warning)
			}
		})
	}
}
