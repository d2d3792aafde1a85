package project

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// linkPrefix marks a writeTree entry as a symlink to the given target.
const linkPrefix = "@link:"

// writeTree creates files (slash paths -> content) under a new temporary
// directory; content starting with linkPrefix makes a symlink instead.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, linkPrefix); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// scan runs Scan and fails the test on error.
func scan(t testing.TB, root string, opt Options) *Facts {
	t.Helper()
	f, err := Scan(root, opt)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return f
}

func manage(settings string) string {
	return `#!/usr/bin/env python
import os
import sys

def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "` + settings + `")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)

if __name__ == "__main__":
    main()
`
}

const wsgiPy = `import os
from django.core.wsgi import get_wsgi_application
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
application = get_wsgi_application()
`

const asgiPy = `import os
from django.core.asgi import get_asgi_application
application = get_asgi_application()
`

// check compares the listed fields of got with want's, by name.
type check map[string]any

func (c check) assert(t *testing.T, f *Facts) {
	t.Helper()
	v := reflect.ValueOf(f).Elem()
	for field, want := range c {
		got := v.FieldByName(field)
		if !got.IsValid() {
			t.Fatalf("no field %s", field)
		}
		g := got.Interface()
		if want == nil {
			if !got.IsZero() {
				t.Errorf("%s = %#v, want zero", field, g)
			}
			continue
		}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("%s = %#v, want %#v", field, g, want)
		}
	}
}

func hasWarning(f *Facts, sub string) bool {
	for _, w := range f.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func TestScanRootManagePy(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":          manage("mysite.settings"),
		"mysite/__init__.py": "",
		"mysite/settings.py": "INSTALLED_APPS = ['django.contrib.admin', 'myapp']\nWSGI_APPLICATION = 'mysite.wsgi.application'\n",
		"mysite/wsgi.py":     wsgiPy,
		"mysite/asgi.py":     asgiPy,
		"mysite/urls.py":     "",
		"myapp/models.py":    "",
		"requirements.txt":   "Django==5.0.1\ngunicorn==21.2.0\npsycopg[binary]\n",
	})
	f := scan(t, root, Options{})
	check{
		"Django": true, "ManagePy": "manage.py", "ProjectDir": nil,
		"Settings": "mysite.settings", "SettingsSource": SettingsFromManage, "SettingsFile": "mysite/settings.py",
		"WSGI": "mysite.wsgi:application", "ASGI": "mysite.asgi:application",
		"NeedsASGI": false, "ASGIReason": nil, "CeleryApp": nil, "Queues": nil, "CeleryBeat": false,
		"Packages":        map[string]string{"django": "==5.0.1", "gunicorn": "==21.2.0", "psycopg": ""},
		"DependencyFiles": []string{"requirements.txt"},
		"Warnings":        nil,
	}.assert(t, f)
}

func TestScanSrcLayout(t *testing.T) {
	root := writeTree(t, map[string]string{
		"src/manage.py":          manage("shop.settings"),
		"src/shop/__init__.py":   "",
		"src/shop/settings.py":   "DEBUG = False\n",
		"src/shop/wsgi.py":       wsgiPy,
		"pyproject.toml":         "[project]\nname='shop'\ndependencies = ['django>=4.2,<5', 'django-rq']\n",
		"src/orders/tasks.py":    "import django_rq\n",
		"tests/test_orders.py":   "",
		"docs/conf.py":           "",
		"README.md":              "",
		"node_modules/x/wsgi.py": wsgiPy, // never looked at
	})
	f := scan(t, root, Options{})
	check{
		"Django": true, "ManagePy": "src/manage.py", "ProjectDir": "src",
		"Settings": "shop.settings", "SettingsFile": "src/shop/settings.py",
		"WSGI": "shop.wsgi:application", "ASGI": nil, "NeedsASGI": false,
		"Queues":   []string{QueueRQ},
		"Packages": map[string]string{"django": ">=4.2,<5", "django-rq": ""},
		"Warnings": nil,
	}.assert(t, f)
}

func TestScanSubFolder(t *testing.T) {
	root := writeTree(t, map[string]string{
		"README.md":                   "",
		"backend/manage.py":           manage("core.settings"),
		"backend/core/__init__.py":    "",
		"backend/core/settings.py":    "INSTALLED_APPS = ['huey.contrib.djhuey']\n",
		"backend/core/wsgi.py":        wsgiPy,
		"backend/requirements.txt":    "django\nhuey==2.5.0\n",
		"frontend/package.json":       "{}",
		"frontend/node_modules/a.js":  "",
		"example/manage.py":           manage("example.settings"),
		"example/example/settings.py": "",
	})
	f := scan(t, root, Options{})
	check{
		"ManagePy": "backend/manage.py", "ProjectDir": "backend",
		"Settings": "core.settings", "SettingsFile": "backend/core/settings.py",
		"WSGI": "core.wsgi:application", "Queues": []string{QueueHuey},
		"InstalledApps":   []string{"huey.contrib.djhuey"},
		"Packages":        map[string]string{"django": "", "huey": "==2.5.0"},
		"DependencyFiles": []string{"backend/requirements.txt"},
		"Warnings":        nil,
	}.assert(t, f)
}

