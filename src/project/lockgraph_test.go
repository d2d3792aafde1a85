package project

import "testing"

// TestInstalledPackages: a production install gets the main dependencies
// and what the lock file says they pull in, never a group or an extra; a
// server or queue package found only there is named with the move that
// installs it. Fixtures follow real uv 0.5, Poetry 1.8/2 and pipenv output.
func TestInstalledPackages(t *testing.T) {
	base := map[string]string{
		"manage.py":        manage("site.settings"),
		"site/settings.py": "",
		"site/wsgi.py":     wsgiPy,
	}
	tests := []struct {
		name     string
		files    map[string]string
		packages map[string]string
		locked   map[string]string
		warnings []string
	}{
		{
			name: "uv: gunicorn only in the dev group, lock followed from main deps",
			files: map[string]string{
				"site/celery.py": "from celery import Celery\n\napp = Celery(\"site\")\n",
				"pyproject.toml": "[project]\nname = \"site\"\nversion = \"0.1.0\"\ndependencies = [\"django>=5.1\", \"celery[redis]>=5.4\"]\n[dependency-groups]\ndev = [\"gunicorn\", \"pytest\"]\n",
				"uv.lock": `version = 1
requires-python = ">=3.12"

[[package]]
name = "asgiref"
version = "3.8.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "celery"
version = "5.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "kombu" }]

[package.optional-dependencies]
redis = [{ name = "kombu", extra = ["redis"] }]

[[package]]
name = "django"
version = "5.1.4"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "asgiref" }, { name = "sqlparse" }]

[[package]]
name = "gunicorn"
version = "23.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "packaging" }]

[[package]]
name = "kombu"
version = "5.4.2"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
redis = [{ name = "redis" }]

[[package]]
name = "packaging"
version = "24.2"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.4"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "packaging" }]

[[package]]
name = "redis"
version = "5.2.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sqlparse"
version = "0.5.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "site"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "celery", extra = ["redis"] }, { name = "django" }]

[package.dev-dependencies]
dev = [{ name = "gunicorn" }, { name = "pytest" }]
`,
			},
			packages: map[string]string{"django": ">=5.1", "celery": ">=5.4"},
			locked: map[string]string{"asgiref": "3.8.1", "celery": "5.4.0", "django": "5.1.4", "kombu": "5.4.2",
				"redis": "5.2.1", "site": "0.1.0", "sqlparse": "0.5.3"},
			warnings: []string{"gunicorn is declared only in pyproject.toml [dependency-groups].dev, which a production install leaves out, so it is not used; move gunicorn from pyproject.toml [dependency-groups].dev to pyproject.toml [project].dependencies"},
		},
		{
			name: "uv: server only in an extra",
			files: map[string]string{
				"pyproject.toml": "[project]\nname = \"site\"\nversion = \"0.1.0\"\ndependencies = [\"django\"]\n[project.optional-dependencies]\nserver = [\"uvicorn\"]\n",
				"uv.lock": `version = 1
[[package]]
name = "django"
version = "5.1.4"
source = { registry = "https://pypi.org/simple" }
[[package]]
name = "site"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "django" }]
[package.optional-dependencies]
server = [{ name = "uvicorn" }]
[[package]]
name = "uvicorn"
version = "0.32.1"
source = { registry = "https://pypi.org/simple" }
`,
			},
			packages: map[string]string{"django": ""},
			locked:   map[string]string{"django": "5.1.4", "site": "0.1.0"},
			warnings: []string{"uvicorn is declared only in pyproject.toml [project.optional-dependencies].server, which a production install leaves out, so it is not used; move uvicorn from pyproject.toml [project.optional-dependencies].server to pyproject.toml [project].dependencies"},
		},
		{
			name: "Poetry 1.8 lock (no groups): test group left out by the closure",
			files: map[string]string{
				"pyproject.toml": "[tool.poetry]\nname = \"site\"\n[tool.poetry.dependencies]\npython = \"^3.12\"\ndjango = \"^5.1\"\n[tool.poetry.group.test.dependencies]\ndaphne = \"^4.1\"\npytest = \"^8\"\n",
				"poetry.lock": `[[package]]
name = "asgiref"
version = "3.8.1"
optional = false
python-versions = ">=3.8"

[[package]]
name = "daphne"
version = "4.1.2"
optional = false
python-versions = ">=3.8"

[package.dependencies]
asgiref = ">=3.5.2,<4"
twisted = {version = ">=22.4", extras = ["tls"]}

[[package]]
name = "django"
version = "5.1.4"
optional = false
python-versions = ">=3.10"

[package.dependencies]
asgiref = ">=3.8.1,<4"
sqlparse = ">=0.3.1"
tzdata = {version = "*", markers = "sys_platform == \"win32\""}
argon2-cffi = {version = ">=19.1.0", optional = true}

[package.extras]
argon2 = ["argon2-cffi (>=19.1.0)"]

[[package]]
name = "pytest"
version = "8.3.4"
optional = false
python-versions = ">=3.8"

[[package]]
name = "sqlparse"
version = "0.5.3"
optional = false
python-versions = ">=3.8"

[[package]]
name = "twisted"
version = "24.11.0"
optional = false
python-versions = ">=3.8"

[metadata]
lock-version = "2.0"
`,
			},
			packages: map[string]string{"django": "^5.1"},
			locked:   map[string]string{"asgiref": "3.8.1", "django": "5.1.4", "sqlparse": "0.5.3"},
			warnings: []string{"daphne is declared only in pyproject.toml [tool.poetry.group.test.dependencies], which a production install leaves out, so it is not used; move daphne from pyproject.toml [tool.poetry.group.test.dependencies] to pyproject.toml [tool.poetry.dependencies]"},
		},
		{
			name: "Pipfile: celery only in dev-packages",
			files: map[string]string{
				"Pipfile":      "[packages]\ndjango = \"*\"\n[dev-packages]\ncelery = \"*\"\n",
				"Pipfile.lock": `{"_meta": {"hash": {}}, "default": {"django": {"version": "==5.1.4"}, "asgiref": {"version": "==3.8.1"}}, "develop": {"celery": {"version": "==5.4.0"}}}`,
			},
			packages: map[string]string{"django": ""},
			locked:   map[string]string{"django": "5.1.4", "asgiref": "3.8.1"},
			warnings: []string{"celery is declared only in Pipfile [dev-packages], which a production install leaves out, so it is not used; move celery from Pipfile [dev-packages] to Pipfile [packages]"},
		},
		{
			name: "requirements: gunicorn only in requirements-dev.txt",
			files: map[string]string{
				"requirements.txt":     "django==5.1.4\n",
				"requirements-dev.txt": "-r requirements.txt\ngunicorn==23.0.0\n",
			},
			packages: map[string]string{"django": "==5.1.4"},
			locked:   map[string]string{},
			warnings: []string{"gunicorn is declared only in requirements-dev.txt, which a production install leaves out, so it is not used; move gunicorn from requirements-dev.txt to requirements.txt"},
		},
		{
			name: "Poetry: gunicorn optional = true behind an extra",
			files: map[string]string{
				"pyproject.toml": "[tool.poetry.dependencies]\npython = \"^3.12\"\ndjango = \"^5.1\"\ngunicorn = { version = \"^23.0\", optional = true }\n[tool.poetry.extras]\nserver = [\"gunicorn\"]\n",
				"poetry.lock":    "[[package]]\nname = \"django\"\nversion = \"5.1.4\"\noptional = false\n[[package]]\nname = \"gunicorn\"\nversion = \"23.0.0\"\noptional = true\n[extras]\nserver = [\"gunicorn\"]\n",
			},
			packages: map[string]string{"django": "^5.1"},
			locked:   map[string]string{"django": "5.1.4"},
			warnings: []string{"gunicorn is declared only in pyproject.toml [tool.poetry.dependencies] with optional = true, which a production install leaves out, so it is not used; remove optional = true from gunicorn in pyproject.toml [tool.poetry.dependencies]"},
		},
		{
			name: "gunicorn in both main and dev: no warning",
			files: map[string]string{
				"pyproject.toml": "[project]\nname = \"site\"\ndependencies = [\"django\", \"gunicorn\"]\n[dependency-groups]\ndev = [\"gunicorn\"]\n",
			},
			packages: map[string]string{"django": "", "gunicorn": ""},
			locked:   map[string]string{},
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
			check{"Packages": tt.packages, "Locked": tt.locked, "Warnings": tt.warnings}.assert(t, f)
		})
	}
}
