package project

import (
	"reflect"
	"testing"
)

func TestChooseManagePy(t *testing.T) {
	tests := []struct {
		name      string
		cands     []string
		want      string
		ambiguous bool
	}{
		{"none", nil, "", false},
		{"root", []string{"manage.py"}, "manage.py", false},
		{"root beats sub-folders", []string{"mysite/manage.py", "manage.py", "src/manage.py"}, "manage.py", false},
		{"src beats sub-folder", []string{"app/manage.py", "src/manage.py"}, "src/manage.py", false},
		{"single sub-folder", []string{"backend/manage.py"}, "backend/manage.py", false},
		{"sub-folder beats example", []string{"example/manage.py", "shop/manage.py"}, "shop/manage.py", false},
		{"several sub-folders: first by path", []string{"zeta/manage.py", "alpha/manage.py"}, "alpha/manage.py", true},
		{"order of input does not matter", []string{"alpha/manage.py", "zeta/manage.py"}, "alpha/manage.py", true},
		{"two folders down", []string{"apps/api/manage.py"}, "apps/api/manage.py", false},
		{"sub-folder beats two down", []string{"apps/api/manage.py", "web/manage.py"}, "web/manage.py", false},
		{"two down beats a deeper test project", []string{"tests/proj/manage.py", "backend/src/manage.py"}, "backend/src/manage.py", false},
		{"two down beats three down", []string{"a/b/c/manage.py", "backend/src/manage.py"}, "backend/src/manage.py", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, amb := chooseManagePy(tt.cands)
			if got != tt.want || amb != tt.ambiguous {
				t.Errorf("chooseManagePy(%q) = %q, %v; want %q, %v", tt.cands, got, amb, tt.want, tt.ambiguous)
			}
		})
	}
}

