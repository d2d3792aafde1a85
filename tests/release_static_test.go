package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

// staticSettings extends the fixture's settings with the static files app,
// a local STATIC_ROOT and one file to collect.
const staticSettings = `import os
from .settings import *  # noqa
INSTALLED_APPS = INSTALLED_APPS + ["django.contrib.staticfiles"]
STATIC_URL = "/static/"
STATIC_ROOT = os.environ["STATIC_ROOT"]
STATICFILES_DIRS = [str(BASE_DIR / "assets")]
`

// TestServersReleaseValues runs the release line each documented `release`
// value renders (app.json's prodserver.release, as a deploy plans it)
// against the fixture Django app on Debian's python3-django, as Dokku runs
// it (split into words, no shell), and checks its effect: migrate and
// migrate-collectstatic create the app's tables, none renders no line, and
// no release line writes STATIC_ROOT (Dokku would lose those files: it
// never commits the release container). The command the docs put in a
// Dockerfile RUN line (or app.json's predeploy) then collects the file into
// STATIC_ROOT in the source tree, which is what the image holds.
func TestServersReleaseValues(t *testing.T) {
	realserver.Require(t, "python3", "python3-django")
	redisURL := realserver.StartRedis(t)
	for _, c := range []struct {
		value    string
		migrates bool
		warns    bool
	}{
		{"migrate", true, false},
		{"migrate-collectstatic", true, true},
		{"none", false, false},
	} {
		t.Run(c.value, func(t *testing.T) {
			a := newServersApp(t, redisURL, "")
			static := filepath.Join(a.root, "staticfiles")
			for rel, body := range map[string]string{"proj/static_settings.py": staticSettings, "assets/site.css": "body{}\n"} {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(a.root, rel)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(a.root, rel), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			a.env = append(a.env, "DJANGO_SETTINGS_MODULE=proj.static_settings", "STATIC_ROOT="+static)
			pl := a.plan(t, "release", "", &plan.Config{Source: plan.SourceAppJSON, Release: c.value})
			warned := false
			for _, w := range pl.Warnings {
				warned = warned || strings.HasPrefix(w, "release: ") && strings.Contains(w, "runs migrate only")
			}
			if warned != c.warns {
				t.Errorf("release warning: %v, want %v (%q)", warned, c.warns, pl.Warnings)
			}
			r := pl.Process("release")
			if !c.migrates {
				if r != nil {
					t.Fatalf("release %s renders %q", c.value, r.Command)
				}
				if _, err := os.Stat(a.db); err == nil {
					t.Errorf("database %s exists with no release line", a.db)
				}
			} else {
				if r == nil {
					t.Fatalf("release %s renders no line:\n%s", c.value, pl.Procfile)
				}
				t.Logf("LINE release: %s", r.Command)
				proc := realserver.Start(t, serversArgv(t, r.Command, "5000"), a.root, a.env)
				if rc := proc.Wait(t, serversStart); rc != 0 {
					t.Fatalf("release %q exited %d:\n%s", r.Command, rc, serversTail(proc.Output()))
				}
				tables := strings.Join(sqliteTables(t, a.db), " ")
				for _, want := range []string{"django_migrations", "shop_hit"} {
					if !strings.Contains(" "+tables+" ", " "+want+" ") {
						t.Errorf("table %s missing after %q; tables: %s", want, r.Command, tables)
					}
				}
			}
			if _, err := os.Stat(static); err == nil {
				t.Errorf("the release phase wrote %s, which Dokku would not keep", static)
			}
			// At build: the Dockerfile RUN line / predeploy command.
			build := realserver.Start(t, serversArgv(t, "python manage.py collectstatic --noinput", "5000"), a.root, a.env)
			if rc := build.Wait(t, serversStart); rc != 0 {
				t.Fatalf("collectstatic exited %d:\n%s", rc, serversTail(build.Output()))
			}
			if b, err := os.ReadFile(filepath.Join(static, "site.css")); err != nil || string(b) != "body{}\n" {
				t.Errorf("collected site.css: %q, %v", b, err)
			}
		})
	}
}
