package tests

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestDeployUwsgiPluginFromFinalStage (issue 15): the web line loads
// Debian's uWSGI Python plugin (--plugin=python3) when the Dockerfile's
// final stage installs uwsgi-plugin-python3, itself or through the stage
// it is built FROM, and not when only a build stage does (the package is
// not in the image; the scan once matched the word anywhere in the file).
func TestDeployUwsgiPluginFromFinalStage(t *testing.T) {
	const tail = "WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
	for _, c := range []struct {
		name, dockerfile string
		plugin           bool
	}{
		{"final stage installs it", "FROM debian:bookworm\nRUN apt-get install -y uwsgi uwsgi-plugin-python3 python3-pip\n" + tail, true},
		{"the stage it is built FROM installs it", "FROM debian:bookworm AS base\nRUN apt-get install -y uwsgi uwsgi-plugin-python3\nFROM base\n" + tail, true},
		{"only a build stage installs it", "FROM debian:bookworm AS build\nRUN apt-get install -y uwsgi-plugin-python3\nFROM python:3.12\nCOPY --from=build /usr/lib/uwsgi /opt/uwsgi\n" + tail, false},
		{"only a comment names it", "FROM python:3.12\n# not apt-get install uwsgi-plugin-python3\n" + tail, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			files := djangoTree(map[string]string{
				"Dockerfile":       c.dockerfile,
				"app.json":         `{"prodserver": {"processes": {"web": "uwsgi"}}}`,
				"requirements.txt": "Django==4.2.7\nuwsgi==2.0.23\n",
			})
			d := deployOK(t, h, "shop", tree(t, files))
			if d.Builder != "dockerfile" {
				t.Fatalf("builder %q, want dockerfile", d.Builder)
			}
			web := processLine(d.Procfile, "web")
			if got := strings.HasPrefix(web, "web: uwsgi --plugin=python3 "); got != c.plugin {
				t.Errorf("web line loads the plugin = %v, want %v: %s", got, c.plugin, web)
			}
		})
	}
}