func TestScanSeveralSubFolders(t *testing.T) {
	root := writeTree(t, map[string]string{
		"zeta/manage.py":          manage("zeta.settings"),
		"zeta/zeta/settings.py":   "",
		"alpha/manage.py":         manage("alpha.settings"),
		"alpha/alpha/settings.py": "",
		"alpha/alpha/wsgi.py":     wsgiPy,
	})
	f := scan(t, root, Options{})
	check{"ManagePy": "alpha/manage.py", "Settings": "alpha.settings", "WSGI": "alpha.wsgi:application"}.assert(t, f)
	if !hasWarning(f, "several manage.py") {
		t.Errorf("no warning about several manage.py: %q", f.Warnings)
	}
	// The operator's app-dir wins.
	f = scan(t, root, Options{AppDir: "zeta/"})
	check{"ManagePy": "zeta/manage.py", "ProjectDir": "zeta", "Settings": "zeta.settings", "SettingsFile": "zeta/zeta/settings.py"}.assert(t, f)
	f = scan(t, root, Options{AppDir: "../etc"})
	if !hasWarning(f, "outside the source tree") || f.ManagePy != "alpha/manage.py" {
		t.Errorf("escaping app-dir: ManagePy %q, warnings %q", f.ManagePy, f.Warnings)
	}
}

// cookiecutter-django's layout, abridged from the template.
func cookiecutterTree() map[string]string {
	return map[string]string{
		"manage.py":          manage("config.settings.local"),
		"config/__init__.py": "from .celery_app import app as celery_app\n\n__all__ = (\"celery_app\",)\n",
		"config/celery_app.py": `import os

from celery import Celery
from celery.signals import setup_logging

# set the default Django settings module for the 'celery' program.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
`,
		"config/settings/__init__.py": "",
		"config/settings/base.py": `"""Base settings to build other settings files upon."""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve(strict=True).parent.parent.parent
env = environ.Env()
DEBUG = env.bool("DJANGO_DEBUG", False)
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # "django.contrib.humanize", # Handy template tags
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "allauth",
    "django_celery_beat",
    "rest_framework",
]
LOCAL_APPS = [
    "shop.users",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
`,
		"config/settings/local.py": `from .base import *  # noqa: F403
from .base import INSTALLED_APPS
from .base import env

DEBUG = True
INSTALLED_APPS += ["debug_toolbar"]
`,
		"config/settings/production.py": `from .base import *  # noqa: F403
from .base import INSTALLED_APPS
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])
INSTALLED_APPS += ["anymail"]
PRODUCTION_PROCESSES = {
    "web": {"BACKEND": "django_prodserver.backends.gunicorn.GunicornServer", "ARGS": {"bind": "0.0.0.0:8000"}},
    "worker": {"BACKEND": "django_prodserver.backends.celery.CeleryWorker", "APP": "config.celery_app.app"},
}
`,
		"config/settings/test.py": "from .base import *\n",
		"config/urls.py":          "",
		"config/wsgi.py": `import os
import sys
from pathlib import Path

from django.core.wsgi import get_wsgi_application

BASE_DIR = Path(__file__).resolve(strict=True).parent.parent
sys.path.append(str(BASE_DIR / "shop"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
`,
		"shop/__init__.py":                "",
		"shop/users/__init__.py":          "",
		"shop/users/tasks.py":             "from celery import shared_task\n\n@shared_task()\ndef get_users_count():\n    return 1\n",
		"shop/users/models.py":            "",
		"requirements.txt":                "# This file is expected by Heroku.\n\n-r requirements/production.txt\n",
		"requirements/base.txt":           "python-slugify==8.0.4  # https://github.com/un33k/python-slugify\ncelery==5.3.6  # pyup: < 6.0\ndjango-celery-beat==2.6.0\ndjango==5.0.1\ndjango-environ==0.11.2\ndjangorestframework==3.14.0\n",
		"requirements/production.txt":     "# PRECAUTION: avoid production dependencies that aren't in development\n\n-r base.txt\n\ngunicorn==21.2.0  # https://github.com/benoitc/gunicorn\npsycopg[c]==3.1.17\ndjango-prodserver~=2.4\n",
		"requirements/local.txt":          "-r base.txt\n\nWerkzeug[watchdog]==3.0.1\ndjango-debug-toolbar==4.2.0\npytest-django==4.7.0\n",
		"Procfile":                        "release: python manage.py migrate\nweb: gunicorn config.wsgi:application\n",
		"package.json":                    "{}",
		"node_modules/some-pkg/index.js":  "",
		"compose/production/django/start": "",
		".envs/.production/.django":       "",
	}
}

