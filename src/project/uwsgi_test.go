package project

import "testing"

// TestScanUwsgiPlugin: the OS's modular uWSGI is found from the recipe that
// installs it, and only then; pip's uwsgi (requirements.txt) needs none.
func TestScanUwsgiPlugin(t *testing.T) {
	app := map[string]string{
		"manage.py":        manage("proj.settings"),
		"proj/__init__.py": "",
		"proj/settings.py": "WSGI_APPLICATION = 'proj.wsgi.application'\n",
		"proj/wsgi.py":     wsgiPy,
		"requirements.txt": "Django==3.2.25\nuwsgi==2.0.21\n",
	}
	for _, tc := range []struct {
		name, file, recipe string
		plugin, from       string
	}{
		{"pip's uwsgi only", "", "", "", ""},
		// A Dockerfile is the deploy's to read, from its final stage
		// (src/deploy TestImageUwsgiPlugin): the scan ignores it.
		{"a Dockerfile is not scanned", "Dockerfile", "FROM debian:bookworm\nRUN apt-get install -y uwsgi uwsgi-plugin-python3\n", "", ""},
		{"heroku-buildpack-apt's Aptfile", "Aptfile", "uwsgi\nuwsgi-plugin-python3\n", "python3", "Aptfile"},
		{"a pinned version", "Aptfile", "uwsgi-plugin-python3=2.0.21-5.1\n", "python3", "Aptfile"},
		{"another plugin is not Python's", "Aptfile", "uwsgi-plugin-python3-extra\nuwsgi-plugin-php\n", "", ""},
		{"a comment mentioning it in a longer word", "Aptfile", "# not-uwsgi-plugin-python3\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range app {
				files[k] = v
			}
			if tc.file != "" {
				files[tc.file] = tc.recipe
			}
			f := scan(t, writeTree(t, files), Options{})
			if f.UwsgiPlugin != tc.plugin || f.UwsgiPluginFile != tc.from {
				t.Fatalf("UwsgiPlugin %q from %q, want %q from %q", f.UwsgiPlugin, f.UwsgiPluginFile, tc.plugin, tc.from)
			}
		})
	}
}
