package tests

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// tempFiles lists the files under dir whose names mark an unfinished
// atomic write (".<name>.tmp…").
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), ".tmp") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestConcurrentWriters: 20 prodserver:set and prodserver:backend runs at
// once on one app end with one whole value per key and no temp files.
func TestConcurrentWriters(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	var webs []string // every web server of the catalogue
	for _, b := range backend.All() {
		if b.Kind == backend.KindWSGI || b.Kind == backend.KindASGI {
			webs = append(webs, b.Name)
		}
	}
	for round := 0; round < 3; round++ {
		pythons := map[string]bool{}
		backends := map[string]bool{}
		var wg sync.WaitGroup
		results := make([]harness.Result, 20)
		for i := 0; i < 20; i++ {
			// Long values make a torn write visible.
			py := fmt.Sprintf("python-%02d-%s", i, strings.Repeat(string(rune('a'+i)), 20000))
			pythons[py+"\n"] = true
			b := webs[i%len(webs)]
			backends[b+"\n"] = true
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if i%2 == 0 {
					results[i] = h.Dokku("prodserver:set", "myapp", "python", py)
				} else {
					results[i] = h.Dokku("prodserver:backend", "myapp", "web", b, "--skip-deploy")
				}
			}(i)
		}
		wg.Wait()
		for i, r := range results {
			if r.Code != 0 {
				t.Errorf("round %d writer %d: %s", round, i, r)
			}
			assertNoPanic(t, r.Stdout+r.Stderr)
		}
		if v, ok := h.Property("myapp", "python"); !ok || !pythons[v] {
			t.Errorf("round %d: python property is not one whole written value (%d bytes): %.40q", round, len(v), v)
		}
		if v, ok := h.Property("myapp", "backend.web"); !ok || !backends[v] {
			t.Errorf("round %d: backend.web is %q", round, v)
		}
		if tmp := tempFiles(t, h.Lib); len(tmp) > 0 {
			t.Errorf("round %d: temp files left: %v", round, tmp)
		}
		if r := h.Dokku("prodserver:report", "myapp", "--format", "json"); r.Code != 0 || !json.Valid([]byte(r.Stdout)) {
			t.Errorf("round %d: report after concurrent writes: %s", round, r)
		}
	}
}

// TestKilledWriter: a prodserver:set (or :args) killed with SIGKILL at a
// random moment leaves the property absent (never written), the old value
// or a new one, whole; report keeps working.
func TestKilledWriter(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	sub := filepath.Join(h.PluginPath, "enabled", "prodserver", "subcommands")
	// Each value is 100 KB, written again and again until the kill.
	value := func(n int) string { return fmt.Sprintf("python-%d-%s", n, strings.Repeat("x", 100000)) }
	arg := func(n int) string { return fmt.Sprintf("--x%d=%s", n, strings.Repeat("y", 50000)) }
	valid := map[string]bool{}
	validArgs := map[string]bool{}
	for n := 0; n < 4; n++ {
		valid[value(n)+"\n"] = true
		validArgs[arg(n)+"\n"+arg(n+1)+"\n"] = true
	}
	script := `while :; do
  for n in 0 1 2 3; do
    "$1/set" prodserver:set myapp python "python-$n-$2" >/dev/null 2>&1
    "$1/args" prodserver:args myapp web --skip-deploy -- "--x$n=$3" "--x$((n+1))=$3" >/dev/null 2>&1
  done
done`
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	written := false
	for i := 0; i < 30; i++ {
		cmd := h.Command(h.Root, false, "/bin/bash", "-c", script, "bash", sub, strings.Repeat("x", 100000), strings.Repeat("y", 50000))
		if cmd.SysProcAttr == nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{}
		}
		cmd.SysProcAttr.Setpgid = true
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(5+rng.Intn(150)) * time.Millisecond)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		v, ok := h.Property("myapp", "python")
		if ok {
			written = true
		}
		if ok && !valid[v] || !ok && written {
			t.Fatalf("kill %d: python property present=%v, %d bytes: %.30q…", i, ok, len(v), v)
		}
		if a, ok := h.Property("myapp", "args.web"); ok && !validArgs[a] {
			t.Fatalf("kill %d: args.web is torn (%d bytes): %.30q…", i, len(a), a)
		}
		r := h.Dokku("prodserver:report", "myapp", "--prodserver-python")
		if r.Code != 0 || ok && r.Stdout != v {
			t.Fatalf("kill %d: report after the kill: %.200s", i, r)
		}
		if r := h.Dokku("prodserver:args", "myapp", "web"); r.Code != 0 {
			t.Fatalf("kill %d: args after the kill: %.200s", i, r)
		}
	}
	if !written {
		t.Errorf("no write finished in 30 runs; the kills came too early to test anything")
	}
}

