package tests

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// deployCase is one row of the issue-15 bad-input matrix for the deploy
// trigger: a tree (smallDjango plus files) and state, and the warning it
// must print; the Procfile must stay byte for byte and the trigger exit 0.
type deployCase struct {
	name  string
	files map[string]string
	setup func(t *testing.T, h *harness.Host, app, work string)
	warn  string
	// quiet: nothing to warn about (a value at its bound is read); the
	// Procfile must still be untouched and the exit 0.
	quiet bool
	// changes: the input is understood with a warning, so the Procfile may
	// be rewritten (it must still be one procfile-util accepts).
	changes bool
}

// special makes p a FIFO, a character device or a socket.
func special(t *testing.T, kind, p string) {
	t.Helper()
	os.Remove(p)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	switch kind {
	case "FIFO":
		mkfifo(t, p)
	case "device":
		// /dev/zero's numbers: a read without end.
		if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, int((1<<8)|5)); err != nil {
			t.Skipf("cannot make a device node here: %v", err)
		}
	case "socket":
		l, err := net.ListenUnix("unix", &net.UnixAddr{Name: p, Net: "unix"})
		if err != nil {
			t.Skipf("cannot make a socket here: %v", err)
		}
		l.SetUnlinkOnClose(false)
		l.Close()
	default:
		t.Fatalf("unknown kind %s", kind)
	}
	t.Cleanup(func() { os.Remove(p) })
}

// sized is content of exactly n bytes: head, then comment-like padding.
func sized(head string, n int, pad byte) string {
	if len(head) > n {
		panic("head too long")
	}
	return head + strings.Repeat(string(pad), n-len(head))
}

