package project

import (
	"strings"
	"testing"
)

// celeryTree is a small Django project with celery declared, to which each
// case adds or replaces files.
func celeryTree(t *testing.T, extra map[string]string) *Facts {
	t.Helper()
	files := map[string]string{
		"manage.py":        manage("proj.settings"),
		"proj/__init__.py": "",
		"proj/settings.py": "INSTALLED_APPS = ['shop']\n",
		"proj/wsgi.py":     wsgiPy,
		"shop/__init__.py": "",
		"requirements.txt": "django\ncelery\n",
	}
	for k, v := range extra {
		if v == "" && k != "proj/__init__.py" {
			delete(files, k)
			continue
		}
		files[k] = v
	}
	return scan(t, writeTree(t, files), Options{})
}

// TestCeleryReexported: a Celery app in a module with no usual name is
// found through the package that re-exports it, by a relative or an
// absolute import, and -A names the module Celery imports.
func TestCeleryReexported(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		app   string
	}{
		{"absolute, aliased", map[string]string{
			"proj/__init__.py":  "from proj.taskqueue import app as celery_app\n\n__all__ = ('celery_app',)\n",
			"proj/taskqueue.py": "from celery import Celery\napp = Celery('proj')\n"}, "proj.taskqueue"},
		{"absolute from another package", map[string]string{
			"proj/__init__.py":       "from core.jobs.queue import celery_app\n",
			"core/__init__.py":       "",
			"core/jobs/__init__.py":  "",
			"core/jobs/queue.py":     "import celery\ncelery_app = celery.Celery('proj')\n",
			"core/jobs/unrelated.py": "x = 1\n"}, "core.jobs.queue:celery_app"},
		{"star import with __all__", map[string]string{
			"proj/__init__.py":  "from .taskqueue import *\n",
			"proj/taskqueue.py": "from celery import Celery\n__all__ = ['worker']\nworker = Celery('proj')\n"}, "proj.taskqueue:worker"},
		{"relative, name without celery", map[string]string{
			"proj/__init__.py": "from .jobs import app\n\n__all__ = ['app']\n",
			"proj/jobs.py":     "from celery import Celery\napp = Celery('proj')\n"}, "proj.jobs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := celeryTree(t, tt.files)
			if f.CeleryApp != tt.app {
				t.Errorf("CeleryApp %q, want %q (warnings %q)", f.CeleryApp, tt.app, f.Warnings)
			}
		})
	}
}

// TestPeriodicTasksElsewhere: periodic tasks registered in code outside
// the Celery module (an app's tasks.py, a schedules module) make beat
// needed; code that only reads the schedule does not.
func TestPeriodicTasksElsewhere(t *testing.T) {
	app := "from celery import Celery\napp = Celery('proj')\napp.autodiscover_tasks()\n"
	tests := []struct {
		name  string
		files map[string]string
		beat  bool
	}{
		{"on_after_configure in tasks.py", map[string]string{
			"shop/tasks.py": "from proj.celery import app\n\n@app.on_after_configure.connect\ndef setup_periodic_tasks(sender, **kwargs):\n    sender.add_periodic_task(300.0, sync.s(), name='sync')\n\n@app.task\ndef sync():\n    pass\n"}, true},
		{"on_after_finalize in tasks.py", map[string]string{
			"shop/tasks.py": "from celery import shared_task, current_app\n\n@current_app.on_after_finalize.connect\ndef schedule(sender, **kw):\n    sender.add_periodic_task(crontab(minute=0), sync.s())\n"}, true},
		{"beat_schedule built in schedules.py", map[string]string{
			"proj/schedules.py": "from celery.schedules import crontab\nfrom proj.celery import app\n\nschedule = {}\nfor name in ('a', 'b'):\n    schedule[name] = {'task': 'shop.tasks.' + name, 'schedule': crontab(minute=0)}\napp.conf.beat_schedule = schedule\n"}, true},
		{"beat_schedule updated in tasks.py", map[string]string{
			"shop/tasks.py": "from proj.celery import app\napp.conf.beat_schedule.update({'nightly': {'task': 'shop.tasks.nightly', 'schedule': 86400}})\n"}, true},
		{"conf.update(beat_schedule=...)", map[string]string{
			"proj/celery.py": app + "app.conf.update(beat_schedule={'x': {'task': 'x', 'schedule': 10}})\n"}, true},
		{"only read", map[string]string{
			"shop/tasks.py": "from proj.celery import app\n\ndef show():\n    return app.conf.beat_schedule\n"}, false},
		{"empty schedule", map[string]string{
			"proj/celery.py": app + "app.conf.beat_schedule = {}\n"}, false},
		{"in a comment", map[string]string{
			"shop/tasks.py": "# sender.add_periodic_task(10, x.s())\nfrom proj.celery import app\n"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"proj/celery.py": app}
			for k, v := range tt.files {
				files[k] = v
			}
			f := celeryTree(t, files)
			if f.CeleryApp != "proj.celery" || f.CeleryBeat != tt.beat {
				t.Errorf("CeleryApp %q CeleryBeat %v, want proj.celery %v (warnings %q)", f.CeleryApp, f.CeleryBeat, tt.beat, f.Warnings)
			}
		})
	}
}