func TestScanCookiecutterDjango(t *testing.T) {
	root := writeTree(t, cookiecutterTree())
	f := scan(t, root, Options{SettingsModule: "config.settings.production"})
	check{
		"Django": true, "ManagePy": "manage.py", "ProjectDir": nil,
		"Settings": "config.settings.production", "SettingsSource": SettingsFromOption,
		"SettingsFile":  "config/settings/production.py",
		"SettingsFiles": []string{"config/settings/production.py", "config/settings/base.py"},
		"WSGI":          "config.wsgi:application", "ASGI": nil, "NeedsASGI": false,
		"InstalledApps": []string{"django_celery_beat"},
		"CeleryApp":     "config.celery_app", "CeleryFile": "config/celery_app.py",
		"CeleryBeat": true, "BeatScheduler": DatabaseScheduler,
		"Queues": []string{QueueCelery},
		"Packages": map[string]string{
			"python-slugify": "==8.0.4", "celery": "==5.3.6", "django-celery-beat": "==2.6.0", "django": "==5.0.1",
			"django-environ": "==0.11.2", "djangorestframework": "==3.14.0",
			"gunicorn": "==21.2.0", "psycopg": "==3.1.17", "django-prodserver": "~=2.4",
		},
		"DevPackages":              map[string]string{"werkzeug": "==3.0.1", "django-debug-toolbar": "==4.2.0", "pytest-django": "==4.7.0"},
		"DependencyFiles":          []string{"requirements.txt", "requirements/production.txt", "requirements/base.txt", "requirements/local.txt"},
		"ProdserverMajor":          2,
		"ProductionProcessesFound": true, "ProductionProcessesErr": nil,
		"Warnings": nil,
	}.assert(t, f)
	d, ok := f.ProductionProcesses.(*pyliteral.Dict)
	if !ok || len(d.Keys) != 2 || d.Keys[0] != "web" {
		t.Fatalf("ProductionProcesses = %#v", f.ProductionProcesses)
	}
	worker, _ := d.Get("worker")
	if app, _ := worker.(*pyliteral.Dict).Get("APP"); app != "config.celery_app.app" {
		t.Errorf("worker APP = %#v", app)
	}

	// Without DJANGO_SETTINGS_MODULE, manage.py's local default is used and
	// flagged; wsgi.py's production default is named in the warning.
	f = scan(t, root, Options{})
	check{"Settings": "config.settings.local", "SettingsSource": SettingsFromManage,
		"SettingsFiles": []string{"config/settings/local.py", "config/settings/base.py"},
		"WSGI":          "config.wsgi:application", "CeleryBeat": true, "ProductionProcessesFound": false}.assert(t, f)
	if !hasWarning(f, "looks like development settings") || !hasWarning(f, "config.settings.production") {
		t.Errorf("warnings = %q", f.Warnings)
	}
}

func TestScanNoWSGIApplicationSetting(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":                 manage("proj.settings.prod"),
		"proj/__init__.py":          "",
		"proj/settings/__init__.py": "",
		"proj/settings/common.py":   "INSTALLED_APPS = ['django.contrib.admin']\nSECRET_KEY = 'x'\n",
		"proj/settings/prod.py":     "from proj.settings.common import *\nDEBUG = False\n",
		"proj/wsgi.py":              "from django.core.wsgi import get_wsgi_application\napp = get_wsgi_application()\n",
		"other/wsgi.py":             wsgiPy, // not next to the settings: never chosen
		"Pipfile":                   "[packages]\ndjango = \"*\"\n",
	})
	f := scan(t, root, Options{})
	check{
		"SettingsFiles": []string{"proj/settings/prod.py", "proj/settings/common.py"},
		"WSGI":          "proj.wsgi:app", "ASGI": nil, "NeedsASGI": false,
		"Packages": map[string]string{"django": ""},
		"Warnings": nil,
	}.assert(t, f)
}

func TestScanSeveralWSGIWithoutSettings(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        "import sys\n", // no default settings module
		"blog/wsgi.py":     wsgiPy,
		"blog/settings.py": "",
		"zzz/deep/wsgi.py": wsgiPy,
		"aaa/wsgi.py":      wsgiPy,
		"requirements.txt": "django\n",
	})
	f := scan(t, root, Options{})
	// wsgi.py's own default names mysite.settings, which is not in the tree.
	check{"WSGI": "blog.wsgi:application", "Settings": "mysite.settings", "SettingsSource": SettingsFromWSGI}.assert(t, f)
	if !hasWarning(f, "several wsgi modules found (blog/wsgi.py, aaa/wsgi.py, zzz/deep/wsgi.py); using blog.wsgi") {
		t.Errorf("warnings = %q", f.Warnings)
	}
	if !hasWarning(f, "settings module mysite.settings not found") {
		t.Errorf("warnings = %q", f.Warnings)
	}
}