// matrixCases builds the rows: special files in every place a deploy
// reads, files at and past every bound, and every source that may name a
// backend with a backend of each wrong kind.
func matrixCases() []deployCase {
	var cases []deployCase
	// 1. FIFOs, devices and sockets wherever a file is read.
	tree := []struct{ rel, warn string }{
		{"Procfile", "Procfile is not a regular file"},
		{"app.json", "app.json is not a regular file"},
		{"proj/settings.py", "proj/settings.py"},
		{"manage.py", ""},
		{"requirements.txt", "requirements.txt"},
		{"pyproject.toml", "pyproject.toml"},
		{"proj/wsgi.py", ""},
		{".env", ""},
	}
	state := []struct{ rel, warn string }{ // under DOKKU_LIB_ROOT, <app> replaced
		{"config/<app>/ENV", "ENV is not a regular file"},
		{"config/prodserver/<app>/workers", "is not a regular file"},
		{"config/ps/<app>/procfile-path", "is not a regular file"},
		{"config/resource/<app>/web.limit.cpu", ""},
		{"config/nginx/<app>/proxy-keepalive", ""},
		{"config/builder/<app>/selected", ""},
		{"config/ps/<app>/stop-timeout-seconds", "is not a regular file"},
	}
	for _, kind := range []string{"FIFO", "device", "socket"} {
		for _, f := range tree {
			rel, kind := f.rel, kind
			cases = append(cases, deployCase{name: f.rel + " is a " + kind, warn: f.warn,
				setup: func(t *testing.T, h *harness.Host, app, work string) { special(t, kind, filepath.Join(work, rel)) }})
		}
		for _, f := range state {
			rel, kind := f.rel, kind
			cases = append(cases, deployCase{name: strings.ReplaceAll(f.rel, "<app>", "APP") + " is a " + kind, warn: f.warn,
				setup: func(t *testing.T, h *harness.Host, app, work string) {
					special(t, kind, filepath.Join(h.Lib, strings.ReplaceAll(rel, "<app>", app)))
				}})
		}
	}
	// 2. At and past every bound (docs: README "Limits").
	noWeb := "release: python manage.py migrate --noinput\n"
	full := smallDjangoWeb + "\n" + noWeb
	bounds := []struct {
		name  string
		rel   string // in the tree, or "lib:" + a state path
		head  string
		limit int
		pad   byte
		warn  string
	}{
		{"Procfile", "Procfile", full + "#", 4 << 20, '\n', "Procfile is larger than the 4 MiB prodserver reads"},
		{"app.json", "app.json", `{"x": "`, 4 << 20, ' ', "app.json is larger than the 4 MiB prodserver reads"},
		{"settings.py", "proj/settings.py", "SECRET_KEY = 'x'\nWSGI_APPLICATION = 'proj.wsgi.application'\n#", 1 << 20, ' ', "proj/settings.py"},
		{"requirements.txt", "requirements.txt", "Django==5.0\ngunicorn==22.0\n#", 1 << 20, ' ', "requirements.txt"},
		{"ENV", "lib:config/<app>/ENV", "export A='b'\n#", 16 << 20, ' ', "ENV is larger than the 16 MiB prodserver reads"},
		{"procfile-path property", "lib:config/ps/<app>/procfile-path", "Procfile\n", 1 << 20, '\n', "larger than the 1 MiB prodserver reads"},
		{"prodserver property", "lib:config/prodserver/<app>/python", "python3\n", 1 << 20, '\n', "larger than the 1 MiB prodserver reads"},
		{"stop-timeout property", "lib:config/ps/<app>/stop-timeout-seconds", "30\n", 1 << 20, '\n', "larger than the 1 MiB prodserver reads"},
	}
	for _, b := range bounds {
		for _, past := range []bool{false, true} {
			b, past := b, past
			n := b.limit
			name := b.name + " at its bound"
			if past {
				n, name = b.limit+1, b.name+" one byte past its bound"
			}
			c := deployCase{name: name, quiet: !past, warn: b.warn}
			content := sized(b.head, n, b.pad)
			if b.name == "Procfile" {
				// Comment lines of 1 KiB, so the bound, not the line
				// count or length, is what is tested.
				line := "#" + strings.Repeat(" ", 1022) + "\n"
				body := full + strings.Repeat(line, (n-len(full))/len(line))
				content = body + sized("#", n-len(body), ' ')
			}
			if b.rel == "app.json" {
				content = sized(b.head, n-2, 'a') + `"}`
			}
			if strings.HasPrefix(b.rel, "lib:") {
				rel := strings.TrimPrefix(b.rel, "lib:")
				c.setup = func(t *testing.T, h *harness.Host, app, work string) {
					p := filepath.Join(h.Lib, strings.ReplaceAll(rel, "<app>", app))
					h.WriteFile(p, []byte(content))
					t.Cleanup(func() { os.Remove(p) })
				}
			} else {
				c.files = map[string]string{b.rel: content}
			}
			cases = append(cases, c)
		}
	}
	// 3. Every source that may name a backend, with one of each wrong kind.
	wrong := []struct{ proc, backend, warn string }{
		{"web", "celery-worker", "the web process must run a web server; celery-worker is a worker backend"},
		{"web", "rq-worker", "the web process must run a web server"},
		{"web", "huey", "the web process must run a web server"},
		{"web", "celery-beat", "celery-beat is a scheduler backend"},
		{"web", "migrate", "the web process must run a web server"},
		{"release", "gunicorn", "the release process must run a release backend"},
		{"release", "uvicorn", "the release process must run a release backend"},
		{"release", "celery-worker", "the release process must run a release backend"},
		{"release", "celery-beat", "the release process must run a release backend"},
		{"worker", "migrate", "only the release process may run it"},
	}
	for _, w := range wrong {
		w := w
		cases = append(cases,
			deployCase{name: "app.json " + w.proc + " runs " + w.backend, warn: w.warn,
				files: map[string]string{"app.json": `{"prodserver": {"processes": {"` + w.proc + `": "` + w.backend + `"}}}`}},
			deployCase{name: "operator " + w.proc + " runs " + w.backend, warn: w.warn,
				setup: func(t *testing.T, h *harness.Host, app, work string) {
					h.WriteFile(filepath.Join(h.Lib, "config", "prodserver", app, "backend."+w.proc), []byte(w.backend+"\n"))
				}},
		)
		if w.proc == "release" {
			cases = append(cases, deployCase{name: "app.json release value " + w.backend, warn: w.warn,
				files: map[string]string{"app.json": `{"prodserver": {"release": "` + w.backend + `"}}`}})
		}
	}
	for _, s := range []struct{ proc, class, warn string }{
		{"web", "django_prodserver.backends.celery.CeleryWorker", "the web process must run a web server"},
		{"web", "django_prodserver.backends.celery.CeleryBeat", "the web process must run a web server"},
		{"release", "django_prodserver.backends.gunicorn.GunicornServer", "the release process must run a release backend"},
		{"release", "django_prodserver.backends.celery.CeleryWorker", "the release process must run a release backend"},
	} {
		cases = append(cases, deployCase{name: "settings.py " + s.proc + " runs " + s.class, warn: s.warn,
			files: map[string]string{"proj/settings.py": "SECRET_KEY = 'x'\nWSGI_APPLICATION = 'proj.wsgi.application'\nPRODUCTION_PROCESSES = {'" + s.proc + "': {'BACKEND': '" + s.class + "', 'APP': 'proj'}}\n"}})
	}
	// 4. Settings changed after the literal, and duplicate app.json keys.
	lit := "SECRET_KEY = 'x'\nWSGI_APPLICATION = 'proj.wsgi.application'\nPRODUCTION_PROCESSES = {'web': {'BACKEND': 'django_prodserver.backends.gunicorn.GunicornServer'}}\n"
	for _, m := range []struct{ name, line, form string }{
		{"item assigned", "PRODUCTION_PROCESSES['worker'] = BACKENDS\n", "PRODUCTION_PROCESSES[...] = …"},
		{"deleted", "del PRODUCTION_PROCESSES[X]\n", "del PRODUCTION_PROCESSES[...]"},
		{"updated", "PRODUCTION_PROCESSES.update(EXTRA)\n", "PRODUCTION_PROCESSES.update(…)"},
		{"in a block", "if DEBUG:\n    PRODUCTION_PROCESSES = {}\n", "PRODUCTION_PROCESSES = … in a block"},
	} {
		cases = append(cases, deployCase{name: "settings " + m.name + " after the literal", changes: true, warn: "changes PRODUCTION_PROCESSES after its literal (" + m.form,
			files: map[string]string{"proj/settings.py": lit + m.line}})
	}
	cases = append(cases,
		deployCase{name: "Procfile of 4 million empty lines", warn: "lines; prodserver reads at most 200000",
			files: map[string]string{"Procfile": full + strings.Repeat("\n", 4<<20-len(full))}},
		deployCase{name: "app.json prodserver twice", warn: `app.json has 2 "prodserver" keys; using the last`,
			files: map[string]string{"app.json": `{"prodserver": {"processes": {"web": "celery-worker"}}, "prodserver": {"release": "migrate"}}`}},
		deployCase{name: "app.json release twice", warn: "prodserver.release is given 2 times",
			files: map[string]string{"app.json": `{"prodserver": {"release": "none", "release": "migrate"}}`}},
	)
	// 5. Bytes a terminal acts on, in what the deploy echoes.
	for _, b := range []struct{ name, json, warn string }{
		{"escape sequence", "\\u001b[2J", `\x1b[2J`},
		{"bidi override", "\\u202e", `\u202e`},
		{"C1 control", "\\u009b", `\u009b`},
		{"DEL", "\\u007f", `\x7f`},
	} {
		cases = append(cases, deployCase{name: "app.json key with " + b.name, warn: b.warn,
			files: map[string]string{"app.json": `{"prodserver": {"x` + b.json + `": 1}}`}})
	}
	cases = append(cases, deployCase{name: "app.json with invalid UTF-8", warn: "app.json",
		files: map[string]string{"app.json": "{\"prodserver\": {\"x\xff\xfe\": 1}}"}})
	return cases
}

