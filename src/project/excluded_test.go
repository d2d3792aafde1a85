package project

import (
	"strings"
	"testing"
)

// TestExcludedPaths: what the build leaves out (a Dockerfile build's
// .dockerignore, as Options.Excluded) is not counted: a second manage.py,
// a settings module, a celery module.
func TestExcludedPaths(t *testing.T) {
	files := map[string]string{
		"requirements.txt":             "django\ncelery\n",
		"admin/manage.py":              manage("backoffice.settings"),
		"admin/backoffice/__init__.py": "",
		"admin/backoffice/settings.py": "INSTALLED_APPS = []\n",
		"admin/backoffice/wsgi.py":     wsgiPy,
		"shop/manage.py":               manage("store.settings"),
		"shop/store/__init__.py":       "",
		"shop/store/settings.py":       "INSTALLED_APPS = []\n",
		"shop/store/wsgi.py":           wsgiPy,
		"shop/store/celery.py":         "from celery import Celery\napp = Celery('store')\n",
	}
	tests := []struct {
		name     string
		excluded []string // path prefixes left out
		manage   string
		celery   string
		warn     string // a warning holding this, "" for none about manage.py
	}{
		{"nothing left out", nil, "admin/manage.py", "shop.store.celery", "several manage.py"},
		{"the other project left out", []string{"admin"}, "shop/manage.py", "store.celery", ""},
		{"celery module left out", []string{"admin", "shop/store/celery.py"}, "shop/manage.py", "", ""},
	}
	root := writeTree(t, files)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := Options{}
			if tt.excluded != nil {
				opt.Excluded = func(rel string, dir bool) bool {
					for _, p := range tt.excluded {
						if rel == p || strings.HasPrefix(rel, p+"/") {
							return true
						}
					}
					return false
				}
			}
			f := scan(t, root, opt)
			if f.ManagePy != tt.manage || f.CeleryApp != tt.celery {
				t.Errorf("manage.py %q celery %q, want %q %q (warnings %q)", f.ManagePy, f.CeleryApp, tt.manage, tt.celery, f.Warnings)
			}
			found := false
			for _, w := range f.Warnings {
				if strings.Contains(w, "manage.py") && strings.Contains(w, "several") {
					found = true
				}
			}
			if found != (tt.warn != "") {
				t.Errorf("ambiguity warning %v, want %v: %q", found, tt.warn != "", f.Warnings)
			}
		})
	}
}