func TestScanASGIOnlyChannels(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("chat.settings"),
		"chat/__init__.py": "",
		"chat/settings.py": "INSTALLED_APPS = [\n    'daphne',\n    'channels',\n    'django.contrib.admin',\n]\nASGI_APPLICATION = 'chat.asgi.application'\nCHANNEL_LAYERS = {'default': {'BACKEND': 'channels_redis.core.RedisChannelLayer'}}\n",
		"chat/asgi.py": `import os
from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application
django_asgi_app = get_asgi_application()
application = ProtocolTypeRouter({"http": django_asgi_app})
`,
		"requirements.txt": "Django>=5\nchannels[daphne]>=4\nchannels-redis\n",
	})
	f := scan(t, root, Options{})
	check{
		"WSGI": nil, "ASGI": "chat.asgi:application", "NeedsASGI": true,
		"ASGIReason":    "channels is in INSTALLED_APPS",
		"InstalledApps": []string{"channels", "daphne"},
		"Packages":      map[string]string{"django": ">=5", "channels": ">=4", "channels-redis": ""},
	}.assert(t, f)
	// No WSGI app is fine for an ASGI app.
	if hasWarning(f, "no WSGI or ASGI") {
		t.Errorf("unexpected warning: %q", f.Warnings)
	}
}

func TestScanASGIPackageWithoutWSGI(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":             manage("site.settings"),
		"site/settings.py":      "DEBUG = False\n",
		"site/asgi/__init__.py": "async def application(scope, receive, send):\n    pass\n",
		"requirements.txt":      "django\nuvicorn\n",
	})
	f := scan(t, root, Options{})
	check{"WSGI": nil, "ASGI": "site.asgi:application", "NeedsASGI": true,
		"ASGIReason": "the project has an ASGI application (site.asgi:application) and no WSGI one"}.assert(t, f)
}

func TestScanCeleryNonStandardModuleWithBeat(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("proj.settings"),
		"proj/__init__.py": "",
		"proj/settings.py": "INSTALLED_APPS = ['django.contrib.admin']\n",
		"proj/wsgi.py":     wsgiPy,
		"proj/celery.py":   "# app = Celery('decoy') in a comment only\nfrom celery import shared_task\n",
		"jobs/__init__.py": "",
		"jobs/worker.py": `import celery
from celery.schedules import crontab

queue = celery.Celery("jobs")
queue.config_from_object("django.conf:settings", namespace="CELERY")

@queue.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    sender.add_periodic_task(crontab(hour=7), report.s())
`,
		"jobs/tasks.py":    "from .worker import queue\n",
		"requirements.in":  "celery\n",
		"requirements.txt": "celery[redis]==5.3.6\ndjango==4.2.9\n",
	})
	f := scan(t, root, Options{})
	check{
		"CeleryApp": "jobs.worker:queue", "CeleryFile": "jobs/worker.py",
		"CeleryBeat": true, "BeatScheduler": nil, "Queues": []string{QueueCelery},
		"Warnings": nil,
	}.assert(t, f)
}

func TestScanCeleryBeatScheduleInSettings(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("proj.settings"),
		"proj/settings.py": "from celery.schedules import crontab\nCELERY_BEAT_SCHEDULE = {\n    'nightly': {'task': 'x', 'schedule': crontab(hour=3)},\n}\n",
		"proj/wsgi.py":     wsgiPy,
		"proj/celery.py":   "from celery import Celery\napp = Celery('proj')\n",
		"requirements.txt": "django\ncelery\n",
	})
	f := scan(t, root, Options{})
	check{"CeleryApp": "proj.celery", "CeleryBeat": true, "BeatScheduler": nil}.assert(t, f)

	// An empty schedule is no schedule.
	root = writeTree(t, map[string]string{
		"manage.py":        manage("proj.settings"),
		"proj/settings.py": "CELERY_BEAT_SCHEDULE = {}\n",
		"proj/wsgi.py":     wsgiPy,
		"proj/celery.py":   "from celery import Celery\napp = Celery('proj')\n",
		"requirements.txt": "django\ncelery\n",
	})
	f = scan(t, root, Options{})
	check{"CeleryApp": "proj.celery", "CeleryBeat": false, "Queues": []string{QueueCelery}}.assert(t, f)
}

