package project

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestFromImports: the module-level from-imports a package's __init__.py
// re-exports its Celery app with, relative or absolute (issue 12).
func TestFromImports(t *testing.T) {
	cases := []struct {
		src  string
		want []fromImport
	}{
		{"from .celery import app as celery_app\n", []fromImport{{1, "celery", "app"}}},
		{"from .taskqueue import app as celery_app\n__all__ = ('celery_app',)\n", []fromImport{{1, "taskqueue", "app"}}},
		{"from proj.taskqueue import app as celery_app\n", []fromImport{{0, "proj.taskqueue", "app"}}},
		{"from config.celery_app import app\n", []fromImport{{0, "config.celery_app", "app"}}},
		{"from .jobs import *\n", []fromImport{{1, "jobs", "*"}}},
		{"from .. import worker\n", []fromImport{{2, "", "worker"}}},
		{"from .a import (x,\n    y as z)\n", []fromImport{{1, "a", "x"}, {1, "a", "y"}}},
		{"    from .taskqueue import app as celery_app\n", nil}, // not at module level
		{"import celery\n", nil},
		{"from .taskqueue import app as celery_app\r\n", []fromImport{{1, "taskqueue", "app"}}},
	}
	for _, c := range cases {
		if got := fromImports([]byte(c.src)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("fromImports(%q) = %v, want %v", c.src, got, c.want)
		}
	}
}

func TestNeedsASGIFollowups(t *testing.T) {
	cases := []struct {
		name       string
		pkgs       []string
		asgi, wsgi string
		async      string // what asyncCode found
		want       bool
	}{
		{"uvicorn-worker declared", []string{"gunicorn", "uvicorn-worker"}, "p.asgi.application", "p.wsgi.application", "", true},
		{"ASGI setting with uvicorn and an async view", []string{"uvicorn"}, "p.asgi.application", "p.wsgi.application", "async view page in shop/views.py", true},
		{"ASGI setting with uvicorn, every view sync (issue 17)", []string{"uvicorn"}, "p.asgi.application", "p.wsgi.application", "", false},
		{"uvicorn without ASGI setting", []string{"uvicorn"}, "", "p.wsgi.application", "async view page in shop/views.py", false},
		{"ASGI setting, only gunicorn", []string{"gunicorn"}, "p.asgi.application", "p.wsgi.application", "async view page in shop/views.py", false},
	}
	for _, c := range cases {
		pkgs := map[string]string{}
		for _, p := range c.pkgs {
			pkgs[p] = ""
		}
		if got, why := needsASGI(nil, pkgs, c.asgi, c.wsgi, "p.asgi:application", "p.wsgi:application", c.async); got != c.want || got && why == "" {
			t.Errorf("%s: %v (%s)", c.name, got, why)
		}
	}
}

func TestRQQueuesFromSettings(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"manage.py":        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
		"site/__init__.py": "",
		"site/settings.py": "REDIS_URL = env('REDIS_URL')\nINSTALLED_APPS = ['django_rq']\nRQ_QUEUES = {\n  'high': {'URL': REDIS_URL},\n  'default': {'URL': REDIS_URL},\n}\n",
		"requirements.txt": "django\ndjango-rq\n",
	}
	for p, c := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Scan(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f.RQQueues, []string{"high", "default"}) {
		t.Errorf("RQQueues = %v (warnings %v)", f.RQQueues, f.Warnings)
	}
}