// TestProjectScheduler: the project's own DatabaseScheduler subclass,
// named by a setting or by app.conf in the Celery module, is what beat
// runs, by its dotted path.
func TestProjectScheduler(t *testing.T) {
	sched := "from django_celery_beat.schedulers import DatabaseScheduler\n\nclass TenantScheduler(DatabaseScheduler):\n    pass\n"
	app := "from celery import Celery\napp = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\n"
	tests := []struct {
		name      string
		files     map[string]string
		scheduler string
		warning   string
	}{
		{"CELERY_BEAT_SCHEDULER names it", map[string]string{
			"proj/settings.py":   "INSTALLED_APPS = ['django_celery_beat']\nCELERY_BEAT_SCHEDULER = 'proj.schedulers.TenantScheduler'\n",
			"proj/schedulers.py": sched}, "proj.schedulers.TenantScheduler", ""},
		{"app.conf.beat_scheduler in the Celery module", map[string]string{
			"proj/settings.py":   "INSTALLED_APPS = ['django_celery_beat']\n",
			"proj/celery.py":     app + "app.conf.beat_scheduler = 'proj.schedulers:TenantScheduler'\n",
			"proj/schedulers.py": sched}, "proj.schedulers:TenantScheduler", ""},
		{"conf.update(beat_scheduler=...)", map[string]string{
			"proj/settings.py":   "INSTALLED_APPS = ['django_celery_beat']\n",
			"proj/celery.py":     app + "app.conf.update(beat_scheduler='proj.schedulers:TenantScheduler', timezone='UTC')\n",
			"proj/schedulers.py": sched}, "proj.schedulers:TenantScheduler", ""},
		{"subclass without django_celery_beat installed", map[string]string{
			"proj/settings.py":   "INSTALLED_APPS = ['shop']\nCELERY_BEAT_SCHEDULER = 'proj.schedulers.TenantScheduler'\n",
			"proj/schedulers.py": sched}, "proj.schedulers.TenantScheduler",
			`beat: CELERY_BEAT_SCHEDULER (proj/settings.py) names proj.schedulers.TenantScheduler, a subclass of django-celery-beat's DatabaseScheduler (proj/schedulers.py), but django_celery_beat is not in INSTALLED_APPS (proj/settings.py); beat crashes at start until you add "django_celery_beat" to INSTALLED_APPS`},
		{"subclass named by nothing", map[string]string{
			"proj/settings.py":   "INSTALLED_APPS = ['django_celery_beat']\n",
			"proj/schedulers.py": sched}, DatabaseScheduler,
			"beat: proj/schedulers.py defines TenantScheduler, a subclass of DatabaseScheduler, but no setting or beat command names it, so beat runs django_celery_beat.schedulers:DatabaseScheduler; to run yours, set CELERY_BEAT_SCHEDULER = \"proj.schedulers.TenantScheduler\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"proj/celery.py": app, "requirements.txt": "django\ncelery\ndjango-celery-beat\n"}
			for k, v := range tt.files {
				files[k] = v
			}
			f := celeryTree(t, files)
			if !f.CeleryBeat || f.BeatScheduler != tt.scheduler {
				t.Errorf("CeleryBeat %v BeatScheduler %q, want true %q (warnings %q)", f.CeleryBeat, f.BeatScheduler, tt.scheduler, f.Warnings)
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

// TestProjectBeatCommand: the project's own beat command (compose,
// scripts, task runners) is followed: its scheduler and schedule file are
// adopted, and what the rendered line cannot carry is named.
func TestProjectBeatCommand(t *testing.T) {
	app := "from celery import Celery\napp = Celery('proj')\n"
	tests := []struct {
		name      string
		files     map[string]string
		scheduler string
		options   map[string]string
		warning   string
	}{
		{"compose command", map[string]string{
			"docker-compose.yml": "services:\n  beat:\n    build: .\n    command: celery -A proj beat -l info -S redbeat.RedBeatScheduler --max-interval 30\n"},
			"redbeat.RedBeatScheduler", map[string]string{"loglevel": "info", "max-interval": "30"}, ""},
		{"compose block command, production file wins", map[string]string{
			"docker-compose.yml":      "services:\n  beat:\n    command: celery -A proj beat -l debug\n",
			"docker-compose.prod.yml": "services:\n  beat:\n    command: >\n      celery --app=proj beat --loglevel=INFO\n      --schedule=/data/celerybeat-schedule\n"},
			"", map[string]string{"loglevel": "INFO", "schedule": "/data/celerybeat-schedule"},
			"beat: docker-compose.yml line 3 runs beat with --loglevel=debug, unlike docker-compose.prod.yml line 4 (--loglevel=INFO --schedule=/data/celerybeat-schedule), which the rendered beat line follows"},
		{"bin script with pidfile", map[string]string{
			"bin/start-beat.sh": "#!/bin/sh\nset -e\nrm -f /tmp/celerybeat.pid\nexec celery -A proj beat \\\n  --pidfile=/tmp/celerybeat.pid \\\n  -s /tmp/celerybeat-schedule\n"},
			"", map[string]string{"schedule": "/tmp/celerybeat-schedule"},
			"beat: bin/start-beat.sh line 4 runs beat with --pidfile=/tmp/celerybeat.pid, which the rendered beat line leaves out (Dokku runs beat in the foreground, logging to stdout); to keep it: dokku prodserver:args <app> beat --pidfile=/tmp/celerybeat.pid"},
		{"Makefile target", map[string]string{
			"Makefile":         "beat:\n\tpoetry run celery -A proj beat --scheduler django_celery_beat.schedulers:DatabaseScheduler -l INFO\n",
			"proj/settings.py": "INSTALLED_APPS = ['django_celery_beat']\n", "requirements.txt": "django\ncelery\ndjango-celery-beat\n"},
			"django_celery_beat.schedulers:DatabaseScheduler", map[string]string{"loglevel": "INFO"}, ""},
		{"invoke task", map[string]string{
			"tasks.py": "from invoke import task\n\n@task\ndef beat(c):\n    c.run(\"celery -A proj beat -l info -S celery.beat:PersistentScheduler\")\n"},
			"celery.beat:PersistentScheduler", map[string]string{"loglevel": "info"}, ""},
		{"another app", map[string]string{
			"scripts/beat.sh": "celery -A other.worker beat\n"},
			"", nil,
			"beat: scripts/beat.sh line 1 runs beat for the Celery app other.worker, but prodserver found proj.celery (proj/celery.py) and renders that; if other.worker is right, set it: dokku prodserver:set <app> celery-app other.worker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"proj/celery.py": app}
			for k, v := range tt.files {
				files[k] = v
			}
			f := celeryTree(t, files)
			if !f.CeleryBeat || f.BeatScheduler != tt.scheduler {
				t.Errorf("CeleryBeat %v BeatScheduler %q, want true %q (warnings %q)", f.CeleryBeat, f.BeatScheduler, tt.scheduler, f.Warnings)
			}
			if len(f.BeatOptions) != len(tt.options) {
				t.Errorf("BeatOptions %q, want %q", f.BeatOptions, tt.options)
			}
			for k, v := range tt.options {
				if f.BeatOptions[k] != v {
					t.Errorf("BeatOptions[%s] = %q, want %q", k, f.BeatOptions[k], v)
				}
			}
			if tt.warning != "" && !hasWarning(f, tt.warning) {
				t.Errorf("warnings %q lack %q", f.Warnings, tt.warning)
			}
			if tt.warning == "" && len(f.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", f.Warnings)
			}
			_ = strings.Contains
		})
	}
}
