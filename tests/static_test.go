package tests

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestDeployStaticFiles: through the harness deploy, a settings.py with a
// local STATIC_ROOT warns, naming the change, exactly when nothing collects
// static files into the image for the builder Dokku picks; and the Procfile
// keeps every line either way (a warning, never a failed deploy).
func TestDeployStaticFiles(t *testing.T) {
	const (
		settings   = "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.staticfiles', 'django_celery_beat']\nWSGI_APPLICATION = 'shop.wsgi.application'\nSTATIC_URL = '/static/'\nSTATIC_ROOT = '/app/staticfiles'\n"
		s3         = "STORAGES = {'staticfiles': {'BACKEND': 'storages.backends.s3.S3Storage'}}\n"
		dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install -r requirements.txt\n"
		collectRUN = "RUN python manage.py collectstatic --noinput\n"
		predeploy  = `{"scripts": {"dokku": {"predeploy": "python manage.py collectstatic --noinput"}}}`
		lost       = "STATIC_ROOT (/app/staticfiles, shop/settings.py) is a folder in the container"
	)
	for _, c := range []struct {
		name   string
		files  map[string]string
		config map[string]string
		want   string // a substring of the warning; "" for no warning
	}{
		{name: "herokuish collects at build", files: map[string]string{}},
		{name: "herokuish with DISABLE_COLLECTSTATIC", files: map[string]string{}, config: map[string]string{"DISABLE_COLLECTSTATIC": "1"},
			want: "dokku config:unset shop DISABLE_COLLECTSTATIC"},
		{name: "Dockerfile without collectstatic", files: map[string]string{"Dockerfile": dockerfile},
			want: "add `RUN python3 manage.py collectstatic --noinput` to Dockerfile's final stage"},
		{name: "Dockerfile with collectstatic", files: map[string]string{"Dockerfile": dockerfile + collectRUN}},
		{name: "Dockerfile and predeploy", files: map[string]string{"Dockerfile": dockerfile, "app.json": predeploy}},
		{name: "Dockerfile and S3 storage", files: map[string]string{"Dockerfile": dockerfile, "shop/settings.py": settings + s3}},
		{name: "Dockerfile and a release line that collects", files: map[string]string{"Dockerfile": dockerfile,
			"Procfile": "release: python manage.py collectstatic --noinput\n"},
			want: "the release line runs collectstatic, but Dokku never commits the release container"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			if c.config != nil {
				h.SetConfig("shop", c.config)
			}
			files := djangoTree(map[string]string{"shop/settings.py": settings})
			for k, v := range c.files {
				files[k] = v
			}
			d := deployOK(t, h, "shop", tree(t, files))
			out, errOut := d.Output()
			warned := strings.Contains(errOut, lost)
			switch {
			case c.want == "" && warned:
				t.Errorf("warned about static files:\n%s", errOut)
			case c.want != "" && (!warned || !strings.Contains(errOut, c.want)):
				t.Errorf("deploy log lacks the static-files warning with %q:\n%s\n%s", c.want, out, errOut)
			}
			if !strings.Contains(d.Procfile, "web: gunicorn") || !strings.Contains(d.Procfile, "release: ") {
				t.Errorf("Procfile lost a line:\n%s", d.Procfile)
			}
		})
	}
}