func TestScanDjangoRQ(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("site.settings"),
		"site/settings.py": "INSTALLED_APPS = ['django_rq']\nRQ_QUEUES = {'default': {'URL': 'redis://'}}\n",
		"site/wsgi.py":     wsgiPy,
		"requirements.txt": "Django\ndjango-rq==2.10\nrq\n",
	})
	f := scan(t, root, Options{})
	check{"Queues": []string{QueueRQ}, "InstalledApps": []string{"django_rq"}, "CeleryApp": nil}.assert(t, f)
}

func TestScanHueyInstalledNotDeclared(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("site.settings"),
		"site/settings.py": "INSTALLED_APPS = ['django.contrib.admin', 'huey.contrib.djhuey']\nHUEY = {'name': 'site'}\n",
		"site/wsgi.py":     wsgiPy,
	})
	f := scan(t, root, Options{})
	check{"Django": true, "Queues": []string{QueueHuey}, "Packages": map[string]string{}}.assert(t, f)
}

func TestScanDjangoQ2(t *testing.T) {
	files := map[string]string{
		"manage.py":        manage("site.settings"),
		"site/settings.py": "INSTALLED_APPS = ('django_q',)\nQ_CLUSTER = {'name': 'site', 'orm': 'default'}\n",
		"site/wsgi.py":     wsgiPy,
		"pyproject.toml":   "[tool.poetry.dependencies]\npython = \"^3.11\"\ndjango = \"^5.0\"\ndjango-q2 = \"^1.6\"\n",
	}
	f := scan(t, writeTree(t, files), Options{})
	check{"Queues": []string{QueueDjangoQ2}, "Packages": map[string]string{"django": "^5.0", "django-q2": "^1.6"}, "Warnings": nil}.assert(t, f)

	files["pyproject.toml"] = "[tool.poetry.dependencies]\npython = \"^3.8\"\ndjango = \"^3.2\"\ndjango-q = \"^1.3\"\n"
	f = scan(t, writeTree(t, files), Options{})
	check{"Queues": []string{QueueDjangoQ}}.assert(t, f)
}

func TestScanDependencySources(t *testing.T) {
	base := map[string]string{
		"manage.py":        manage("site.settings"),
		"site/settings.py": "",
		"site/wsgi.py":     wsgiPy,
	}
	tests := []struct {
		name     string
		files    map[string]string
		packages map[string]string
		dev      map[string]string
		locked   map[string]string
		depFiles []string
		major    int
	}{
		{
			name: "requirements with includes, constraints and dev file",
			files: map[string]string{
				"requirements.txt":             "-r requirements/prod.txt\n-c constraints.txt\n",
				"requirements/prod.txt":        "django\ndjango-prodserver\n",
				"constraints.txt":              "django-prodserver==3.0.1\ndjango==5.1\n",
				"requirements/constraints.txt": "celery==5.3.6\n", // not referenced: declares nothing
				"requirements-dev.txt":         "-r requirements.txt\npytest\n",
			},
			packages: map[string]string{"django": "", "django-prodserver": ""},
			dev:      map[string]string{"pytest": ""},
			locked:   map[string]string{"django-prodserver": "3.0.1", "django": "5.1"},
			depFiles: []string{"requirements.txt", "requirements/prod.txt", "constraints.txt", "requirements-dev.txt"},
			major:    3,
		},
		{
			name: "Poetry with lock",
			files: map[string]string{
				"pyproject.toml": "[tool.poetry.dependencies]\npython = \"^3.11\"\nDjango = \"^5.0\"\ndjango-prodserver = \">=2\"\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n",
				"poetry.lock":    "[[package]]\nname = \"django-prodserver\"\nversion = \"2.4.1\"\ngroups = [\"main\"]\n[[package]]\nname = \"django\"\nversion = \"5.0.3\"\ngroups = [\"main\"]\n",
			},
			packages: map[string]string{"django": "^5.0", "django-prodserver": ">=2"},
			dev:      map[string]string{"pytest": ""},
			locked:   map[string]string{"django": "5.0.3", "django-prodserver": "2.4.1"},
			depFiles: []string{"pyproject.toml", "poetry.lock"},
			major:    2,
		},
		{
			name: "uv with dependency groups and lock",
			files: map[string]string{
				"pyproject.toml": "[project]\nname = \"site\"\ndependencies = [\"django\", \"django-prodserver>=3,<4\"]\n[dependency-groups]\ndev = [\"pytest\"]\n",
				"uv.lock":        "version = 1\n[[package]]\nname = \"django\"\nversion = \"5.1.0\"\n[[package]]\nname = \"site\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\ndependencies = [{ name = \"django\" }]\n",
			},
			packages: map[string]string{"django": "", "django-prodserver": ">=3,<4"},
			dev:      map[string]string{"pytest": ""},
			locked:   map[string]string{"django": "5.1.0", "site": "0.1.0"},
			depFiles: []string{"pyproject.toml", "uv.lock"},
			major:    3,
		},
		{
			name: "Pipfile with lock",
			files: map[string]string{
				"Pipfile":      "[packages]\ndjango = \"*\"\ndjango-prodserver = \"==2.4.0\"\n[dev-packages]\nblack = \"*\"\n",
				"Pipfile.lock": `{"default": {"django": {"version": "==4.2.1"}, "django-prodserver": {"version": "==2.4.0"}}, "develop": {"black": {"version": "==24.1"}}}`,
			},
			packages: map[string]string{"django": "", "django-prodserver": "==2.4.0"},
			dev:      map[string]string{"black": ""},
			locked:   map[string]string{"django": "4.2.1", "django-prodserver": "2.4.0"},
			depFiles: []string{"Pipfile", "Pipfile.lock"},
			major:    2,
		},
		{
			name: "lock file only",
			files: map[string]string{
				"uv.lock": "version = 1\n[[package]]\nname = \"Django\"\nversion = \"5.1.0\"\n",
			},
			packages: map[string]string{"django": "==5.1.0"},
			dev:      map[string]string{},
			locked:   map[string]string{"django": "5.1.0"},
			depFiles: []string{"uv.lock"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range tt.files {
				files[k] = v
			}
			f := scan(t, writeTree(t, files), Options{})
			check{"Packages": tt.packages, "DevPackages": tt.dev, "Locked": tt.locked,
				"DependencyFiles": tt.depFiles, "ProdserverMajor": tt.major, "Warnings": nil}.assert(t, f)
		})
	}
}

