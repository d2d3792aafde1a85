package pyliteral

import (
	"errors"
	"os"
	"reflect"
	"testing"
)

func readSettings(t *testing.T, name string) []byte {
	t.Helper()
	src, err := os.ReadFile("testdata/django/config/settings/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestCookiecutterBase reads a cookiecutter-django style base.py: env()
// calls and computed values all around, one literal PRODUCTION_PROCESSES.
func TestCookiecutterBase(t *testing.T) {
	src := readSettings(t, "base.py")
	v, found, err := Lookup(src, "PRODUCTION_PROCESSES")
	if err != nil || !found {
		t.Fatalf("found=%v err=%v", found, err)
	}
	want := d(
		"web", d(
			"BACKEND", "django_prodserver.backends.gunicorn.GunicornServer",
			"ARGS", d("bind", "0.0.0.0:8111", "workers", int64(4)),
		),
		"worker", d(
			"BACKEND", "django_prodserver.backends.celery.CeleryWorker",
			"APP", "tests.celery.app",
			"ARGS", d("concurrency", int64(2)),
		),
	)
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %#v", v)
	}
	procs := v.(*Dict)
	web, _ := procs.Get("web")
	args, _ := web.(*Dict).Get("ARGS")
	if w, _ := args.(*Dict).Get("workers"); w != int64(4) {
		t.Fatalf("workers = %#v", w)
	}

	others := []struct {
		name string
		want Value
		kind error
	}{
		{"TIME_ZONE", "UTC", nil},
		{"SITE_ID", int64(1), nil},
		{"USE_TZ", true, nil},
		{"LANGUAGES", l(l("en", "English"), l("fr-fr", "French"), l("pt-br", "Portuguese")), nil},
		{"ADMINS", l(l("Jane Doe", "jane@example.com")), nil},
		{"THIRD_PARTY_APPS", l("crispy_forms", "crispy_bootstrap5", "allauth", "allauth.account", "django_celery_beat", "django_prodserver"), nil},
		{"DEBUG", nil, ErrNotLiteral},
		{"INSTALLED_APPS", nil, ErrNotLiteral},
		{"EMAIL_BACKEND", nil, ErrNotLiteral},
		{"CELERY_BROKER_USE_SSL", nil, ErrNotLiteral},
		{"CELERY_TASK_TIME_LIMIT", nil, ErrNotLiteral},
		{"MANAGERS", nil, ErrNotLiteral},
		{"DATABASES", nil, ErrNotLiteral},
	}
	for _, o := range others {
		v, found, err := Lookup(src, o.name)
		if !found {
			t.Errorf("%s: not found", o.name)
			continue
		}
		if o.kind != nil {
			if !errors.Is(err, o.kind) {
				t.Errorf("%s: err = %v, want %v", o.name, err, o.kind)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(v, o.want) {
			t.Errorf("%s: got %#v, %v; want %#v", o.name, v, err, o.want)
		}
	}
	v, found, err = Lookup(src, "LOGGING")
	if err != nil || !found {
		t.Fatalf("LOGGING: %v", err)
	}
	if ver, _ := v.(*Dict).Get("version"); ver != int64(1) {
		t.Errorf("LOGGING version = %#v", ver)
	}
	for _, n := range []string{"CELERY_TIMEZONE", "NOT_THERE"} {
		if _, found, err := Lookup(src, n); found || err != nil {
			t.Errorf("%s: found=%v err=%v, want absent (only set inside if)", n, found, err)
		}
	}
	if got := StarImports(src); got != nil {
		t.Errorf("StarImports(base) = %q", got)
	}
	names := assignments(src)
	if len(names) == 0 || names[0] != "BASE_DIR" || names[len(names)-1] != "PRODUCTION_PROCESSES" {
		t.Errorf("Assignments = %q", names)
	}
}

// TestSplitSettings covers production.py, which star-imports base.
func TestSplitSettings(t *testing.T) {
	src := readSettings(t, "production.py")
	if got := StarImports(src); !reflect.DeepEqual(got, []string{".base"}) {
		t.Fatalf("StarImports = %q", got)
	}
	if _, found, err := Lookup(src, "PRODUCTION_PROCESSES"); found || err != nil {
		t.Fatalf("production.py has no PRODUCTION_PROCESSES: found=%v err=%v", found, err)
	}
	v, found, err := Lookup(src, "SECURE_PROXY_SSL_HEADER")
	if err != nil || !found || !reflect.DeepEqual(v, l("HTTP_X_FORWARDED_PROTO", "https")) {
		t.Fatalf("SECURE_PROXY_SSL_HEADER = %#v %v", v, err)
	}
	if _, found, err := Lookup(src, "INSTALLED_APPS"); !found || !errors.Is(err, ErrNotLiteral) {
		t.Fatalf("INSTALLED_APPS += must be reported: found=%v err=%v", found, err)
	}
	if _, found, err := Lookup(src, "CACHES"); !found || !errors.Is(err, ErrNotLiteral) {
		t.Fatalf("CACHES holds env(): found=%v err=%v", found, err)
	}
}

// TestStartprojectSettings is a plain single-file settings.py.
func TestStartprojectSettings(t *testing.T) {
	src := []byte(`"""
Django settings for mysite project.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get('SECRET_KEY', 'django-insecure-=x(y)#z["')
DEBUG = os.environ.get("DEBUG") == "1"
ALLOWED_HOSTS = ['*']

PRODUCTION_PROCESSES = {'web': {'BACKEND': 'django_prodserver.backends.gunicorn.GunicornServer'}}
if DEBUG:
    PRODUCTION_PROCESSES = {}
PRODUCTION_PROCESSES: dict = {
    'web': {
        'BACKEND': 'django_prodserver.backends.gunicorn.GunicornServer',
        'ARGS': {'bind': '0.0.0.0:' + os.environ['PORT']},
    },
}
`)
	_, found, err := Lookup(src, "PRODUCTION_PROCESSES")
	var e *Error
	if !found || !errors.As(err, &e) || e.Line != 18 || !errors.Is(err, ErrNotLiteral) {
		t.Fatalf("found=%v err=%v", found, err)
	}
	v, _, err := Lookup(src, "ALLOWED_HOSTS")
	if err != nil || !reflect.DeepEqual(v, l("*")) {
		t.Fatalf("ALLOWED_HOSTS = %#v %v", v, err)
	}
}
