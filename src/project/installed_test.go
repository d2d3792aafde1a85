package project

import (
	"sort"
	"strings"
	"testing"
)

// TestInstalledByTheBuild: the requirement files, groups, extras and
// packages a Dockerfile's install commands name decide what counts as
// installed, instead of the names of files and groups.
func TestInstalledByTheBuild(t *testing.T) {
	base := map[string]string{
		"manage.py":        manage("site.settings"),
		"site/settings.py": "",
		"site/wsgi.py":     wsgiPy,
	}
	uvProject := "[project]\nname = \"site\"\nversion = \"0.1.0\"\ndependencies = [\"django>=5.1\"]\n[project.optional-dependencies]\nredis = [\"django-rq\"]\n[dependency-groups]\ndev = [\"pytest\"]\nprod = [\"gunicorn>=23\"]\n"
	reqs := map[string]string{
		"requirements/base.txt":  "django>=5.1\n",
		"requirements/prod.txt":  "-r base.txt\ngunicorn==23.0.0\n",
		"requirements/local.txt": "-r base.txt\nwerkzeug\n",
		"requirements.txt":       "-r requirements/local.txt\n",
	}
	tests := []struct {
		name      string
		files     map[string]string
		inst      *Installed
		installed []string // want in Packages
		absent    []string // want not in Packages
		warning   string   // a warning containing this, "" for none about gunicorn
	}{
		{name: "no install commands: the prod group is not installed", files: map[string]string{"pyproject.toml": uvProject},
			installed: []string{"django"}, absent: []string{"gunicorn", "django-rq", "pytest"}, warning: "gunicorn is declared only in pyproject.toml [dependency-groups].prod"},
		{name: "uv sync --no-dev --group prod", files: map[string]string{"pyproject.toml": uvProject}, inst: &Installed{Groups: []string{"prod"}},
			installed: []string{"django", "gunicorn"}, absent: []string{"pytest", "django-rq"}},
		{name: "uv sync installs dev unless --no-dev", files: map[string]string{"pyproject.toml": uvProject}, inst: &Installed{Dev: true},
			installed: []string{"django", "pytest"}, absent: []string{"gunicorn"}, warning: "gunicorn is declared only"},
		{name: "--extra redis", files: map[string]string{"pyproject.toml": uvProject}, inst: &Installed{Extras: []string{"Redis"}},
			installed: []string{"django", "django-rq"}, absent: []string{"gunicorn"}, warning: "gunicorn is declared only"},
		{name: "--all-groups --all-extras", files: map[string]string{"pyproject.toml": uvProject}, inst: &Installed{AllGroups: true, AllExtras: true},
			installed: []string{"django", "django-rq", "gunicorn", "pytest"}},
		{name: "poetry install --with server", files: map[string]string{"pyproject.toml": "[tool.poetry]\nname = \"site\"\n[tool.poetry.dependencies]\npython = \"^3.12\"\ndjango = \"^5.1\"\n[tool.poetry.group.server.dependencies]\ngunicorn = \"^23\"\n"},
			inst: &Installed{Groups: []string{"server"}}, installed: []string{"django", "gunicorn"}},
		{name: "no install commands: every runtime-named file counts", files: reqs,
			installed: []string{"django", "werkzeug", "gunicorn"}},
		{name: "pip install -r requirements/prod.txt", files: reqs, inst: &Installed{Requirements: []string{"requirements/prod.txt"}},
			installed: []string{"django", "gunicorn"}, absent: []string{"werkzeug"}},
		{name: "pip install gunicorn on the command line", files: map[string]string{"requirements.txt": "django\n"}, inst: &Installed{Packages: []string{"gunicorn==23.0.0"}},
			installed: []string{"django", "gunicorn"}},
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
			f := scan(t, writeTree(t, files), Options{Installed: tt.inst})
			var got []string
			for name := range f.Packages {
				got = append(got, name)
			}
			sort.Strings(got)
			for _, p := range tt.installed {
				if _, ok := f.Packages[p]; !ok {
					t.Errorf("%s not installed; packages %v", p, got)
				}
			}
			for _, p := range tt.absent {
				if _, ok := f.Packages[p]; ok {
					t.Errorf("%s counted as installed; packages %v", p, got)
				}
			}
			found := false
			for _, w := range f.Warnings {
				if strings.Contains(w, "gunicorn is declared only") {
					found = tt.warning != "" && strings.Contains(w, tt.warning)
					if !found {
						t.Errorf("unexpected warning: %s", w)
					}
				}
			}
			if tt.warning != "" && !found {
				t.Errorf("no warning containing %q; warnings %q", tt.warning, f.Warnings)
			}
		})
	}
}
