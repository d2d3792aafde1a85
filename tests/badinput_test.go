package tests

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// panicMarks are what a Go panic, a fatal runtime error or a goroutine dump
// prints; none may ever reach an operator.
var panicMarks = []string{"panic:", "goroutine ", "fatal error:", "runtime error", "[recovered]", "runtime/debug", ".go:"}

// goInternals are Go names and formatting that mean nothing to an operator:
// a message must name the setting, file or line to change instead of a
// struct field, a sentinel error's text, a Go type or a package prefix.
var goInternals = []string{"Context.", "missing required fact", "[]string", "[]interface", "map[string]", "int64", "float64", "pyliteral:", "%!", "<nil>", "*errors.", "&{"}

func assertNoPanic(t *testing.T, out string) {
	t.Helper()
	for _, m := range panicMarks {
		if strings.Contains(out, m) {
			t.Fatalf("output holds %q (a panic or trace):\n%s", m, out)
		}
	}
	for _, m := range goInternals {
		if strings.Contains(out, m) {
			t.Fatalf("output holds %q (a Go internal, not something the operator can change):\n%s", m, out)
		}
	}
}

// assertOneFailLine: a failed command exits non-zero and prints exactly
// one Dokku error line, " !     text", on stderr, with no control
// characters, containing msg.
func assertOneFailLine(t *testing.T, r harness.Result, msg string) {
	t.Helper()
	assertNoPanic(t, r.Stdout+r.Stderr)
	if r.Code == 0 {
		t.Fatalf("want a failure:\n%s", r)
	}
	if !strings.HasSuffix(r.Stderr, "\n") {
		t.Fatalf("stderr does not end with a newline:\n%s", r)
	}
	line := strings.TrimSuffix(r.Stderr, "\n")
	if strings.Contains(line, "\n") || !strings.HasPrefix(line, " !     ") {
		t.Fatalf("stderr is not one ' !     ' line:\n%s", r)
	}
	for _, c := range line {
		if c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f {
			t.Fatalf("error line holds control character %U: %q", c, line)
		}
	}
	if !strings.Contains(line, msg) {
		t.Fatalf("error line lacks %q: %q", msg, line)
	}
}