// TestRacingDeploys: two deploys of one app running core-post-extract at
// once (two work dirs, two DOKKU_PIDs, different app.json choices) each
// write a whole, valid Procfile of their own, and the deploy record is
// valid JSON from one of them.
func TestRacingDeploys(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	choices := []string{"gunicorn", "uvicorn"}
	for round := 0; round < 8; round++ {
		var wg sync.WaitGroup
		works := make([]string, 2)
		results := make([]harness.Result, 2)
		for i, b := range choices {
			extra := map[string]string{
				"app.json":         `{"prodserver": {"processes": {"web": "` + b + `"}}}`,
				"shop/asgi.py":     "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n",
				"requirements.txt": "Django\ngunicorn\nuvicorn\ncelery\ndjango-celery-beat\nhuey\n",
			}
			works[i] = workTree(t, h, fmt.Sprintf("shop-%d-%d", round, i), djangoTree(extra))
		}
		for i := range choices {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				cmd := h.Command(works[i], false, filepath.Join(h.Plugin, "core-post-extract"), "shop", works[i], "0123abcd")
				cmd.Env = append(cmd.Env, fmt.Sprintf("DOKKU_PID=%d", 9000+round*2+i))
				results[i] = run(cmd)
			}(i)
		}
		wg.Wait()
		commands := map[string]bool{}
		for i, b := range choices {
			r := results[i]
			assertNoPanic(t, r.Stdout+r.Stderr)
			if r.Code != 0 {
				t.Fatalf("round %d deploy %d: %s", round, i, r)
			}
			data, err := os.ReadFile(filepath.Join(works[i], "Procfile"))
			if err != nil {
				t.Fatal(err)
			}
			pf, err := procfile.Parse(data)
			if err != nil || pf.Editable() != nil {
				t.Fatalf("round %d deploy %d: Procfile invalid (%v):\n%s", round, i, err, data)
			}
			web, _ := pf.Get("web")
			if !strings.HasPrefix(web, b+" ") {
				t.Errorf("round %d deploy %d: web is %q, want %s (the other deploy's choice leaked in?)", round, i, web, b)
			}
			for _, name := range []string{"worker", "beat", "huey", "release"} {
				if _, ok := pf.Get(name); !ok {
					t.Errorf("round %d deploy %d: no %s line:\n%s", round, i, name, data)
				}
			}
			commands[web] = true
		}
		// Each deploy's record waits as deploy.json.$DOKKU_PID until its
		// core-post-deploy (scheduler-docker-local fires it once the
		// containers run); promote the second one, as Dokku would.
		post := h.Command(works[1], false, filepath.Join(h.Plugin, "core-post-deploy"), "shop", "5000", "127.0.0.1", "latest")
		post.Env = append(post.Env, fmt.Sprintf("DOKKU_PID=%d", 9000+round*2+1))
		if r := run(post); r.Code != 0 {
			t.Fatalf("round %d: core-post-deploy: %s", round, r)
		}
		raw, err := os.ReadFile(filepath.Join(h.Lib, "data", "prodserver", "shop", "deploy.json"))
		if err != nil {
			t.Fatal(err)
		}
		var rec struct {
			PID  string `json:"pid"`
			Plan struct {
				Processes []struct {
					Name, Command string
				} `json:"processes"`
			} `json:"plan"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			t.Fatalf("round %d: deploy record is not valid JSON: %v", round, err)
		}
		web := ""
		for _, p := range rec.Plan.Processes {
			if p.Name == "web" {
				web = p.Command
			}
		}
		if !commands[web] {
			t.Errorf("round %d: record's web %q is from neither deploy %v", round, web, commands)
		}
		if tmp := tempFiles(t, h.Lib); len(tmp) > 0 {
			t.Errorf("round %d: temp files left: %v", round, tmp)
		}
	}
	// The later triggers of a deploy still work on the record left behind.
	if r := h.Dokku("prodserver:processes", "shop", "--format", "json"); r.Code != 0 || !json.Valid([]byte(r.Stdout)) {
		t.Errorf("processes after racing deploys: %s", r)
	}
}

// TestFileModesAndOwners: every file prodserver writes under its config
// and data folders is mode 0600 and, when the tests run as root, owned by
// Dokku's user; so are its folders, and so is a rewritten Procfile.
func TestFileModesAndOwners(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	for _, args := range [][]string{
		{"prodserver:set", "shop", "workers", "3"},
		{"prodserver:set", "--global", "python", "python3"},
		{"prodserver:backend", "shop", "worker", "celery-worker", "--skip-deploy"},
		{"prodserver:args", "shop", "web", "--skip-deploy", "--", "--timeout=30"},
	} {
		if r := h.Dokku(args[0], args[1:]...); r.Code != 0 {
			t.Fatalf("%v: %s", args, r)
		}
	}
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	h.CreateApp("shop-copy")
	if r := h.Trigger("", "post-app-clone-setup", "shop", "shop-copy"); r.Code != 0 {
		t.Fatal(r)
	}
	h.CreateApp("shop-new")
	if r := h.Trigger("", "post-app-rename-setup", "shop-copy", "shop-new"); r.Code != 0 {
		t.Fatal(r)
	}
	files := 0
	for _, root := range []string{filepath.Join(h.Lib, "config", "prodserver"), filepath.Join(h.Lib, "data", "prodserver")} {
		err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			if fi.Mode().IsRegular() {
				files++
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v, want 0600", p, fi.Mode().Perm())
				}
			} else if !fi.IsDir() {
				t.Errorf("%s: not a file or folder: %v", p, fi.Mode())
			}
			if h.User != nil {
				assertOwner(t, fi, h.User.UID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 8 {
		t.Errorf("only %d files checked", files)
	}
	if fi, err := os.Stat(filepath.Join(d.Work, "Procfile")); err != nil {
		t.Fatal(err)
	} else if h.User != nil {
		assertOwner(t, fi, h.User.UID)
	}
}

// TestNoPathEscape: app names, process names, keys, app.json, args,
// procfile-path, app-dir, requirements includes and symlinks in the app's
// repository never make prodserver create or change a file outside its
// own folders (and the work dir of the deploy); a file outside keeps its
// content, and its content does not end up in the app's Procfile.
func TestNoPathEscape(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	outside := filepath.Join(h.Dir, "outside")
	secretPF := "# not the app's\nweb: /outside/secret-command\n"
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "Procfile"), []byte(secretPF), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "app.json"), []byte(`{"prodserver": {"processes": {"web": "uvicorn"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "requirements.txt"), []byte("outside-package\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.Chown(outside)
	// prodserver's folders, the deploys' work dirs, and what the stand-ins
	// and this test write.
	ignore := func(rel string) bool {
		for _, p := range []string{"var/lib/dokku/config/prodserver/", "var/lib/dokku/data/prodserver/", "tmp/", "work/", "calls.log",
			"var/lib/dokku/data/ps/", "var/lib/dokku/data/app-json/", "var/lib/dokku/config/common/", "var/lib/dokku/config/ps/"} {
			if strings.HasPrefix(rel, p) || rel+"/" == p {
				return true
			}
		}
		return false
	}
	snap := func() map[string]string {
		m := harness.Snapshot(t, h.Dir)
		for k := range m {
			if ignore(k) {
				delete(m, k)
			}
		}
		return m
	}
	before := snap()

	for _, args := range [][]string{
		{"prodserver:set", "../../outside", "enabled", "true"},
		{"prodserver:set", "shop", "../../../outside/x", "true"},
		{"prodserver:set", "shop", "app-dir", "../outside"},
		{"prodserver:backend", "shop", "../../outside", "gunicorn", "--skip-deploy"},
		{"prodserver:args", "shop", "../outside", "--", "--x"},
		{"prodserver:args", "shop", "web", "--skip-deploy", "--", "../../../outside/y"},
		{"prodserver:set", "--global", "../outside", "1"},
		{"prodserver:report", "../outside"},
	} {
		r := h.Dokku(args[0], args[1:]...)
		assertNoPanic(t, r.Stdout+r.Stderr)
	}
	files := djangoTree(map[string]string{
		"app.json":         `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "args": ["--log-file=../../outside/log"]}, "../../outside/z": "gunicorn"}}}`,
		"requirements.txt": "-r ../../../outside/requirements.txt\n-r /etc/passwd\nDjango\ngunicorn\n",
	})
	delete(files, "app.json") // one deploy with a symlinked app.json, one with a bad one
	for i, setup := range []func(work string){
		func(work string) {
			os.Symlink(filepath.Join(outside, "Procfile"), filepath.Join(work, "Procfile"))
			os.Symlink(filepath.Join(outside, "app.json"), filepath.Join(work, "app.json"))
		},
		func(work string) {
			os.WriteFile(filepath.Join(work, "app.json"), []byte(`{"prodserver": {"processes": {"../../outside/z": "gunicorn"}}}`), 0o644)
			os.Symlink("../../outside/Procfile", filepath.Join(work, "Procfile"))
		},
		func(work string) {
			h.WriteFile(filepath.Join(h.Lib, "config", "ps", "shop", "procfile-path"), []byte("../../outside/Procfile"))
			t.Cleanup(func() { os.Remove(filepath.Join(h.Lib, "config", "ps", "shop", "procfile-path")) })
		},
	} {
		work := workTree(t, h, fmt.Sprintf("shop-%d", i), files)
		setup(work)
		h.Chown(work)
		r := postExtract(h, "shop", work)
		assertNoPanic(t, r.Stdout+r.Stderr)
		if i != 1 && !strings.Contains(r.Stderr, "outside the source tree; leaving the Procfile untouched") {
			t.Errorf("deploy %d: no warning about the way out:\n%s", i, r)
		}
		if b, err := os.ReadFile(filepath.Join(work, "Procfile")); err == nil && strings.Contains(string(b), "secret-command") {
			if fi, err := os.Lstat(filepath.Join(work, "Procfile")); err == nil && fi.Mode().IsRegular() {
				t.Errorf("deploy %d copied the outside file's content into the app's Procfile:\n%s\n%s", i, b, r)
			}
		}
	}
	if diff := harness.Diff(before, snap()); len(diff) > 0 {
		t.Errorf("files changed outside prodserver's folders: %v", diff)
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "Procfile")); string(b) != secretPF {
		t.Errorf("outside file changed: %q", b)
	}
	// Nothing was created under config/ or data/ but prodserver's folders
	// for this app (and the stand-ins' own).
	for _, dir := range []string{filepath.Join(h.Lib, "config", "prodserver"), filepath.Join(h.Lib, "data", "prodserver")} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != "shop" && e.Name() != "--global" {
				t.Errorf("%s/%s created", dir, e.Name())
			}
		}
	}
}

// TestSecretsNeverPrinted: a distinctive value in the app's config never
// appears in what prodserver prints: report, processes, procfile, export,
// backend and args, deploy output and errors.
func TestSecretsNeverPrinted(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	const secret = "Zebra-S3cr3t-7f4e9c"
	h.SetConfig("shop", map[string]string{
		"DATABASE_URL":              "postgres://user:" + secret + "@db/shop",
		"SECRET_KEY":                secret,
		"WEB_CONCURRENCY":           secret,
		"CELERY_WORKER_CONCURRENCY": secret,
		"PRODSERVER_WORKERS":        secret,
		"DJANGO_SETTINGS_MODULE":    "shop.settings_" + strings.ReplaceAll(secret, "-", "_"),
		"PORT":                      secret,
	})
	var outputs []string
	// The first deploy has the settings module DJANGO_SETTINGS_MODULE
	// names; the strict ones below do not.
	module := "shop/settings_" + strings.ReplaceAll(secret, "-", "_") + ".py"
	d := deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{
		module:     djangoTree(nil)["shop/settings.py"],
		"app.json": `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "options": {"timeout": 30}}}}}`,
	})))
	o, e := d.Output()
	outputs = append(outputs, o, e, d.Procfile)
	if rec, _ := os.ReadFile(filepath.Join(h.Lib, "data", "prodserver", "shop", "deploy.json")); !strings.Contains(string(rec), `"SettingsFile": "`+module) {
		t.Errorf("the deploy did not use DJANGO_SETTINGS_MODULE (%s); the test proves nothing about it", module)
	}
	for _, args := range [][]string{
		{"prodserver:report", "shop"},
		{"prodserver:report", "shop", "--format", "json"},
		{"prodserver:report"},
		{"prodserver:processes", "shop"},
		{"prodserver:processes", "shop", "--format", "json"},
		{"prodserver:procfile", "shop"},
		{"prodserver:export", "shop"},
		{"prodserver:export", "shop", "--format", "django"},
		{"prodserver:backend", "shop", "web"},
		{"prodserver:args", "shop", "web"},
		{"prodserver:backends"},
		// Errors.
		{"prodserver:backend", "shop", "web", "nope"},
		{"prodserver:set", "shop", "workers", "many"},
		{"prodserver:processes", "shop", "--format", "xml"},
		{"prodserver:backend", "shop", "release", "gunicorn"},
	} {
		r := h.Dokku(args[0], args[1:]...)
		outputs = append(outputs, r.Stdout, r.Stderr)
	}
	// A deploy that fails in strict mode, and one with broken input.
	if r := h.Dokku("prodserver:set", "shop", "strict", "true"); r.Code != 0 {
		t.Fatal(r)
	}
	d = h.Deploy("shop", tree(t, djangoTree(map[string]string{"requirements.txt": "Django\n", "app.json": `{"prodserver": [`})))
	o, e = d.Output()
	outputs = append(outputs, o, e)
	d = h.Deploy("shop", tree(t, djangoTree(map[string]string{"requirements.txt": "Django\n"})))
	o, e = d.Output()
	outputs = append(outputs, o, e)
	if !d.Failed {
		t.Errorf("strict deploy did not fail")
	}
	for i, out := range outputs {
		if strings.Contains(out, secret) || strings.Contains(out, strings.ReplaceAll(secret, "-", "_")) {
			t.Errorf("output %d prints a config value:\n%s", i, out)
		}
	}
	// Nor does prodserver keep it (DJANGO_SETTINGS_MODULE, which it reads,
	// is kept in the deploy record).
	for _, dir := range []string{filepath.Join(h.Lib, "config", "prodserver"), filepath.Join(h.Lib, "data", "prodserver")} {
		for p, c := range harness.Snapshot(t, dir) {
			if strings.Contains(c, secret) {
				t.Errorf("%s/%s holds a config value", dir, p)
			}
		}
	}
}