func TestScanBrokenFilesAreWarnings(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("site.settings"),
		"site/settings.py": "PRODUCTION_PROCESSES = {'web': {'BACKEND': get_backend()}}\nWSGI_APPLICATION = 'site.wsgi.application'\n",
		"site/wsgi.py":     wsgiPy,
		"pyproject.toml":   "[project\nbroken = ",
		"Pipfile.lock":     "{not json",
		"requirements.txt": "django\n-r ../../etc/passwd\n-r missing.txt\n",
	})
	f := scan(t, root, Options{})
	check{"Django": true, "WSGI": "site.wsgi:application", "ProductionProcessesFound": true,
		"Packages": map[string]string{"django": ""}}.assert(t, f)
	if !errors.Is(f.ProductionProcessesErr, pyliteral.ErrNotLiteral) {
		t.Errorf("ProductionProcessesErr = %v, want ErrNotLiteral", f.ProductionProcessesErr)
	}
	for _, w := range []string{"pyproject.toml", "Pipfile.lock", "outside the source tree", "missing.txt"} {
		if !hasWarning(f, w) {
			t.Errorf("no warning mentioning %q: %q", w, f.Warnings)
		}
	}
}

func TestScanSymlinkedManagePy(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":            linkPrefix + "app/manage.py",
		"app/manage.py":        manage("site.settings"),
		"app/site/settings.py": "WSGI_APPLICATION = 'site.wsgi.application'\n",
		"app/site/wsgi.py":     wsgiPy,
		"app/requirements.txt": "django\n",
	})
	f := scan(t, root, Options{})
	// Root manage.py wins; Python resolves the link, so modules are found
	// below app/.
	check{"ManagePy": "manage.py", "ProjectDir": "app", "Settings": "site.settings",
		"SettingsFile": "app/site/settings.py", "WSGI": "site.wsgi:application",
		"Packages": map[string]string{"django": ""}}.assert(t, f)
}

func TestScanSymlinkOutOfRootIsNotFollowed(t *testing.T) {
	outside := writeTree(t, map[string]string{
		"manage.py":               manage("evil.settings"),
		"evil/settings.py":        "",
		"secret/requirements.txt": "django\n",
	})
	root := writeTree(t, map[string]string{
		"manage.py":        linkPrefix + filepath.Join(outside, "manage.py"),
		"requirements.txt": linkPrefix + filepath.Join(outside, "secret/requirements.txt"),
		"linked":           linkPrefix + outside,
		"package.json":     "{}",
	})
	var reads []string
	f := scan(t, root, Options{OnRead: func(rel string) { reads = append(reads, rel) }})
	check{"Django": false, "ManagePy": nil, "Packages": map[string]string{}}.assert(t, f)
	if !hasWarning(f, "manage.py is a symlink that leads outside") {
		t.Errorf("warnings = %q", f.Warnings)
	}
	for _, r := range reads {
		if strings.HasPrefix(r, "linked") || r == "requirements.txt" {
			t.Errorf("read through an outside link: %s", r)
		}
	}
}

