package project

import (
	"reflect"
	"sort"
	"testing"
)

func TestSettingsModuleDefault(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"django template", `import os
import sys

def main():
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')
    from django.core.management import execute_from_command_line
`, "mysite.settings"},
		{"double quotes, cookiecutter", `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")`, "config.settings.local"},
		{"spaces and newlines", "os.environ.setdefault(\n    \"DJANGO_SETTINGS_MODULE\",\n    \"a.b\",\n)", "a.b"},
		{"item assignment", `os.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings.prod"`, "proj.settings.prod"},
		{"commented out first", "# os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"old.settings\")\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"new.settings\")", "new.settings"},
		{"inside a string", `print("os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x.y')")`, ""},
		{"first wins", `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a.settings")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b.settings")`, "a.settings"},
		{"computed value", `os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{x}.settings")`, ""},
		{"not a module", `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "not a module")`, ""},
		{"other variable", `os.environ.setdefault("DJANGO_CONFIGURATION", "Prod")`, ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := settingsModuleDefault([]byte(tt.src)); got != tt.want {
				t.Errorf("settingsModuleDefault() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCeleryInstances(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"standard", "from celery import Celery\napp = Celery('proj')\napp.autodiscover_tasks()", []string{"app"}},
		{"dotted", "import celery\ncelery_app = celery.Celery(\"proj\", broker=BROKER)", []string{"celery_app"}},
		{"annotated", "app: Celery = Celery('x')", []string{"app"}},
		{"shared_task only", "from celery import shared_task\n@shared_task\ndef add(x, y):\n    return x + y", nil},
		{"commented", "# app = Celery('proj')", nil},
		{"in a string", "doc = \"app = Celery('proj')\"", nil},
		{"inside a function", "def make():\n    app = Celery('x')\n    return app", nil},
		{"subclass call", "app = MyCelery('x')", nil},
		{"two apps", "a = Celery('a')\nb = Celery('b')", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := celeryInstances([]byte(tt.src)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("celeryInstances() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDefinesName(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{"assignment", "application = get_wsgi_application()", true},
		{"async def", "async def application(scope, receive, send):\n    pass", true},
		{"def", "def application(environ, start_response):\n    pass", true},
		{"import as", "from .routing import router as application", true},
		{"from import list", "from .routing import router, application", true},
		{"only used", "app = application", false},
		{"attribute", "x.application = 1", false},
		{"nested", "def f():\n    application = 1", false},
		{"comment", "# application = 1", false},
		{"comparison", "application == 1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := definesName([]byte(tt.src), "application"); got != tt.want {
				t.Errorf("definesName() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAssignedFrom(t *testing.T) {
	src := "django_app = get_asgi_application()\nrouter = channels.routing.ProtocolTypeRouter({})\nx = other()\n"
	got := assignedFrom([]byte(src), "get_asgi_application", "ProtocolTypeRouter")
	if want := []string{"django_app", "router"}; !reflect.DeepEqual(got, want) {
		t.Errorf("assignedFrom() = %q, want %q", got, want)
	}
}

func TestStringLiterals(t *testing.T) {
	src := `INSTALLED_APPS = DJANGO_APPS + [
    "channels",  # websockets
    # "django_rq",
    'huey.contrib.djhuey',
    r"raw\d", b'bytes', """triple "quoted" """, f"fmt",
    "esc\"aped",
]
`
	got := stringLiterals([]byte(src))
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{`esc"aped`, "bytes", "channels", "fmt", "huey.contrib.djhuey", `raw\d`, `triple "quoted" `}
	sort.Strings(want)
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("stringLiterals() = %q, want %q", keys, want)
	}
}

func TestMentionsName(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"app.conf.beat_schedule = {'x': {}}", true},
		{"@app.on_after_configure.connect\ndef setup(sender, **kw):\n    sender.add_periodic_task(10.0, test.s('hello'))", true},
		{"# app.conf.beat_schedule = {}", false},
		{"s = 'beat_schedule'", false},
		{"app.autodiscover_tasks()", false},
	}
	for _, tt := range tests {
		if got := mentionsName([]byte(tt.src), "beat_schedule", "add_periodic_task"); got != tt.want {
			t.Errorf("mentionsName(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
