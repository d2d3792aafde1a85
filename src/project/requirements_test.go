package project

import (
	"reflect"
	"testing"
)

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Django":                 "django",
		"django_celery_beat":     "django-celery-beat",
		"Django.Celery--Beat":    "django-celery-beat",
		"zope.interface":         "zope-interface",
		"  psycopg2-binary ":     "psycopg2-binary",
		"djangorestframework":    "djangorestframework",
		"django-q2":              "django-q2",
		"Django_Prodserver":      "django-prodserver",
		"friendly-bard___Runner": "friendly-bard-runner",
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRequirements(t *testing.T) {
	src := `# top comment
Django==5.0.1  # pinned
djangorestframework>=3.14
django-celery-beat
celery[redis,msgpack] >= 5.3, < 6 ; python_version >= "3.8"
gunicorn==21.2.0 \
    --hash=sha256:aaaa \
    --hash=sha256:bbbb
uvicorn[standard] (>=0.20)
-r base.txt
--requirement=common.txt
-c constraints.txt
-i https://pypi.example/simple
--extra-index-url https://x/simple
-e git+https://github.com/org/django-q2.git@main#egg=django-q2
-e .
./vendored/pkg
https://files.example/whitenoise-6.6.0-py3-none-any.whl
https://files.example/redis-5.0.1.tar.gz#sha256=abc
my-lib @ git+https://github.com/org/my-lib.git
Huey[backends];sys_platform=="linux"
this is not a requirement !!
`
	reqs, incs, bad := parseRequirements([]byte(src))
	want := []Requirement{
		{"django", "==5.0.1"},
		{"djangorestframework", ">=3.14"},
		{"django-celery-beat", ""},
		{"celery", ">=5.3,<6"},
		{"gunicorn", "==21.2.0"},
		{"uvicorn", ">=0.20"},
		{"django-q2", ""},
		{"whitenoise", "==6.6.0"},
		{"redis", "==5.0.1"},
		{"my-lib", ""},
		{"huey", ""},
	}
	if !reflect.DeepEqual(reqs, want) {
		t.Errorf("requirements:\n got %v\nwant %v", reqs, want)
	}
	wantInc := []reqInclude{{"base.txt", false}, {"common.txt", false}, {"constraints.txt", true}}
	if !reflect.DeepEqual(incs, wantInc) {
		t.Errorf("includes = %v, want %v", incs, wantInc)
	}
	if !reflect.DeepEqual(bad, []string{"this is not a requirement !!"}) {
		t.Errorf("bad = %q", bad)
	}
}

// Substring matching is the weak spot of fly.io's scanner: none of these
// lines declares celery or django.
func TestParseRequirementsNoSubstringMatch(t *testing.T) {
	reqs, _, _ := parseRequirements([]byte("django-celery-beat==2.5\ndjangorestframework\ncelery-progress\n# celery\npytest-django\n"))
	for _, r := range reqs {
		if r.Name == "celery" || r.Name == "django" {
			t.Errorf("%q declared by substring", r.Name)
		}
	}
	if len(reqs) != 4 {
		t.Errorf("got %d requirements, want 4: %v", len(reqs), reqs)
	}
}

func TestParseRequirementsCRLFAndContinuation(t *testing.T) {
	reqs, _, bad := parseRequirements([]byte("django\\\r\n==4.2\r\ncelery\r\n"))
	want := []Requirement{{"django", "==4.2"}, {"celery", ""}}
	if !reflect.DeepEqual(reqs, want) || len(bad) != 0 {
		t.Errorf("got %v (bad %q), want %v", reqs, bad, want)
	}
}

func TestIncludePath(t *testing.T) {
	tests := []struct {
		from, arg, want string
		ok              bool
	}{
		{"requirements.txt", "requirements/production.txt", "requirements/production.txt", true},
		{"requirements/production.txt", "base.txt", "requirements/base.txt", true},
		{"requirements/local.txt", "./base.txt", "requirements/base.txt", true},
		{"requirements/prod.txt", "../requirements.txt", "requirements.txt", true},
		{"requirements.txt", "../outside.txt", "", false},
		{"a/requirements.txt", "../../etc/passwd", "", false},
		{"requirements.txt", "/etc/passwd", "", false},
		{"requirements.txt", "https://example.com/r.txt", "", false},
		{"requirements.txt", "C:\\x.txt", "", false},
	}
	for _, tt := range tests {
		got, ok := includePath(tt.from, tt.arg)
		if got != tt.want || ok != tt.ok {
			t.Errorf("includePath(%q, %q) = %q, %v; want %q, %v", tt.from, tt.arg, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsRequirementsFile(t *testing.T) {
	for name, want := range map[string]bool{
		"requirements.txt": true, "requirements-dev.txt": true, "requirements_prod.txt": true,
		"dev-requirements.txt": true, "requirements.in": false, "README.txt": false, "constraints.txt": false,
	} {
		if got := isRequirementsFile(name); got != want {
			t.Errorf("isRequirementsFile(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIsDevName(t *testing.T) {
	for name, want := range map[string]bool{
		"dev": true, "-dev": true, "local": true, "test-utils": true, "docs": true, "lint": true,
		"": false, "base": false, "production": false, "prod": false, "latest": false, "celery": false, "_worker": false,
	} {
		if got := isDevName(name); got != want {
			t.Errorf("isDevName(%q) = %v, want %v", name, got, want)
		}
	}
	for rel, want := range map[string]string{
		"requirements-dev.txt": "-dev", "requirements/local.txt": "local", "dev-requirements.txt": "dev-", "requirements.txt": "",
	} {
		if got := reqStem(rel); got != want {
			t.Errorf("reqStem(%q) = %q, want %q", rel, got, want)
		}
	}
}

// TestParseURLRequirementEggDash: an egg name ending in '-' (found by
// FuzzRequirements: it panicked with a slice out of range) is kept whole.
func TestParseURLRequirementEggDash(t *testing.T) {
	for in, want := range map[string]string{
		"0#egg=0- ":                     "0-",
		"git+https://x/y.git#egg=proj-": "proj-",
		"https://x/y.zip#egg=proj-1.0":  "proj",
		"https://x/y.zip#egg=proj-a":    "proj-a",
	} {
		r, ok := parseURLRequirement(in)
		if !ok || r.Name != want {
			t.Errorf("parseURLRequirement(%q) = %+v, %v; want %s", in, r, ok, want)
		}
	}
}