// TestNothingFromTheRepositoryRuns: a deploy reads the app's source but
// runs none of it: executables in the tree named like what a deploy might
// call (manage.py, python, sh, plugn, dokku, git, setup.py...), with the
// work dir as the current folder, never leave their mark.
func TestNothingFromTheRepositoryRuns(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	marker := filepath.Join(h.Dir, "ran")
	if err := os.MkdirAll(marker, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(marker, 0o777); err != nil {
		t.Fatal(err)
	}
	payload := func(name string) string {
		return "#!/bin/sh\ntouch '" + filepath.Join(marker, name) + "'\n"
	}
	extra := map[string]string{}
	for _, name := range []string{"manage.py", "python", "python3", "sh", "bash", "plugn", "dokku", "git", "setup.py",
		"gunicorn", "celery", "bin/python", "bin/post_compile", "bin/pre_compile", "shop/wsgi.py", "shop/celery.py",
		"docker", "env", "procfile-util", "xargs"} {
		extra[name] = payload(strings.ReplaceAll(name, "/", "_"))
	}
	// manage.py and the Python modules must still read as what they are.
	extra["manage.py"] = payload("manage.py") + djangoTree(nil)["manage.py"]
	extra["setup.py"] = payload("setup.py") + "import os; os.system('touch " + filepath.Join(marker, "setup.py-system") + "')\n"
	src := tree(t, djangoTree(extra))
	filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	d := deployOK(t, h, "shop", src)
	if !strings.Contains(d.Procfile, "web: gunicorn ") {
		t.Fatalf("the deploy did not render the app:\n%s", d.Procfile)
	}
	for _, args := range [][]string{{"prodserver:processes", "shop"}, {"prodserver:procfile", "shop"}, {"prodserver:export", "shop", "--format", "django"}} {
		if r := h.Dokku(args[0], args[1:]...); r.Code != 0 {
			t.Errorf("%v: %s", args, r)
		}
	}
	if entries, _ := os.ReadDir(marker); len(entries) > 0 {
		var ran []string
		for _, e := range entries {
			ran = append(ran, e.Name())
		}
		t.Errorf("the deploy ran files from the app's repository: %v", ran)
	}
}