// run runs a harness command (h.Command) and collects its result.
func run(cmd *exec.Cmd) harness.Result {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			code = -1
			errb.WriteString(err.Error())
		}
	}
	return harness.Result{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

// postExtract runs prodserver's own core-post-extract (not plugn's chain,
// whose ps stand-in rejects some of these Procfiles itself) in work, with
// its address space limited to 2 GB so that an unbounded read fails the
// test instead of the machine.
func postExtract(h *harness.Host, app, work string) harness.Result {
	return run(h.Command(work, false, "/bin/bash", "-c", `ulimit -v 2000000 && exec timeout -k 5 60 "$0" "$@"`,
		filepath.Join(h.Plugin, "core-post-extract"), app, work, "0123abcd"))
}

// workTree writes files into a fresh TMP_WORK_DIR-like folder owned by the
// system user, as Dokku's extracted source is.
func workTree(t *testing.T, h *harness.Host, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(h.Dir, "work", name)
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h.Chown(dir)
	return dir
}

// smallDjangoWeb is a gunicorn web line adoption leaves as it is.
const smallDjangoWeb = "web: gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=4 --worker-connections=8 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application"

// smallDjango is a Django project whose Procfile already has every line
// detection would add, its web line already in the form adoption renders
// (explicit counts, so the host's size does not matter), so a deploy that
// understands nothing new changes nothing.
func smallDjango(extra map[string]string) map[string]string {
	files := map[string]string{
		"manage.py":        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
		"proj/__init__.py": "",
		"proj/settings.py": "SECRET_KEY = 'x'\nWSGI_APPLICATION = 'proj.wsgi.application'\n",
		"proj/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		"requirements.txt": "Django==5.0\ngunicorn==22.0\n",
		"Procfile":         smallDjangoWeb + "\nrelease: python manage.py migrate --noinput\n",
	}
	for k, v := range extra {
		if v == "\x00delete" {
			delete(files, k)
			continue
		}
		files[k] = v
	}
	return files
}

// TestBadInputCommands: every command refuses bad input with one clear
// error line and a non-zero exit, and changes nothing under DOKKU_LIB_ROOT.
// (NUL cannot be passed: the kernel's argv is NUL-terminated strings; NUL
// is covered in files below.)
func TestBadInputCommands(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	h.CreateApp("deployed")
	d := h.Deploy("deployed", tree(t, smallDjango(nil)))
	if d.Failed {
		o, e := d.Output()
		t.Fatalf("deploy failed:\n%s\n%s", o, e)
	}
	if r := h.Dokku("prodserver:set", "myapp", "workers", "3"); r.Code != 0 {
		t.Fatal(r)
	}
	long := strings.Repeat("a", 300)
	cases := []struct {
		name  string
		cmd   string
		args  []string
		msg   string
		setup func(t *testing.T) // before the snapshot; undone by t.Cleanup
	}{
		// App names.
		{"app empty", "prodserver:set", []string{"", "enabled", "true"}, "Please specify an app", nil},
		{"app upper case", "prodserver:set", []string{"MyApp", "enabled", "true"}, "App name must begin with lowercase", nil},
		{"app dot-dot", "prodserver:backend", []string{"../myapp", "web", "gunicorn"}, "App name must begin with lowercase", nil},
		{"app dot-dot inside", "prodserver:set", []string{"myapp/../../etc", "enabled", "true"}, "App name must begin with lowercase", nil},
		{"app semicolon", "prodserver:report", []string{"myapp;id"}, "App name must begin with lowercase", nil},
		{"app space", "prodserver:processes", []string{"my app"}, "App name must begin with lowercase", nil},
		{"app newline", "prodserver:set", []string{"myapp\nid", "enabled", "true"}, `"myapp\nid"`, nil},
		{"app escape sequence", "prodserver:procfile", []string{"myapp\x1b[2J"}, `"myapp\x1b[2J"`, nil},
		{"app 300 chars", "prodserver:export", []string{long}, "App name must begin with lowercase", nil},
		{"app 64 chars, missing", "prodserver:set", []string{strings.Repeat("b", 64), "enabled", "true"}, "does not exist", nil},
		{"app unicode", "prodserver:args", []string{"mÿapp", "web", "--", "--x"}, "App name must begin with lowercase", nil},
		{"app missing", "prodserver:processes", []string{"ghost"}, "App ghost does not exist", nil},
		// Process names.
		{"proc empty", "prodserver:backend", []string{"myapp", "", "gunicorn"}, "Invalid process type", nil},
		{"proc upper case", "prodserver:backend", []string{"myapp", "Web", "gunicorn"}, "Invalid process type", nil},
		{"proc dot-dot", "prodserver:backend", []string{"myapp", "../../x", "gunicorn"}, "Invalid process type", nil},
		{"proc semicolon", "prodserver:args", []string{"myapp", "w;id", "--", "--x"}, "Invalid process type", nil},
		{"proc space", "prodserver:backend", []string{"myapp", "w b", "gunicorn"}, "Invalid process type", nil},
		{"proc newline", "prodserver:backend", []string{"myapp", "web\nworker", "gunicorn"}, "Invalid process type", nil},
		{"proc 64 chars", "prodserver:backend", []string{"myapp", strings.Repeat("w", 64), "rq-worker"}, "Invalid process type", nil},
		{"proc unicode", "prodserver:backend", []string{"myapp", "wéb", "gunicorn"}, "Invalid process type", nil},
		{"proc dot", "prodserver:args", []string{"myapp", ".", "--", "--x"}, "Invalid process type", nil},
		// Backend names.
		{"backend unknown", "prodserver:backend", []string{"myapp", "web", "gunicron"}, `did you mean "gunicorn"`, nil},
		{"backend semicolon", "prodserver:backend", []string{"myapp", "web", "gunicorn;id"}, "unknown backend", nil},
		{"backend command substitution", "prodserver:backend", []string{"myapp", "web", "$(id)"}, "unknown backend", nil},
		{"backend backticks", "prodserver:backend", []string{"myapp", "web", "`id`"}, "unknown backend", nil},
		{"backend path", "prodserver:backend", []string{"myapp", "web", "../../bin/sh"}, "unknown backend", nil},
		{"backend newline", "prodserver:backend", []string{"myapp", "web", "gunicorn\n"}, "Invalid backend", nil},
		{"backend empty", "prodserver:backend", []string{"myapp", "web", ""}, "unknown backend", nil},
		{"backend huge", "prodserver:backend", []string{"myapp", "web", strings.Repeat("x", 100000)}, "unknown backend", nil},
		{"backend wrong kind for web", "prodserver:backend", []string{"myapp", "web", "celery-worker"}, "must run a web server", nil},
		{"backend wrong kind for release", "prodserver:backend", []string{"myapp", "release", "gunicorn"}, "must run a release backend", nil},
		// Extra arguments.
		{"args newline", "prodserver:args", []string{"myapp", "web", "--", "--x", "a\nb"}, "Invalid argument", nil},
		{"args control character", "prodserver:args", []string{"myapp", "web", "--", "\x1b[31m"}, "Invalid argument", nil},
		{"args space", "prodserver:args", []string{"myapp", "web", "--", "a b"}, "contains a space", nil},
		{"args glob", "prodserver:args", []string{"myapp", "web", "--", "*.py"}, "glob", nil},
		{"args backslash", "prodserver:args", []string{"myapp", "web", "--", `a\b`}, "backslash", nil},
		{"args empty word", "prodserver:args", []string{"myapp", "web", "--", ""}, "empty", nil},
		{"args nothing after --", "prodserver:args", []string{"myapp", "web", "--"}, "No arguments after --", nil},
		{"args words before --", "prodserver:args", []string{"myapp", "web", "--timeout", "30"}, "", nil},
		{"args clear with words", "prodserver:args", []string{"myapp", "web", "--clear", "--", "--x"}, "--clear takes no arguments", nil},
		// Property values.
		{"set unknown key", "prodserver:set", []string{"myapp", "colour", "blue"}, "Invalid key colour", nil},
		{"set key dot-dot", "prodserver:set", []string{"myapp", "../../enabled", "true"}, "Invalid key", nil},
		{"set wsgi semicolon", "prodserver:set", []string{"myapp", "wsgi", "proj.wsgi:app;id"}, "Invalid value for wsgi", nil},
		{"set python substitution", "prodserver:set", []string{"myapp", "python", "$(id)"}, "Invalid value for python", nil},
		{"set celery-app backticks", "prodserver:set", []string{"myapp", "celery-app", "`id`"}, "Invalid value for celery-app", nil},
		{"set settings quotes", "prodserver:set", []string{"myapp", "settings-module", `a'b"c`}, "Invalid value for settings-module", nil},
		{"set python space", "prodserver:set", []string{"myapp", "python", "python -c x"}, "Invalid value for python", nil},
		{"set app-dir escaping", "prodserver:set", []string{"myapp", "app-dir", "src/../../etc"}, "Invalid value for app-dir", nil},
		{"set control character", "prodserver:set", []string{"myapp", "workers", "4\r"}, "control characters", nil},
		{"set workers huge", "prodserver:set", []string{"myapp", "workers", "99999999999999999999"}, "Invalid value for workers", nil},
		{"set missing key", "prodserver:set", []string{"myapp"}, "Please specify a key", nil},
		{"set extra words", "prodserver:set", []string{"myapp", "enabled", "true", "false"}, "Too many arguments", nil},
		{"set global extra words", "prodserver:set", []string{"--global", "enabled", "true", "x"}, "Too many arguments", nil},
		{"set unknown flag", "prodserver:set", []string{"--bogus", "myapp", "enabled", "true"}, "", nil},
		// Other commands' words and flags.
		{"backend missing proc", "prodserver:backend", []string{"myapp"}, "Please specify a process type", nil},
		{"backend extra words", "prodserver:backend", []string{"myapp", "web", "gunicorn", "uvicorn"}, "Too many arguments", nil},
		{"backend clear with name", "prodserver:backend", []string{"myapp", "web", "gunicorn", "--clear"}, "--clear takes no backend", nil},
		{"backends extra words", "prodserver:backends", []string{"x"}, "Too many arguments", nil},
		{"backends bad format", "prodserver:backends", []string{"--format", "xml"}, "Invalid --format value", nil},
		{"report two flags", "prodserver:report", []string{"myapp", "--prodserver-workers", "--prodserver-python"}, "Only one flag", nil},
		{"report unknown flag", "prodserver:report", []string{"myapp", "--prodserver-colour"}, "", nil},
		{"report extra words", "prodserver:report", []string{"myapp", "x"}, "Too many arguments", nil},
		{"report format with quote", "prodserver:report", []string{"myapp", "--format", "j'son"}, `Format must be "stdout" or "json"`, nil},
		{"processes not deployed", "prodserver:processes", []string{"myapp"}, "myapp has not been deployed yet: prodserver reads the deployed source", nil},
		{"processes extra words", "prodserver:processes", []string{"deployed", "x"}, "Too many arguments", nil},
		{"procfile no app", "prodserver:procfile", nil, "Please specify an app", nil},
		{"export bad format", "prodserver:export", []string{"deployed", "--format", "yaml"}, "Invalid --format value", nil},
		// Broken state.
		{"property unreadable", "prodserver:report", []string{"myapp"}, "", func(t *testing.T) {
			p := filepath.Join(h.Lib, "config", "prodserver", "myapp", "workers")
			chmod(t, p, 0o000)
		}},
		{"deploy record unreadable", "prodserver:processes", []string{"deployed"}, "deploy record", func(t *testing.T) {
			chmod(t, filepath.Join(h.Lib, "data", "prodserver", "deployed", "deploy.json"), 0o000)
		}},
		{"property corrupt", "prodserver:report", []string{"myapp"}, "stored property enabled of myapp is invalid", func(t *testing.T) {
			writeTemp(t, h, filepath.Join(h.Lib, "config", "prodserver", "myapp", "enabled"), "maybe\x1b[2J\n")
		}},
		{"global property corrupt", "prodserver:processes", []string{"deployed"}, "stored property workers of --global is invalid", func(t *testing.T) {
			writeTemp(t, h, filepath.Join(h.Lib, "config", "prodserver", "--global", "workers"), "many\n")
		}},
		{"deploy record corrupt", "prodserver:procfile", []string{"deployed"}, "is corrupt", func(t *testing.T) {
			p := filepath.Join(h.Lib, "data", "prodserver", "deployed", "deploy.json")
			old, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			writeKeep(t, h, p, `{"plan": {"processes": [`, old)
		}},
		{"deploy record wrong types", "prodserver:export", []string{"deployed"}, "is corrupt", func(t *testing.T) {
			p := filepath.Join(h.Lib, "data", "prodserver", "deployed", "deploy.json")
			old, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			writeKeep(t, h, p, `{"plan": {"processes": "web"}, "procfile": 5}`, old)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup(t)
			}
			before := harness.Snapshot(t, h.Lib)
			r := h.Dokku(c.cmd, c.args...)
			assertOneFailLine(t, r, c.msg)
			if diff := harness.Diff(before, harness.Snapshot(t, h.Lib)); len(diff) > 0 {
				t.Errorf("files changed: %v", diff)
			}
		})
	}
	if len(cases) < 40 {
		t.Errorf("only %d cases", len(cases))
	}
}