// TestBadInputMatrix runs every row through the built core-post-extract.
func TestBadInputMatrix(t *testing.T) {
	h := harness.New(t)
	cases := matrixCases()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := "mx-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
			h.CreateApp(app)
			work := workTree(t, h, app, smallDjango(c.files))
			if c.setup != nil {
				c.setup(t, h, app, work)
			}
			pf := filepath.Join(work, "Procfile")
			before := readRegular(pf)
			r := postExtract(h, app, work)
			assertNoPanic(t, r.Stdout+r.Stderr)
			if r.Code != 0 {
				t.Fatalf("exit %d:\n%s", r.Code, r)
			}
			warned := false
			for _, l := range strings.Split(strings.TrimSuffix(r.Stderr, "\n"), "\n") {
				if strings.HasPrefix(l, " !     prodserver:") && strings.Contains(l, c.warn) {
					warned = true
				}
				for _, ch := range l {
					if ch < 0x20 || ch == 0x7f || ch >= 0x80 && ch <= 0x9f || ch == '\u202e' || ch == '\ufffd' {
						t.Errorf("stderr line holds %U: %q", ch, l)
					}
				}
			}
			if c.quiet && strings.Contains(r.Stderr, " !     ") {
				t.Errorf("want no warning at the bound:\n%s", r)
			}
			if !c.quiet && !warned {
				t.Errorf("no ' !     prodserver:' line with %q:\n%s", c.warn, r)
			}
			if after := readRegular(pf); !c.changes && !bytes.Equal(before, after) {
				t.Errorf("Procfile changed:\n%.300q\n->\n%.300q", before, after)
			}
		})
	}
}

// TestBadInputMatrixSize: the issue asks for at least 200 bad-input
// cases across the command and deploy matrices; this counts the rows.
func TestBadInputMatrixSize(t *testing.T) {
	if n := len(matrixCases()); n < 100 {
		t.Errorf("matrix has %d rows", n)
	}
}
