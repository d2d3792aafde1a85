package project

import (
	"reflect"
	"testing"
)

// reqMap turns requirements into name -> spec for comparison.
func reqMap(rs []Requirement) map[string]string {
	m := map[string]string{}
	for _, r := range rs {
		m[r.Name] = r.Spec
	}
	return m
}

func TestParsePyproject(t *testing.T) {
	tests := []struct {
		name         string
		src          string
		runtime, dev map[string]string
	}{
		{
			name: "PEP 621 with extras and PEP 735 groups",
			src: `
[project]
name = "shop"
dependencies = ["Django>=5.0,<5.1", "django-celery-beat", "celery[redis]==5.3.6", "channels ; python_version>'3.9'"]
[project.optional-dependencies]
prod = ["gunicorn"]
test = ["pytest-django"]
[dependency-groups]
dev = ["ruff", {include-group = "typing"}]
typing = ["mypy"]
worker = ["django-rq"]
`,
			// Builders install neither extras nor groups, whatever their names.
			runtime: map[string]string{"django": ">=5.0,<5.1", "django-celery-beat": "", "celery": "==5.3.6", "channels": ""},
			dev:     map[string]string{"pytest-django": "", "ruff": "", "mypy": "", "gunicorn": "", "django-rq": ""},
		},
		{
			name: "Poetry main, groups and legacy dev-dependencies",
			src: `
[tool.poetry.dependencies]
python = "^3.11"
Django = "^4.2"
django-prodserver = {version = "^2.4", extras = ["gunicorn"]}
django-q2 = "*"
private = {git = "https://example/private.git"}
multi = [{version = "^1.0", python = "<3.12"}, {version = "^2.0", python = ">=3.12"}]
[tool.poetry.group.dev.dependencies]
pytest = "^8"
[tool.poetry.group.worker.dependencies]
huey = "2.5.0"
[tool.poetry.dev-dependencies]
black = "*"
`,
			// poetry install --only main: every group is left out.
			runtime: map[string]string{"django": "^4.2", "django-prodserver": "^2.4", "django-q2": "", "private": "", "multi": "^1.0"},
			dev:     map[string]string{"pytest": "^8", "black": "", "huey": "2.5.0"},
		},
		{
			name: "uv dev-dependencies",
			src: `
[project]
dependencies = ["django"]
[tool.uv]
dev-dependencies = ["django-debug-toolbar>=4"]
`,
			runtime: map[string]string{"django": ""},
			dev:     map[string]string{"django-debug-toolbar": ">=4"},
		},
		{
			name:    "tool config only",
			src:     "[tool.ruff]\nline-length = 100\n",
			runtime: map[string]string{},
			dev:     map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, bad, err := parsePyproject([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) > 0 {
				t.Errorf("bad = %q", bad)
			}
			if got := reqMap(d.runtime); !reflect.DeepEqual(got, tt.runtime) {
				t.Errorf("runtime = %v, want %v", got, tt.runtime)
			}
			if got := reqMap(d.dev); !reflect.DeepEqual(got, tt.dev) {
				t.Errorf("dev = %v, want %v", got, tt.dev)
			}
		})
	}
	if _, _, err := parsePyproject([]byte("[project\nbroken")); err == nil {
		t.Error("broken TOML: no error")
	}
}

func TestParsePipfile(t *testing.T) {
	d, err := parsePipfile([]byte(`
[[source]]
url = "https://pypi.org/simple"
[packages]
django = "==4.2.7"
"django-rq" = "*"
dramatiq = {version = ">=1.15", extras = ["redis"]}
[dev-packages]
pytest = "*"
[requires]
python_version = "3.11"
`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := reqMap(d.runtime), map[string]string{"django": "==4.2.7", "django-rq": "", "dramatiq": ">=1.15"}; !reflect.DeepEqual(got, want) {
		t.Errorf("runtime = %v, want %v", got, want)
	}
	if got, want := reqMap(d.dev), map[string]string{"pytest": ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("dev = %v, want %v", got, want)
	}
}

func TestParseLocks(t *testing.T) {
	poetry, err := lockInstalled(parsePoetryLock)([]byte(`
[[package]]
name = "Django"
version = "4.2.7"
groups = ["main"]
[[package]]
name = "django-prodserver"
version = "2.4.1"
category = "main"
[[package]]
name = "pytest"
version = "8.0.0"
groups = ["dev"]
[[package]]
name = "black"
version = "24.1.0"
category = "dev"
[metadata]
lock-version = "2.0"
`))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"django": "4.2.7", "django-prodserver": "2.4.1"}; !reflect.DeepEqual(poetry, want) {
		t.Errorf("poetry.lock = %v, want %v", poetry, want)
	}

	uv, err := lockInstalled(parseUVLock)([]byte(`version = 1
requires-python = ">=3.12"
[[package]]
name = "django-prodserver"
version = "3.0.0"
source = { registry = "https://pypi.org/simple" }
[[package]]
name = "shop"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "django-prodserver" }]
`))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"django-prodserver": "3.0.0", "shop": "0.1.0"}; !reflect.DeepEqual(uv, want) {
		t.Errorf("uv.lock = %v, want %v", uv, want)
	}

	pip, err := parsePipfileLock([]byte(`{"_meta": {"hash": {}}, "default": {"django": {"version": "==5.0.1", "hashes": []}, "Django_Q2": {"version": "==1.6.1"}}, "develop": {"pytest": {"version": "==8.0.0"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"django": "5.0.1", "django-q2": "1.6.1"}; !reflect.DeepEqual(pip, want) {
		t.Errorf("Pipfile.lock = %v, want %v", pip, want)
	}
	if _, err := parsePipfileLock([]byte(`{"default": `)); err == nil {
		t.Error("broken Pipfile.lock: no error")
	}
	if _, err := parseUVLock([]byte(`[[package]`)); err == nil {
		t.Error("broken uv.lock: no error")
	}
}

// TestPoetrySpecWhitespace: a Poetry or Pipfile version is kept without any
// whitespace, tabs included (found by FuzzPipfile), and " * " means any.
func TestPoetrySpecWhitespace(t *testing.T) {
	for in, want := range map[string]string{"\t": "", ">= 1.2,\t< 2": ">=1.2,<2", " * ": "", "^1.0": "^1.0"} {
		if got := poetrySpec(in); got != want {
			t.Errorf("poetrySpec(%q) = %q, want %q", in, got, want)
		}
	}
}