// chmod changes a file's mode for one test, restoring it after.
func chmod(t *testing.T, p string, mode os.FileMode) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(p, fi.Mode().Perm()) })
	if f, err := os.Open(p); err == nil && os.Geteuid() != 0 {
		f.Close()
		t.Skip("cannot make a file unreadable here")
	}
}

// readRegular reads a regular file; anything else (a symlink to a device,
// say) is described instead of read.
func readRegular(p string) []byte {
	fi, err := os.Lstat(p)
	switch {
	case err != nil:
		return nil
	case fi.Mode()&os.ModeSymlink != 0:
		l, _ := os.Readlink(p)
		return []byte("symlink to " + l)
	case !fi.Mode().IsRegular():
		return []byte(fi.Mode().String())
	}
	b, _ := os.ReadFile(p)
	return b
}

// mkfifo makes p a FIFO (nothing ever writes to it: opening it for
// reading without O_NONBLOCK blocks forever).
func mkfifo(t *testing.T, p string) {
	t.Helper()
	os.Remove(p)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
}

// outsideDir is an empty folder beside the app's source tree, which a
// deploy must never write into.
func outsideDir(t *testing.T, h *harness.Host, app string) string {
	t.Helper()
	d := filepath.Join(h.Dir, "work", app+"-outside")
	if err := os.MkdirAll(d, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(d, 0o777)
	return d
}

// assertEmpty fails when a deploy created anything in d.
func assertEmpty(t *testing.T, d string) {
	t.Helper()
	ents, _ := os.ReadDir(d)
	for _, e := range ents {
		if e.Name() != "b" {
			t.Errorf("the deploy created %s outside the source tree", filepath.Join(d, e.Name()))
		}
	}
}

// symlink replaces p with a symlink to target.
func symlink(t *testing.T, target, p string) {
	t.Helper()
	os.Remove(p)
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// writeTemp writes a file for one test and removes it after.
func writeTemp(t *testing.T, h *harness.Host, p, content string) {
	t.Helper()
	h.WriteFile(p, []byte(content))
	t.Cleanup(func() { os.Remove(p) })
}

// writeKeep replaces a file for one test and puts the old content back.
func writeKeep(t *testing.T, h *harness.Host, p, content string, old []byte) {
	t.Helper()
	h.WriteFile(p, []byte(content))
	t.Cleanup(func() { h.WriteFile(p, old) })
}

// TestBadInputDeploy: what a deploy cannot understand becomes a clear
// ` !     prodserver:` warning and an untouched source tree (exit 0), or,
// where failing is right (strict mode), a clear failure that also leaves
// the tree untouched; never a panic. What it does understand (CRLF, a BOM,
// no final newline) is rendered with the file's own conventions kept.
func TestBadInputDeploy(t *testing.T) {
	h := harness.New(t)
	deepJSON := `{"prodserver":` + strings.Repeat("[", 4<<20) + strings.Repeat("]", 4<<20) + `}`
	deepPy := "PRODUCTION_PROCESSES = " + strings.Repeat("[", 10<<20) + "\n"
	tomlBomb := "[project]\ndependencies = [\"Django\"]\nx = " + strings.Repeat("{a=", 300000) + "\n"
	noWeb := "release: python manage.py migrate --noinput\n" // detection wants to add web
	cases := []struct {
		name  string
		files map[string]string // on top of smallDjango; "\x00delete" removes
		setup func(t *testing.T, app, work string)
		warn  string // in a ` !     prodserver:` line
		fail  bool   // the deploy must fail (strict mode)
		// understood: the input is valid; check the written Procfile instead
		// of requiring it unchanged.
		understood func(t *testing.T, before, after string)
	}{
		// app.json.
		{name: "app.json broken", files: map[string]string{"app.json": `{"prodserver": {"processes": {`}, warn: "app.json is not valid JSON"},
		{name: "app.json section wrong type", files: map[string]string{"app.json": `{"prodserver": ["web"]}`}, warn: "prodserver must be an object"},
		{name: "app.json processes wrong type", files: map[string]string{"app.json": `{"prodserver": {"processes": "web"}}`}, warn: "processes must be an object"},
		{name: "app.json upper-case process", files: map[string]string{"app.json": `{"prodserver": {"processes": {"Web": "gunicorn"}}}`}, warn: "lowercase letters"},
		{name: "app.json NUL in a name", files: map[string]string{"app.json": `{"prodserver": {"processes": {"we\u0000b": "gunicorn"}}}`}, warn: `"we\x00b"`},
		{name: "app.json escape sequence in a key", files: map[string]string{"app.json": `{"prodserver": {"relea\u001b[2Jse": "none"}}`}, warn: `"relea\x1b[2Jse" is not a known key`},
		{name: "app.json path in a name", files: map[string]string{"app.json": `{"prodserver": {"processes": {"../../x": "gunicorn"}}}`}, warn: "lowercase letters"},
		{name: "app.json scale wrong type", files: map[string]string{"app.json": `{"prodserver": {"processes": {"worker": {"backend": "rq-worker", "scale": "2"}}}}`}, warn: "scale must be a whole number"},
		{name: "app.json option object", files: map[string]string{"app.json": `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "options": {"x": {"y": 1}}}}}}`}, warn: "options.x"},
		{name: "app.json args not strings", files: map[string]string{"app.json": `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "args": [1]}}}}`}, warn: "args must be a list of strings"},
		{name: "app.json unknown backend", files: map[string]string{"app.json": `{"prodserver": {"processes": {"web": "gunicorn;id"}}}`}, warn: "unknown backend"},
		{name: "app.json shell metacharacters in args", files: map[string]string{"app.json": `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "args": ["a b", "$(id)"]}}}}`}, warn: "contains a space"},
		{name: "app.json option with newline", files: map[string]string{"app.json": `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "options": {"timeout": "1\nrm"}}}}}`}, warn: "web:"},
		// Messages name the file, key and setting to change, never a Go
		// type or field (assertNoPanic checks goInternals on every case).
		{name: "app.json option wrong type", files: map[string]string{"app.json": `{"prodserver": {"processes": {"web": {"backend": "gunicorn", "options": {"workers": "four"}}}}}`}, warn: `workers wants a value of type int, got the string "four"`},
		{name: "app.json celery without an app", files: map[string]string{"app.json": `{"prodserver": {"processes": {"worker": "celery-worker"}}}`}, warn: "celery-app"},
		{name: "app.json ASGI server without a target", files: map[string]string{"app.json": `{"prodserver": {"processes": {"web": "uvicorn"}}}`}, warn: "ASGI_APPLICATION"},
		{name: "app.json 8 MB of nesting", files: map[string]string{"app.json": deepJSON}, warn: "app.json is larger than the 4 MiB prodserver reads"},
		// settings.py.
		{name: "settings syntax error", files: map[string]string{"proj/settings.py": "SECRET_KEY = 'x'\nPRODUCTION_PROCESSES = {'web': {'BACKEND': \n"}, warn: "PRODUCTION_PROCESSES"},
		{name: "settings not a literal", files: map[string]string{"proj/settings.py": "import os\nPRODUCTION_PROCESSES = build(os.environ)\n"}, warn: "PRODUCTION_PROCESSES"},
		{name: "settings wrong shape", files: map[string]string{"proj/settings.py": "PRODUCTION_PROCESSES = ['web']\n"}, warn: "PRODUCTION_PROCESSES"},
		{name: "settings backend with escape", files: map[string]string{"proj/settings.py": "PRODUCTION_PROCESSES = {'web': {'BACKEND': 'x\\x1b[2J.Y'}}\n"}, warn: `"x\x1b[2J.Y"`},
		{name: "settings 1 MB of nesting", files: map[string]string{"proj/settings.py": "PRODUCTION_PROCESSES = " + strings.Repeat("{'a': [", 100000) + "\n"}, warn: "PRODUCTION_PROCESSES"},
		{name: "settings 1 MB of nesting elsewhere", files: map[string]string{"proj/settings.py": "WSGI_APPLICATION = 'proj.wsgi.application'\nINSTALLED_APPS = " + strings.Repeat("(", 500000) + strings.Repeat(")", 500000) + "\nPRODUCTION_PROCESSES = {'web': {'BACKEND': 'x.Y'}}\n"}, warn: "backend x.Y has no prodserver equivalent"},
		{name: "settings 10 MB of nesting", files: map[string]string{"proj/settings.py": deepPy}, warn: "larger than"},
		// Procfiles prodserver cannot edit: detection wants a web line.
		{name: "Procfile NUL byte", files: map[string]string{"Procfile": "release: python manage.py migrate\x00 --noinput\n"}, warn: "Procfile"},
		{name: "Procfile duplicate types", files: map[string]string{"Procfile": noWeb + "release: ./other\n"}, warn: "Procfile"},
		{name: "Procfile merge conflict", files: map[string]string{"Procfile": "<<<<<<< HEAD\n" + noWeb + "=======\nrelease: ./x\n>>>>>>> other\n"}, warn: "merge conflict"},
		{name: "Procfile invalid line", files: map[string]string{"Procfile": noWeb + "worker celery -A proj worker\n"}, warn: "Procfile"},
		{name: "Procfile control character", files: map[string]string{"Procfile": noWeb + "clock: ./clock \x1b[2J\n"}, warn: "Procfile"},
		{name: "Procfile BOM", files: map[string]string{"Procfile": "\ufeff" + noWeb}, warn: "byte order mark"},
		{name: "Procfile unreadable", files: map[string]string{"Procfile": noWeb}, warn: "Procfile", setup: func(t *testing.T, app, work string) {
			if err := os.Chmod(filepath.Join(work, "Procfile"), 0o000); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "Procfile is a folder", files: map[string]string{"Procfile": "\x00delete", "Procfile/x": ""}, warn: "Procfile"},
		{name: "Procfile symlinked to /dev/zero", warn: "outside the source tree", setup: func(t *testing.T, app, work string) {
			symlink(t, "/dev/zero", filepath.Join(work, "Procfile"))
		}},
		{name: "app.json symlinked to /dev/zero", warn: "outside the source tree", setup: func(t *testing.T, app, work string) {
			symlink(t, "/dev/zero", filepath.Join(work, "app.json"))
		}},
		// Procfiles it understands: kept byte for byte around the new line.
		{name: "Procfile CRLF", files: map[string]string{"Procfile": "release: python manage.py migrate --noinput\r\nclock: ./clock\r\n"},
			understood: func(t *testing.T, before, after string) {
				if strings.Count(after, "\r\n") != strings.Count(after, "\n") || !strings.Contains(after, "clock: ./clock\r\n") || !strings.HasPrefix(after, "release: ") {
					t.Errorf("CRLF not kept:\n%q", after)
				}
			}},
		{name: "Procfile no final newline", files: map[string]string{"Procfile": strings.TrimSuffix(noWeb, "\n")},
			understood: func(t *testing.T, before, after string) {
				if !strings.HasPrefix(after, strings.TrimSuffix(noWeb, "\n")) || !strings.Contains(after, "web: gunicorn ") {
					t.Errorf("Procfile:\n%q", after)
				}
			}},
		// Dependency files.
		{name: "pyproject.toml nesting bomb", files: map[string]string{"pyproject.toml": tomlBomb}, warn: "pyproject.toml"},
		{name: "requirements egg crasher", files: map[string]string{"requirements.txt": "Django\ngunicorn\nx#egg=foo-\n"},
			understood: func(t *testing.T, before, after string) {
				if after != before {
					t.Errorf("Procfile changed:\n%q", after)
				}
			}},
		{name: "Pipfile.lock nesting", files: map[string]string{"Pipfile.lock": strings.Repeat("[", 1<<20)}, warn: "Pipfile.lock"},
		// Broken state and settings.
		{name: "strict mode, package missing", files: map[string]string{"requirements.txt": "Django\n"}, warn: "gunicorn", fail: true,
			setup: func(t *testing.T, app, work string) {
				if r := h.Dokku("prodserver:set", app, "strict", "true"); r.Code != 0 {
					t.Fatal(r)
				}
				if r := h.Dokku("prodserver:backend", app, "web", "gunicorn", "--skip-deploy"); r.Code != 0 {
					t.Fatal(r)
				}
			}},
		{name: "property corrupt", warn: "stored property workers", setup: func(t *testing.T, app, work string) {
			h.WriteFile(filepath.Join(h.Lib, "config", "prodserver", app, "workers"), []byte("lots\n"))
		}},
		{name: "property unreadable", warn: "permission denied", setup: func(t *testing.T, app, work string) {
			p := filepath.Join(h.Lib, "config", "prodserver", app, "python")
			h.WriteFile(p, []byte("python3\n"))
			if err := os.Chmod(p, 0o000); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "procfile-path outside the tree", warn: "points outside the source tree", setup: func(t *testing.T, app, work string) {
			h.WriteFile(filepath.Join(h.Lib, "config", "ps", app, "procfile-path"), []byte("../../../../etc/passwd"))
		}},
		// Issue 15: hangs, unbounded reads and escapes through parents.
		// Each must end (postExtract times out at 60 s) with a warning.
		{name: "Procfile is a FIFO", files: map[string]string{"Procfile": "\x00delete"}, warn: "Procfile is not a regular file", setup: func(t *testing.T, app, work string) {
			mkfifo(t, filepath.Join(work, "Procfile"))
		}},
		{name: "Procfile symlinked to a FIFO in the tree", files: map[string]string{"Procfile": "\x00delete"}, warn: "Procfile is not a regular file", setup: func(t *testing.T, app, work string) {
			mkfifo(t, filepath.Join(work, "pipe"))
			symlink(t, "pipe", filepath.Join(work, "Procfile"))
		}},
		{name: "Procfile past 4 MiB", files: map[string]string{"Procfile": noWeb + strings.Repeat("# padding\n", (4<<20)/10+1)}, warn: "Procfile is larger than the 4 MiB prodserver reads"},
		{name: "app.json is a FIFO", warn: "app.json is not a regular file", setup: func(t *testing.T, app, work string) {
			mkfifo(t, filepath.Join(work, "app.json"))
		}},
		{name: "procfile-path through a symlinked folder", warn: "points outside the source tree", setup: func(t *testing.T, app, work string) {
			out := outsideDir(t, h, app)
			symlink(t, out, filepath.Join(work, "backend"))
			h.WriteFile(filepath.Join(h.Lib, "config", "ps", app, "procfile-path"), []byte("backend/Procfile"))
			t.Cleanup(func() { assertEmpty(t, out) })
		}},
		{name: "procfile-path through a symlinked parent two levels up", warn: "points outside the source tree", setup: func(t *testing.T, app, work string) {
			out := outsideDir(t, h, app)
			if err := os.MkdirAll(filepath.Join(out, "b"), 0o755); err != nil {
				t.Fatal(err)
			}
			symlink(t, out, filepath.Join(work, "a"))
			h.WriteFile(filepath.Join(h.Lib, "config", "ps", app, "procfile-path"), []byte("a/b/Procfile"))
			t.Cleanup(func() { assertEmpty(t, filepath.Join(out, "b")) })
		}},
		{name: "procfile-path with .. out of the tree", warn: "points outside the source tree", setup: func(t *testing.T, app, work string) {
			out := outsideDir(t, h, app)
			h.WriteFile(filepath.Join(h.Lib, "config", "ps", app, "procfile-path"), []byte("sub/../../"+filepath.Base(out)+"/Procfile"))
			t.Cleanup(func() { assertEmpty(t, out) })
		}},
		{name: "ENV is a FIFO", warn: "ENV is not a regular file", setup: func(t *testing.T, app, work string) {
			env := filepath.Join(h.Lib, "config", app, "ENV")
			if err := os.MkdirAll(filepath.Dir(env), 0o755); err != nil {
				t.Fatal(err)
			}
			os.Remove(env)
			mkfifo(t, env)
			t.Cleanup(func() { os.Remove(env) })
		}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := "bad" + strings.Repeat("x", i%3) + "-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
			h.CreateApp(app)
			work := workTree(t, h, app, smallDjango(c.files))
			if c.setup != nil {
				c.setup(t, app, work)
			}
			pf := filepath.Join(work, "Procfile")
			before := readRegular(pf)
			treeBefore := harness.Snapshot(t, work)
			r := postExtract(h, app, work)
			assertNoPanic(t, r.Stdout+r.Stderr)
			after := readRegular(pf)
			if c.understood != nil {
				if r.Code != 0 {
					t.Fatalf("deploy failed:\n%s", r)
				}
				c.understood(t, string(before), string(after))
				return
			}
			if c.fail != (r.Code != 0) {
				t.Fatalf("exit %d, want failure=%v:\n%s", r.Code, c.fail, r)
			}
			warned := false
			for _, l := range strings.Split(r.Stderr, "\n") {
				if strings.HasPrefix(l, " !     prodserver:") && strings.Contains(l, c.warn) {
					warned = true
				}
				for _, ch := range l {
					if ch < 0x20 || ch == 0x7f {
						t.Errorf("stderr line holds control character %U: %q", ch, l)
					}
				}
			}
			if !warned {
				t.Errorf("no ' !     prodserver:' line with %q:\n%s", c.warn, r)
			}
			if !bytes.Equal(before, after) {
				t.Errorf("Procfile changed:\n%q\n->\n%q", before, after)
			}
			if diff := harness.Diff(treeBefore, harness.Snapshot(t, work)); len(diff) > 0 {
				t.Errorf("source tree changed: %v", diff)
			}
		})
	}
	if len(cases) < 30 {
		t.Errorf("only %d cases", len(cases))
	}
}
