package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// genTree lays out the example Django app plus n generated files: a tenth
// inside the project (templates, static, apps) and the rest in the folders
// real apps carry but prodserver must never walk.
func genTree(t *harness.Standalone, dir string, n int) {
	copyTree(t, fixture(), dir)
	inProject := n / 10
	for i := 0; i < n; i++ {
		var p string
		switch {
		case i < inProject:
			p = filepath.Join(dir, "shop", "static", fmt.Sprintf("d%03d", i/100), fmt.Sprintf("f%d.css", i))
		case i%3 == 0:
			p = filepath.Join(dir, "node_modules", fmt.Sprintf("pkg%04d", i/50), "lib", fmt.Sprintf("m%d.js", i))
		case i%3 == 1:
			p = filepath.Join(dir, ".venv", "lib", "python3.11", "site-packages", fmt.Sprintf("p%04d", i/50), fmt.Sprintf("m%d.py", i))
		default:
			p = filepath.Join(dir, ".git", "objects", fmt.Sprintf("%02x", i%256), fmt.Sprintf("o%d", i))
		}
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte("x\n"), 0o644))
	}
	// A decoy manage.py and settings inside ignored folders.
	for _, p := range []string{"node_modules/evil/manage.py", ".venv/lib/python3.11/site-packages/django/conf/project_template/manage.py-tpl"} {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, p), []byte("import os\n"), 0o644))
	}
}

func detectionScale(t *harness.Standalone, h *harness.Host, runs int) {
	const part = "Detection scale"
	if runs < 10 {
		runs = 10
	}
	cpe := filepath.Join(h.Plugin, "core-post-extract")
	for _, n := range []int{1000, 20000, 100000} {
		app := fmt.Sprintf("big%d", n)
		h.CreateApp(app)
		dir := filepath.Join(h.Dir, "tmp", app)
		genTree(t, dir, n)
		h.Chown(dir)

		// Proof: an in-process scan never lists or reads anything under an
		// ignored folder.
		ignored := 0
		var reads int
		_, err := project.Scan(dir, project.Options{OnRead: func(rel string) {
			reads++
			for _, ig := range []string{"node_modules", ".venv", ".git"} {
				if rel == ig+"/" || strings.HasPrefix(rel, ig+"/") {
					ignored++
				}
			}
		}})
		must(t, err)

		var s []sample
		for i := 0; i < runs; i++ {
			os.Remove(filepath.Join(dir, "Procfile"))
			cmd := h.Command(dir, false, cpe, app, dir, "rev")
			s = append(s, runOnce(t, cmd))
		}
		m := median(s)
		name := fmt.Sprintf("core-post-extract, %d-file tree: median", n)
		if n == 20000 {
			record(part, name, m.Round(10*time.Microsecond).String(), "≤ 25 ms", m <= 25*time.Millisecond)
			record(part, "20,000-file tree: entries read under node_modules/.venv/.git",
				fmt.Sprintf("%d (of %d reads)", ignored, reads), "0", ignored == 0)
		} else {
			record(part, name, m.Round(10*time.Microsecond).String(), "growth, no target", true)
		}
	}
	_ = exec.Command
}

// procfileLines writes a Procfile of n lines into dir: a runserver web
// line prodserver replaces, then user lines of both kinds (Celery workers
// it adopts, scripts it keeps), as plan's BenchmarkMakeProcfileLines does.
func procfileLines(t *harness.Standalone, dir string, n int) []byte {
	var b strings.Builder
	b.WriteString("web: python manage.py runserver\n")
	for i := 1; i < n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, "w%d: celery -A shop worker -Q q%d\n", i, i)
		} else {
			fmt.Fprintf(&b, "s%d: ./bin/script %d\n", i, i)
		}
	}
	return []byte(b.String())
}

// procfileScale times core-post-extract on a 10,000- and a 100,000-line
// Procfile (issue 15: a lookup per name made 100k lines take 47 s). The
// figure is the ratio, from the same run: linear is about 10, quadratic
// about 100.
func procfileScale(t *harness.Standalone, h *harness.Host, runs int) {
	const part = "Detection scale"
	if runs > 5 {
		runs = 5
	}
	if runs < 3 {
		runs = 3
	}
	cpe := filepath.Join(h.Plugin, "core-post-extract")
	med := map[int]time.Duration{}
	for _, n := range []int{10000, 100000} {
		app := fmt.Sprintf("lines%d", n)
		h.CreateApp(app)
		dir := filepath.Join(h.Dir, "tmp", app)
		copyTree(t, fixture(), dir)
		pf := procfileLines(t, dir, n)
		h.Chown(dir)
		var s []sample
		for i := 0; i < runs; i++ {
			must(t, os.WriteFile(filepath.Join(dir, "Procfile"), pf, 0o644))
			h.Chown(dir)
			s = append(s, runOnce(t, h.Command(dir, false, cpe, app, dir, "rev")))
		}
		med[n] = median(s)
		record(part, fmt.Sprintf("core-post-extract, %d-line Procfile: median", n), med[n].Round(time.Millisecond).String(), "growth, no target", true)
	}
	ratio := float64(med[100000]) / float64(med[10000])
	record(part, "100,000-line vs 10,000-line Procfile: ratio", fmt.Sprintf("%.1f×", ratio), "≤ 20× (linear ≈ 10×)", ratio <= 20)
}