func TestScanNotDjangoNodeApp(t *testing.T) {
	files := map[string]string{
		"package.json":  `{"name": "web", "dependencies": {"express": "4"}}`,
		"index.js":      "",
		"src/server.js": "",
	}
	for i := 0; i < 26; i++ {
		files["node_modules/pkg"+string(rune('a'+i%26))+"/lib/wsgi.py"] = wsgiPy
		files["node_modules/pkg"+string(rune('a'+i%26))+"/manage.py"] = manage("x.settings")
	}
	var reads []string
	f := scan(t, writeTree(t, files), Options{OnRead: func(rel string) { reads = append(reads, rel) }})
	check{"Django": false, "ManagePy": nil, "Settings": nil, "WSGI": nil, "Warnings": nil,
		"Packages": map[string]string{}}.assert(t, f)
	for _, r := range reads {
		if strings.Contains(r, "node_modules") {
			t.Errorf("walked into %s", r)
		}
	}
	if f.Stats.DirsRead > 2 || f.Stats.FilesRead != 0 {
		t.Errorf("not cheap: %+v (reads %q)", f.Stats, reads)
	}
}

func TestScanDjangoDeclaredWithoutManagePy(t *testing.T) {
	root := writeTree(t, map[string]string{
		"requirements.txt": "djangorestframework\n",
		"api/settings.py":  "",
	})
	f := scan(t, root, Options{})
	check{"Django": false}.assert(t, f) // djangorestframework is not django

	root = writeTree(t, map[string]string{
		"requirements.txt":           "django\n",
		"api/__init__.py":            "",
		"api/settings/__init__.py":   "",
		"api/settings/production.py": "WSGI_APPLICATION = 'api.wsgi.application'\n",
		"api/wsgi.py":                "import os\napplication = None\n",
	})
	f = scan(t, root, Options{})
	check{"Django": true, "ManagePy": nil, "Settings": "api.settings.production", "SettingsSource": SettingsFromGuessed,
		"WSGI": "api.wsgi:application"}.assert(t, f)
	if !hasWarning(f, "no manage.py") {
		t.Errorf("warnings = %q", f.Warnings)
	}
}

func TestScanErrors(t *testing.T) {
	if _, err := Scan(filepath.Join(t.TempDir(), "missing"), Options{}); err == nil {
		t.Error("missing root: no error")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(file, Options{}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file root: err = %v", err)
	}
	// An unreadable file below the root is a warning, not an error.
	if os.Geteuid() != 0 {
		root := writeTree(t, map[string]string{"manage.py": manage("a.settings"), "a/settings.py": ""})
		if err := os.Chmod(filepath.Join(root, "a/settings.py"), 0); err != nil {
			t.Fatal(err)
		}
		f := scan(t, root, Options{})
		if !hasWarning(f, "settings") {
			t.Errorf("warnings = %q", f.Warnings)
		}
	}
}

func TestScanSettingsCycleAndDepth(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":              manage("s.settings.a"),
		"s/settings/__init__.py": "",
		"s/settings/a.py":        "from .b import *\nWSGI_APPLICATION = 's.wsgi.application'\n",
		"s/settings/b.py":        "from .a import *\nfrom .c import *\nINSTALLED_APPS = ['django_rq']\n",
		"s/settings/c.py":        "from .b import *\nPRODUCTION_PROCESSES = {'web': {'BACKEND': 'x'}}\n",
		"s/wsgi.py":              wsgiPy,
	})
	f := scan(t, root, Options{})
	check{"SettingsFiles": []string{"s/settings/a.py", "s/settings/b.py", "s/settings/c.py"},
		"WSGI": "s.wsgi:application", "Queues": []string{QueueRQ}, "ProductionProcessesFound": true}.assert(t, f)
}

func TestScanModuleOverridesStarImport(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":                  manage("cfg.settings.production"),
		"cfg/settings/base.py":       "WSGI_APPLICATION = 'cfg.wsgi.application'\nCELERY_BEAT_SCHEDULER = 'celery.beat:PersistentScheduler'\n",
		"cfg/settings/extra.py":      "CELERY_BEAT_SCHEDULER = 'redbeat.RedBeatScheduler'\n",
		"cfg/settings/production.py": "from .base import *\nfrom .extra import *\nWSGI_APPLICATION = 'cfg.prod_wsgi.application'\n",
		"cfg/prod_wsgi.py":           wsgiPy,
		"cfg/wsgi.py":                wsgiPy,
		"cfg/celery.py":              "from celery import Celery\napp = Celery()\n",
		"requirements.txt":           "django\ncelery\n",
	})
	f := scan(t, root, Options{})
	check{"WSGI": "cfg.prod_wsgi:application", "BeatScheduler": "redbeat.RedBeatScheduler", "CeleryBeat": true}.assert(t, f)
}

