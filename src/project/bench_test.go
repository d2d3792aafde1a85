package project

import (
	"fmt"
	"strings"
	"testing"
)

// bigTree is cookiecutter-django plus the bulk a real checkout carries:
// node_modules, a .venv with Django itself installed (its own wsgi.py,
// settings and celery modules that must never be picked), .git objects,
// and a project with many apps, templates and static files.
func bigTree(appFiles, nodeFiles, venvFiles, gitFiles int) map[string]string {
	files := cookiecutterTree()
	for i := 0; i < nodeFiles; i++ {
		files[fmt.Sprintf("node_modules/pkg%03d/lib/sub/file%d.js", i%300, i)] = "x"
	}
	for i := 0; i < venvFiles; i++ {
		files[fmt.Sprintf(".venv/lib/python3.12/site-packages/pkg%03d/mod%d.py", i%300, i)] = "x"
	}
	files[".venv/lib/python3.12/site-packages/django/core/wsgi.py"] = wsgiPy
	files[".venv/lib/python3.12/site-packages/celery/app/celery.py"] = "app = Celery('decoy')\n"
	files[".venv/manage.py"] = manage("decoy.settings")
	files[".venv/pyvenv.cfg"] = "home = /usr/bin\n"
	for i := 0; i < gitFiles; i++ {
		files[fmt.Sprintf(".git/objects/%02x/%038x", i%256, i)] = "x"
	}
	for i := 0; i < appFiles; i++ {
		app := fmt.Sprintf("shop/app%02d", i%40)
		switch i % 4 {
		case 0:
			files[fmt.Sprintf("%s/module%d.py", app, i)] = "x = 1\n"
		case 1:
			files[fmt.Sprintf("%s/templates/%s/page%d.html", app, app, i)] = "<html>"
		case 2:
			files[fmt.Sprintf("shop/static/img/%d/pic%d.png", i%50, i)] = "png"
		default:
			files[fmt.Sprintf("%s/tests/test_%d.py", app, i)] = "def test(): pass\n"
		}
	}
	return files
}

// ignoredPrefixes are folders Scan must never list or read.
var ignoredPrefixes = []string{"node_modules/", ".venv/", ".git/", "shop/static/", "__pycache__/"}

func TestScanLargeTreeSkipsIgnoredFolders(t *testing.T) {
	root := writeTree(t, bigTree(120, 100, 100, 40))
	var reads []string
	f := scan(t, root, Options{SettingsModule: "config.settings.production", OnRead: func(rel string) { reads = append(reads, rel) }})
	check{"ManagePy": "manage.py", "WSGI": "config.wsgi:application", "CeleryApp": "config.celery_app",
		"CeleryBeat": true, "Queues": []string{QueueCelery}, "Warnings": nil}.assert(t, f)
	for _, r := range reads {
		for _, p := range ignoredPrefixes {
			if strings.HasPrefix(r, p) || strings.Contains(r, "/"+p) {
				t.Errorf("Scan looked into %s", r)
			}
		}
	}
	// The project's own files within the walk depth, not the ignored bulk.
	if f.Stats.Entries > 200 {
		t.Errorf("looked at %d entries: %+v", f.Stats.Entries, f.Stats)
	}
	t.Logf("stats: %+v", f.Stats)
}

func TestScanEntryBound(t *testing.T) {
	defer func(old int) { entryLimit = old }(entryLimit)
	entryLimit = 300
	files := map[string]string{"manage.py": manage("a.settings"), "a/settings.py": "", "a/wsgi.py": wsgiPy}
	for i := 0; i < entryLimit+200; i++ {
		files[fmt.Sprintf("data/d%d/f%d.txt", i%20, i)] = ""
	}
	f := scan(t, writeTree(t, files), Options{})
	// Breadth-first: the shallow project modules are found despite the bound.
	if f.Stats.Entries != entryLimit || !hasWarning(f, "more than") {
		t.Errorf("entries %d, warnings %q", f.Stats.Entries, f.Warnings)
	}
	check{"WSGI": "a.wsgi:application"}.assert(t, f)
}

// BenchmarkScan measures a full scan of a 20,000-file checkout whose bulk
// is in node_modules, .venv and .git (the case every deploy meets), of ones
// whose 20,000 files are all the project's own (with the settings known,
// and with nothing known so the walk runs to MaxEntries), and of a Node app.
func BenchmarkScan(b *testing.B) {
	for _, bc := range []struct {
		name  string
		files map[string]string
	}{
		{"cookiecutter+20k-ignored", bigTree(4000, 8000, 6000, 2000)},
		{"project-20k-own-files", bigTree(20000, 0, 0, 0)},
		{"project-20k-full-walk", func() map[string]string {
			// No settings default anywhere and no WSGI_APPLICATION: the
			// wsgi/settings search walks until MaxEntries.
			m := bigTree(20000, 0, 0, 0)
			m["manage.py"] = "import sys\n"
			m["config/wsgi.py"] = "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
			return m
		}()},
		{"node-app-20k", func() map[string]string {
			m := bigTree(0, 18000, 0, 2000)
			for k := range cookiecutterTree() {
				delete(m, k)
			}
			m["package.json"] = "{}"
			return m
		}()},
	} {
		root := writeTree(b, bc.files)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var st Stats
			for i := 0; i < b.N; i++ {
				f, err := Scan(root, Options{})
				if err != nil {
					b.Fatal(err)
				}
				st = f.Stats
			}
			b.ReportMetric(float64(st.Entries), "entries")
			b.ReportMetric(float64(st.FilesRead), "files-read")
		})
	}
}