func TestCleanAppDir(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true}, {".", "", true}, {"src", "src", true}, {"./src/", "src", true},
		{"a/../b", "b", true}, {"../x", "", false}, {"/etc", "", false}, {"a/../../x", "", false},
	}
	for _, tt := range tests {
		got, ok := cleanAppDir(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("cleanAppDir(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestResolveImport(t *testing.T) {
	tests := []struct {
		current string
		pkg     bool
		imp     string
		want    string
		ok      bool
	}{
		{"config.settings.production", false, ".base", "config.settings.base", true},
		{"config.settings", true, ".base", "config.settings.base", true},
		{"config.settings.production", false, "..common", "config.common", true},
		{"config.settings.production", false, "config.settings.base", "config.settings.base", true},
		{"settings", false, ".base", "", false},
		{"a.b", false, "...x", "", false},
		{"config.settings.prod", false, ".", "config.settings", true},
	}
	for _, tt := range tests {
		got, ok := resolveImport(tt.current, tt.pkg, tt.imp)
		if got != tt.want || ok != tt.ok {
			t.Errorf("resolveImport(%q, %v, %q) = %q, %v; want %q, %v", tt.current, tt.pkg, tt.imp, got, ok, tt.want, tt.ok)
		}
	}
}

func TestModuleName(t *testing.T) {
	tests := []struct {
		root, rel, want string
		ok              bool
	}{
		{"", "config/settings/base.py", "config.settings.base", true},
		{"", "config/settings/__init__.py", "config.settings", true},
		{"src", "src/mysite/wsgi.py", "mysite.wsgi", true},
		{"src", "other/mysite/wsgi.py", "", false},
		{"", "my-site/wsgi.py", "", false},
		{"", "__init__.py", "", false},
		{"", "README.md", "", false},
	}
	for _, tt := range tests {
		got, ok := moduleName(tt.root, tt.rel)
		if got != tt.want || ok != tt.ok {
			t.Errorf("moduleName(%q, %q) = %q, %v; want %q, %v", tt.root, tt.rel, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLooksDevSettings(t *testing.T) {
	for mod, want := range map[string]bool{
		"config.settings.local": true, "mysite.settings.dev": true, "proj.settings_dev": true,
		"config.settings.production": false, "mysite.settings": false, "localshop.settings": false,
	} {
		if got := looksDevSettings(mod); got != want {
			t.Errorf("looksDevSettings(%q) = %v, want %v", mod, got, want)
		}
	}
}

func TestAppAttr(t *testing.T) {
	tests := []struct {
		name, kind, src, want string
	}{
		{"django template", "wsgi", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()", "application"},
		{"async function", "asgi", "async def application(scope, receive, send):\n    ...", "application"},
		{"channels router", "asgi", "router = ProtocolTypeRouter({'http': get_asgi_application()})", "router"},
		{"renamed", "wsgi", "app = get_wsgi_application()\napp = WhiteNoise(app)", "app"},
		{"nothing", "wsgi", "import os", ""},
	}
	for _, tt := range tests {
		if got := appAttr([]byte(tt.src), tt.kind); got != tt.want {
			t.Errorf("%s: appAttr = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestNeedsASGI(t *testing.T) {
	tests := []struct {
		name                   string
		apps                   []string
		pkgs                   map[string]string
		asgiSet, wsgiSet       string
		asgiTarget, wsgiTarget string
		want                   bool
		reason                 string
	}{
		{"plain WSGI", nil, map[string]string{"django": ""}, "", "a.wsgi.application", "a.asgi:application", "a.wsgi:application", false, ""},
		{"channels installed", []string{"channels"}, nil, "", "a.wsgi.application", "", "a.wsgi:application", true, "channels is in INSTALLED_APPS"},
		{"daphne installed", []string{"daphne"}, nil, "", "", "", "", true, "daphne is in INSTALLED_APPS"},
		{"channels declared", nil, map[string]string{"channels": ">=4"}, "", "", "", "a.wsgi:application", true, "channels is a declared dependency"},
		{"django-channels substring is not channels", nil, map[string]string{"channels-redis": ""}, "", "x.wsgi.application", "", "x.wsgi:application", false, ""},
		{"ASGI_APPLICATION only", nil, nil, "a.asgi.application", "", "a.asgi:application", "", true, "ASGI_APPLICATION is set and WSGI_APPLICATION is not"},
		{"both settings", nil, nil, "a.asgi.application", "a.wsgi.application", "a.asgi:application", "a.wsgi:application", false, ""},
		{"asgi.py only", nil, nil, "", "", "a.asgi:application", "", true, "the project has an ASGI application (a.asgi:application) and no WSGI one"},
	}
	for _, tt := range tests {
		got, reason := needsASGI(tt.apps, tt.pkgs, tt.asgiSet, tt.wsgiSet, tt.asgiTarget, tt.wsgiTarget, "")
		if got != tt.want || reason != tt.reason {
			t.Errorf("%s: needsASGI = %v, %q; want %v, %q", tt.name, got, reason, tt.want, tt.reason)
		}
	}
}

func TestCeleryTargetAndRank(t *testing.T) {
	for _, tt := range []struct{ mod, attr, want string }{
		{"config.celery_app", "app", "config.celery_app"},
		{"proj.celery", "celery", "proj.celery"},
		{"proj.worker", "celery_app", "proj.worker:celery_app"},
	} {
		if got := celeryTarget(tt.mod, tt.attr); got != tt.want {
			t.Errorf("celeryTarget(%q, %q) = %q, want %q", tt.mod, tt.attr, got, tt.want)
		}
	}
	for _, tt := range []struct {
		rel      string
		declared bool
		want     int
	}{
		{"proj/celery.py", false, 1},
		{"config/celery_app.py", false, 2},
		{"proj/celeryconf.py", false, 3},
		{"shop/tasks.py", false, 0},
		{"shop/tasks.py", true, 4},
		{"tasks/__init__.py", true, 4},
		{"shop/__init__.py", true, 0},
		{"shop/models.py", true, 0},
	} {
		if got := celeryFileRank(tt.rel, tt.declared); got != tt.want {
			t.Errorf("celeryFileRank(%q, %v) = %d, want %d", tt.rel, tt.declared, got, tt.want)
		}
	}
}

func TestDetectQueues(t *testing.T) {
	tests := []struct {
		name     string
		sig      queueSignals
		want     []string
		warnings int
	}{
		{"nothing", queueSignals{packages: map[string]string{"django": ""}}, nil, 0},
		{"celery declared", queueSignals{packages: map[string]string{"celery": ""}}, []string{QueueCelery}, 0},
		{"celery app found only", queueSignals{celeryApp: true}, []string{QueueCelery}, 0},
		{"django-celery-beat is not celery by name", queueSignals{packages: map[string]string{"django-celery-beat": ""}}, nil, 0},
		{"django_celery_beat installed", queueSignals{apps: []string{"django_celery_beat"}}, []string{QueueCelery}, 0},
		{"django-rq", queueSignals{packages: map[string]string{"django-rq": ""}}, []string{QueueRQ}, 0},
		{"bare rq", queueSignals{packages: map[string]string{"rq": ""}}, nil, 0},
		{"django-q2 declared", queueSignals{packages: map[string]string{"django-q2": ""}, apps: []string{"django_q"}}, []string{QueueDjangoQ2}, 0},
		{"django-q declared", queueSignals{packages: map[string]string{"django-q": ""}, apps: []string{"django_q"}}, []string{QueueDjangoQ}, 0},
		{"django-q locked", queueSignals{locked: map[string]string{"django-q": "1.3.9"}, apps: []string{"django_q"}}, []string{QueueDjangoQ}, 0},
		{"django_q app only", queueSignals{apps: []string{"django_q"}}, []string{QueueDjangoQ2}, 1},
		{"both q", queueSignals{packages: map[string]string{"django-q": "", "django-q2": ""}}, []string{QueueDjangoQ2}, 1},
		{"huey app", queueSignals{apps: []string{"huey.contrib.djhuey"}}, []string{QueueHuey}, 0},
		{"huey without app", queueSignals{packages: map[string]string{"huey": ""}, settingsRead: true}, []string{QueueHuey}, 1},
		{"dramatiq", queueSignals{packages: map[string]string{"django-dramatiq": "", "dramatiq": ""}}, []string{QueueDramatiq}, 0},
		{"django-tasks", queueSignals{apps: []string{"django_tasks"}}, []string{QueueDjangoTasks}, 0},
		{"all, in order", queueSignals{packages: map[string]string{"django-tasks": "", "huey": "", "django-rq": "", "celery": "", "django-dramatiq": ""}, apps: []string{"huey.contrib.djhuey"}},
			[]string{QueueCelery, QueueRQ, QueueHuey, QueueDramatiq, QueueDjangoTasks}, 0},
	}
	for _, tt := range tests {
		got, w := detectQueues(tt.sig)
		if !reflect.DeepEqual(got, tt.want) || len(w) != tt.warnings {
			t.Errorf("%s: detectQueues = %q (warnings %q); want %q with %d warnings", tt.name, got, w, tt.want, tt.warnings)
		}
	}
}