// Settings computed from the environment are not literals: detection warns
// and falls back to looking beside the settings instead of guessing.
func TestScanEnvBasedSettingValues(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("conf.settings"),
		"conf/__init__.py": "",
		"conf/settings.py": "import environ\nenv = environ.Env()\nWSGI_APPLICATION = env('WSGI_APP', default='conf.wsgi.application')\nCELERY_BEAT_SCHEDULER = env('BEAT_SCHEDULER')\nINSTALLED_APPS = env.list('APPS')\nPRODUCTION_PROCESSES = env.json('PROCS')\n",
		"conf/wsgi.py":     wsgiPy,
		"conf/celery.py":   "from celery import Celery\napp = Celery('conf')\napp.conf.beat_schedule = {'x': {'task': 't', 'schedule': 60.0}}\n",
		"requirements.txt": "django\ncelery\n",
	})
	f := scan(t, root, Options{})
	check{"WSGI": "conf.wsgi:application", "CeleryApp": "conf.celery", "CeleryBeat": true, "BeatScheduler": nil,
		"ProductionProcessesFound": true, "ProductionProcesses": nil}.assert(t, f)
	if !errors.Is(f.ProductionProcessesErr, pyliteral.ErrNotLiteral) {
		t.Errorf("ProductionProcessesErr = %v", f.ProductionProcessesErr)
	}
	for _, w := range []string{"WSGI_APPLICATION is not a string literal", "CELERY_BEAT_SCHEDULER is not a string literal"} {
		if !hasWarning(f, w) {
			t.Errorf("no warning %q: %q", w, f.Warnings)
		}
	}
}

func TestScanSettingsModuleNotInTree(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("site.settings"),
		"site/settings.py": "WSGI_APPLICATION = 'site.wsgi.application'\n",
		"site/wsgi.py":     wsgiPy,
	})
	f := scan(t, root, Options{SettingsModule: "site.settings_prod"})
	check{"Settings": "site.settings_prod", "SettingsSource": SettingsFromOption, "SettingsFile": nil,
		"WSGI": "site.wsgi:application"}.assert(t, f)
	// The value is the app's config: the warning names the key, never the
	// value.
	if !hasWarning(f, "DJANGO_SETTINGS_MODULE is not in the source tree") || strings.Contains(strings.Join(f.Warnings, " "), "settings_prod") {
		t.Errorf("warnings = %q", f.Warnings)
	}
}

// TestScanDeepManagePy: manage.py two or three folders down (monorepos with
// apps/api/, backend/src/) is found when nothing shallower is, with its
// settings, WSGI module and requirements read from there; four down is
// past MaxManageDepth and is reported as not found.
func TestScanDeepManagePy(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  check
	}{
		{
			name: "apps/api/manage.py",
			files: map[string]string{
				"package.json":                "{}",
				"apps/web/package.json":       "{}",
				"apps/api/manage.py":          manage("config.settings"),
				"apps/api/config/__init__.py": "",
				"apps/api/config/settings.py": "INSTALLED_APPS = ['django.contrib.admin']\n",
				"apps/api/config/wsgi.py":     wsgiPy,
				"apps/api/requirements.txt":   "django==5.1.4\ngunicorn==23.0.0\n",
			},
			want: check{"ManagePy": "apps/api/manage.py", "ProjectDir": "apps/api", "Settings": "config.settings",
				"SettingsFile": "apps/api/config/settings.py", "WSGI": "config.wsgi:application",
				"Packages": map[string]string{"django": "==5.1.4", "gunicorn": "==23.0.0"}, "Warnings": nil},
		},
		{
			name: "backend/src/manage.py, requirements at the root",
			files: map[string]string{
				"requirements.txt":                "django==5.1.4\n",
				"backend/src/manage.py":           manage("shop.settings"),
				"backend/src/shop/__init__.py":    "",
				"backend/src/shop/settings.py":    "",
				"backend/src/shop/wsgi.py":        wsgiPy,
				"backend/tests/proj/manage.py":    manage("proj.settings"),
				"backend/tests/proj/proj/wsgi.py": wsgiPy,
			},
			want: check{"ManagePy": "backend/src/manage.py", "ProjectDir": "backend/src", "Settings": "shop.settings",
				"WSGI": "shop.wsgi:application", "Warnings": nil},
		},
		{
			name: "four folders down: past the bound",
			files: map[string]string{
				"requirements.txt":      "django==5.1.4\n",
				"a/b/c/d/manage.py":     manage("x.settings"),
				"a/b/c/d/x/settings.py": "",
			},
			want: check{"ManagePy": "", "Warnings": []string{"Django is declared but no manage.py was found within 3 folders of the root; set app-dir",
				"no settings module found; set DJANGO_SETTINGS_MODULE", "no WSGI or ASGI application found; set prodserver:set wsgi"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.assert(t, scan(t, writeTree(t, tt.files), Options{}))
		})
	}
}
