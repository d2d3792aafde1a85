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
