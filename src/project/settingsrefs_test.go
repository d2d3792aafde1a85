package project

import "testing"

// TestSettingsChains: settings the app really runs are read through
// django-split-settings include()/optional() (globs too), star imports
// inside try/if blocks, and settings packages whose __init__.py is empty.
// Fixtures follow wemake-django-template (split-settings) and
// cookiecutter-style settings packages.
func TestSettingsChains(t *testing.T) {
	base := map[string]string{
		"requirements.txt":   "django==5.1.4\ngunicorn==23.0.0\ndjango-rq==3.0\n",
		"server/__init__.py": "",
		"server/wsgi.py":     wsgiPy,
	}
	tests := []struct {
		name  string
		files map[string]string
		want  check
	}{
		{
			name: "split-settings include, glob and optional",
			files: map[string]string{
				"manage.py": manage("server.settings"),
				"server/settings/__init__.py": `"""Settings assembled by django-split-settings."""
from os import environ

from split_settings.tools import include, optional

_ENV = environ.get("DJANGO_ENV", "production")

base_settings = [
    "components/common.py",
    "components/*.py",
    optional("environments/{0}.py".format(_ENV)),
]

include(
    "components/common.py",
    "components/queues.py",
    optional("environments/production.py"),
)
`,
				"server/settings/components/__init__.py":   "",
				"server/settings/components/common.py":     "WSGI_APPLICATION = 'server.wsgi.application'\nINSTALLED_APPS = ['django.contrib.admin']\n",
				"server/settings/components/queues.py":     "INSTALLED_APPS += ['django_rq']\nRQ_QUEUES = {'default': {}, 'mail': {}}\n",
				"server/settings/environments/__init__.py": "",
			},
			want: check{"InstalledApps": []string{"django_rq"}, "WSGI": "server.wsgi:application",
				"RQQueues":      []string{"default", "mail"},
				"SettingsFiles": []string{"server/settings/__init__.py", "server/settings/components/queues.py", "server/settings/components/common.py"},
				"Warnings":      nil},
		},
		{
			name: "split-settings glob in name order",
			files: map[string]string{
				"manage.py":                              manage("server.settings"),
				"server/settings/__init__.py":            "from split_settings.tools import include\ninclude('components/*.py')\n",
				"server/settings/components/a_common.py": "WSGI_APPLICATION = 'server.wsgi.application'\n",
				"server/settings/components/b_queues.py": "INSTALLED_APPS = ['django_rq']\n",
			},
			want: check{"InstalledApps": []string{"django_rq"},
				"SettingsFiles": []string{"server/settings/__init__.py", "server/settings/components/b_queues.py", "server/settings/components/a_common.py"},
				"Warnings":      nil},
		},
		{
			name: "split-settings include of a missing file",
			files: map[string]string{
				"manage.py":                            manage("server.settings"),
				"server/settings/__init__.py":          "from split_settings.tools import include\ninclude('components/common.py', 'components/missing.py')\n",
				"server/settings/components/common.py": "WSGI_APPLICATION = 'server.wsgi.application'\n",
			},
			want: check{"Warnings": []string{`server/settings/__init__.py: include("components/missing.py") names no file in the source tree; Django will fail to start (wrap it in optional() if it may be missing)`}},
		},
		{
			name: "star imports inside try and if",
			files: map[string]string{
				"manage.py": manage("server.settings"),
				"server/settings.py": `import os

WSGI_APPLICATION = "server.wsgi.application"
INSTALLED_APPS = ["django.contrib.admin"]

try:
    from .local_overrides import *  # noqa
except ImportError:
    pass

if os.environ.get("ENABLE_QUEUES"):
    from server.queue_settings import *
`,
				"server/queue_settings.py": "INSTALLED_APPS += ['django_celery_beat']\n",
				"server/celery.py":         "from celery import Celery\n\napp = Celery('server')\n",
				"requirements.txt":         "django==5.1.4\ngunicorn==23.0.0\ncelery==5.4.0\ndjango-celery-beat==2.7.0\n",
			},
			want: check{"InstalledApps": []string{"django_celery_beat"},
				"SettingsFiles": []string{"server/settings.py", "server/queue_settings.py"},
				"Warnings":      nil},
		},
		{
			name: "settings package with an empty __init__",
			files: map[string]string{
				"manage.py":                     manage("server.settings"),
				"server/settings/__init__.py":   "",
				"server/settings/base.py":       "WSGI_APPLICATION = 'server.wsgi.application'\nINSTALLED_APPS = ['django.contrib.admin']\n",
				"server/settings/local.py":      "from .base import *\nDEBUG = True\n",
				"server/settings/production.py": "from .base import *\nINSTALLED_APPS += ['django_rq']\n",
			},
			want: check{"Settings": "server.settings", "InstalledApps": []string{"django_rq"}, "WSGI": "server.wsgi:application",
				"SettingsFiles": []string{"server/settings/production.py", "server/settings/base.py"},
				"Warnings":      []string{"server/settings/__init__.py is empty, so DJANGO_SETTINGS_MODULE=server.settings loads no settings; detection read server.settings.production instead, set DJANGO_SETTINGS_MODULE=server.settings.production"}},
		},
		{
			name: "guessed: empty __init__ is not a candidate",
			files: map[string]string{
				"server/settings/__init__.py": "# settings live in the modules\n",
				"server/settings/base.py":     "WSGI_APPLICATION = 'server.wsgi.application'\n",
				"server/settings/dev.py":      "from .base import *\n",
				"server/settings/live.py":     "from .base import *\nINSTALLED_APPS = ['django_rq']\n",
				"manage.py":                   "#!/usr/bin/env python\nimport sys\n",
				"server/wsgi.py":              "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
			},
			want: check{"Settings": "server.settings.live", "InstalledApps": []string{"django_rq"},
				"Warnings": []string{"DJANGO_SETTINGS_MODULE is not set; using server.settings.live"}},
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
			tt.want.assert(t, scan(t, writeTree(t, files), Options{}))
		})
	}
}

func TestSettingsRefs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []settingsRef
	}{
		{"module-level and nested star imports", "from .base import *\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n",
			[]settingsRef{{module: ".base"}, {module: ".local"}}},
		{"named import is not a star import", "from .base import DEBUG, INSTALLED_APPS\n", nil},
		{"star import in a string or comment", "# from .x import *\nDOC = 'from .y import *'\n", nil},
		{"include without split_settings is Django's urls include", "from django.urls import include\ninclude('a.py')\n", nil},
		{"include and optional", "from split_settings.tools import include, optional\ninclude('a.py', optional('b.py'), 'c/*.py')\n",
			[]settingsRef{{file: "a.py"}, {file: "b.py", optional: true}, {file: "c/*.py"}}},
		{"include of a named tuple, run-time name", "from split_settings.tools import include, optional\n_base = (\n    'components/common.py',\n    'environments/{0}.py'.format(ENV),\n    optional('environments/local.py'),\n)\ninclude(*_base)\n",
			[]settingsRef{{file: "components/common.py"}, {file: "environments/{0}.py", dynamic: true}, {file: "environments/local.py", optional: true}}},
		{"include as an attribute call", "import split_settings.tools\nsplit_settings.tools.include('x.py')\n", []settingsRef{{file: "x.py"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := settingsRefs([]byte(tt.src))
			if len(got) != len(tt.want) {
				t.Fatalf("settingsRefs = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("settingsRefs[%d] = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
