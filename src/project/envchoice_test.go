package project

import (
	"strings"
	"testing"
)

// TestEnvCall: the environment lookups settings use to choose a module,
// with their defaults.
func TestEnvCall(t *testing.T) {
	tests := []struct {
		expr, name, def string
		hasDef, ok      bool
	}{
		{`environ.get("DJANGO_ENV") or "production"`, "DJANGO_ENV", "production", true, true},
		{`os.environ.get("DJANGO_ENV", "development")`, "DJANGO_ENV", "development", true, true},
		{`os.getenv('ENV', 'prod')`, "ENV", "prod", true, true},
		{`os.environ["DJANGO_ENV"]`, "DJANGO_ENV", "", false, true},
		{`env("DJANGO_ENV", default="production")`, "DJANGO_ENV", "production", true, true},
		{`env.str("DJANGO_ENV", default="staging")`, "DJANGO_ENV", "staging", true, true},
		{`os.environ.get("DJANGO_ENV")`, "DJANGO_ENV", "", false, true},
		{`compute_env()`, "", "", false, false},
		{`"production"`, "", "", false, false},
	}
	for _, tt := range tests {
		r, ok := envCall(tokenize([]byte(tt.expr)))
		if ok != tt.ok || r.name != tt.name || r.def != tt.def || r.hasDefault != tt.hasDef {
			t.Errorf("envCall(%s) = %+v %v, want %s %q %v %v", tt.expr, r, ok, tt.name, tt.def, tt.hasDef, tt.ok)
		}
	}
}

// TestSettingsChosenByEnv: a split-settings include built from an
// environment variable reads the file of the value the app runs with
// (Options.Getenv: its config or the image's ENV), else the code's
// default, and says so; with neither it is not read, with a warning.
func TestSettingsChosenByEnv(t *testing.T) {
	init := "from os import environ\nfrom split_settings.tools import include, optional\n" +
		"_ENV = environ.get(\"DJANGO_ENV\"%s)\ninclude(\"components/common.py\", \"environments/{0}.py\".format(_ENV))\n"
	tests := []struct {
		name   string
		def    string // the code's default argument
		env    map[string]string
		queues string // RQ_QUEUES keys read
		choice string // a SettingsChoices entry holds this
		warn   string
	}{
		{"image ENV", "", map[string]string{"DJANGO_ENV": "production"}, "high low", "environments/production.py: DJANGO_ENV=production (Dockerfile ENV)", ""},
		{"code default", `, "development"`, nil, "default", "DJANGO_ENV=development (unset, so the default in proj/settings/__init__.py)", ""},
		{"config wins over the default", `, "development"`, map[string]string{"DJANGO_ENV": "production"}, "high low", "reads environments/production.py: DJANGO_ENV set (app config)", ""},
		{"unset, no default", "", nil, "", "", "chosen at run time"},
		{"no such file", "", map[string]string{"DJANGO_ENV": "staging"}, "", "environments/staging.py", "names no file in the source tree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{
				"requirements.txt":                          "django\ndjango-rq\ndjango-split-settings\n",
				"manage.py":                                 manage("proj.settings"),
				"proj/__init__.py":                          "",
				"proj/wsgi.py":                              wsgiPy,
				"proj/settings/__init__.py":                 strings.Replace(init, "%s", tt.def, 1),
				"proj/settings/components/common.py":        "INSTALLED_APPS = [\"django_rq\"]\n",
				"proj/settings/environments/production.py":  "RQ_QUEUES = {\"high\": {}, \"low\": {}}\n",
				"proj/settings/environments/development.py": "RQ_QUEUES = {\"default\": {}}\nDEBUG = True\n",
			})
			opt := Options{Getenv: func(name string) (string, string, bool) {
				v, ok := tt.env[name]
				from := "Dockerfile ENV"
				if tt.name == "config wins over the default" {
					from = "app config"
				}
				return v, from, ok
			}}
			f := scan(t, root, opt)
			if got := strings.Join(f.RQQueues, " "); got != tt.queues {
				t.Errorf("RQ queues %q, want %q (warnings %q)", got, tt.queues, f.Warnings)
			}
			if tt.choice != "" && !strings.Contains(strings.Join(f.SettingsChoices, "\n"), tt.choice) {
				t.Errorf("choices %q, want one holding %q", f.SettingsChoices, tt.choice)
			}
			if tt.warn != "" && !strings.Contains(strings.Join(f.Warnings, "\n"), tt.warn) {
				t.Errorf("warnings %q, want one holding %q", f.Warnings, tt.warn)
			}
		})
	}
}

// TestDjangoConfiguration: django-configurations' DJANGO_CONFIGURATION is
// the app's config or image ENV, else manage.py's default; a development
// default and a class the settings lack are warned about.
func TestDjangoConfiguration(t *testing.T) {
	settings := "from configurations import Configuration\nclass Base(Configuration):\n    DEBUG = False\nclass Dev(Base):\n    DEBUG = True\nclass Prod(Base):\n    pass\n"
	tests := []struct {
		name, def string
		env       map[string]string
		warn      string // "" for none
		choice    string
	}{
		{"dev default", "Dev", nil, "manage.py defaults DJANGO_CONFIGURATION to Dev, a development configuration of proj/settings.py; set DJANGO_CONFIGURATION for production (dokku config:set <app> DJANGO_CONFIGURATION=Prod)", "class Dev"},
		{"env sets Prod", "Dev", map[string]string{"DJANGO_CONFIGURATION": "Prod"}, "", "class Prod of proj/settings.py: DJANGO_CONFIGURATION (set, app config)"},
		{"prod default", "Prod", nil, "", "class Prod"},
		{"no such class", "Dev", map[string]string{"DJANGO_CONFIGURATION": "Staging"}, "DJANGO_CONFIGURATION (set, app config) names no class of proj/settings.py, so Django fails to start; set it to one it defines (dokku config:set <app> DJANGO_CONFIGURATION=Prod)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{
				"requirements.txt": "django\ndjango-configurations\ngunicorn\n",
				"manage.py":        "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\nos.environ.setdefault(\"DJANGO_CONFIGURATION\", \"" + tt.def + "\")\n",
				"proj/__init__.py": "",
				"proj/settings.py": settings,
				"proj/wsgi.py":     wsgiPy,
			})
			f := scan(t, root, Options{Getenv: func(n string) (string, string, bool) { v, ok := tt.env[n]; return v, "app config", ok }})
			var got []string
			for _, w := range f.Warnings {
				if strings.Contains(w, "DJANGO_CONFIGURATION") {
					got = append(got, w)
				}
			}
			if strings.Join(got, "\n") != tt.warn {
				t.Errorf("warnings %q, want %q", got, tt.warn)
			}
			if tt.choice != "" && !strings.Contains(strings.Join(f.SettingsChoices, "\n"), tt.choice) {
				t.Errorf("choices %q, want one holding %q", f.SettingsChoices, tt.choice)
			}
		})
	}
}
