package project

import (
	"strings"
	"testing"
)

// TestBeatSchedulerNeedsInstalledApp: django-celery-beat declared is not
// enough for DatabaseScheduler, which crashes at start unless
// django_celery_beat is in INSTALLED_APPS (issue 12).
func TestBeatSchedulerNeedsInstalledApp(t *testing.T) {
	tests := []struct {
		name      string
		settings  string
		scheduler string
		warning   string
	}{
		{"installed", "INSTALLED_APPS = ['django_celery_beat']\n", DatabaseScheduler, ""},
		{"declared only", "INSTALLED_APPS = ['django.contrib.admin']\n", PersistentScheduler,
			`beat: django-celery-beat is declared but django_celery_beat is not in INSTALLED_APPS (proj/settings.py); beat runs celery's default scheduler`},
		{"setting wins", "INSTALLED_APPS = []\nCELERY_BEAT_SCHEDULER = 'redbeat.RedBeatScheduler'\n", "redbeat.RedBeatScheduler", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{
				"manage.py":        manage("proj.settings"),
				"proj/__init__.py": "",
				"proj/settings.py": tt.settings,
				"proj/wsgi.py":     wsgiPy,
				"proj/celery.py":   "from celery import Celery\napp = Celery('proj')\n",
				"requirements.txt": "django\ncelery\ndjango-celery-beat\n",
			})
			f := scan(t, root, Options{})
			if !f.CeleryBeat || f.BeatScheduler != tt.scheduler {
				t.Errorf("CeleryBeat %v BeatScheduler %q, want true %q", f.CeleryBeat, f.BeatScheduler, tt.scheduler)
			}
			if tt.warning != "" && !hasWarning(f, tt.warning) {
				t.Errorf("warnings %q lack %q", f.Warnings, tt.warning)
			}
			for _, w := range f.Warnings {
				if tt.warning == "" && strings.Contains(w, "django_celery_beat") {
					t.Errorf("unexpected warning %q", w)
				}
			}
		})
	}
}

// TestDevServerTargets: a Makefile target counts when its recipe runs the
// dev server, or depends on or calls one that does.
func TestDevServerTargets(t *testing.T) {
	tests := []struct {
		name, makefile string
		want           []string
	}{
		{"direct", "run:\n\tpython manage.py runserver 0.0.0.0:$$PORT\n", []string{"run", ""}},
		{"not first", ".PHONY: test run\ntest:\n\tpytest\nrun: ## serve locally\n\tpoetry run python manage.py runserver\n", []string{"run"}},
		{"through a prerequisite", "install:\n\tpip install -r requirements.txt\ndev:\n\tdjango-admin runserver\nserve: install dev\n", []string{"dev", "serve"}},
		{"through $(MAKE)", "up:\n\t$(MAKE) dev\ndev:\n\tpython manage.py runserver_plus\n", []string{"up", "dev", ""}},
		{"production server", "run:\n\tgunicorn proj.wsgi\n", nil},
		{"assignments and patterns", "PORT := 8000\n%.o: %.c\n\tpython manage.py runserver\nrun:\n\tgunicorn proj.wsgi\n", nil},
		{"CRLF", "run:\r\n\tpython manage.py runserver\r\n", []string{"run", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := devServerTargets(tt.makefile)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") || len(got) != len(tt.want) {
				t.Errorf("devServerTargets = %q, want %q", got, tt.want)
			}
		})
	}
}
