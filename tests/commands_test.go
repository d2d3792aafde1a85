package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

func TestBackendsCatalogue(t *testing.T) {
	h := harness.New(t)
	r := h.Dokku("prodserver:backends", "--format", "json")
	var list []struct {
		Name      string   `json:"name"`
		Kind      string   `json:"kind"`
		Summary   string   `json:"summary"`
		Packages  []string `json:"packages"`
		Singleton bool     `json:"singleton"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &list); err != nil {
		t.Fatalf("json: %v\n%s", err, r)
	}
	byName := map[string]string{}
	for _, b := range list {
		if b.Summary == "" || len(b.Packages) == 0 {
			t.Errorf("%s: no summary or packages", b.Name)
		}
		byName[b.Name] = b.Kind
		if b.Singleton != (b.Name == "celery-beat") {
			t.Errorf("%s: singleton=%v", b.Name, b.Singleton)
		}
	}
	for name, kind := range map[string]string{
		"gunicorn": "wsgi", "waitress": "wsgi", "uwsgi": "wsgi", "granian-wsgi": "wsgi", "uvicorn-wsgi": "wsgi",
		"uvicorn": "asgi", "gunicorn-uvicorn": "asgi", "hypercorn": "asgi", "daphne": "asgi", "granian-asgi": "asgi",
		"celery-worker": "worker", "celery-beat": "scheduler", "celery-flower": "worker", "rq-worker": "worker",
		"django-q": "worker", "django-tasks": "worker", "dramatiq": "worker", "huey": "worker",
		"migrate": "release", "django-prodserver": "passthrough",
	} {
		if byName[name] != kind {
			t.Errorf("%s: kind %q, want %q", name, byName[name], kind)
		}
	}
	r = h.Dokku("prodserver:backends")
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, "=====> prodserver backends\n") || !strings.Contains(r.Stdout, "celery-beat") {
		t.Errorf("stdout: %s", r)
	}
	if r := h.Dokku("prodserver:backends", "--format", "xml"); r.Code == 0 {
		t.Errorf("bad format accepted: %s", r)
	}
}

func TestBackendCommand(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	oneLine := func(r harness.Result, want string) {
		t.Helper()
		lines := strings.Split(strings.TrimRight(r.Stderr, "\n"), "\n")
		if r.Code == 0 || len(lines) != 1 || !strings.Contains(lines[0], want) {
			t.Errorf("want one error line with %q: %s", want, r)
		}
	}
	oneLine(h.Dokku("prodserver:backend", "shop", "web", "gunicron"), `did you mean "gunicorn"`)
	oneLine(h.Dokku("prodserver:backend", "shop", "web", "celery-worker"), "must run a web server")
	oneLine(h.Dokku("prodserver:backend", "shop", "Web", "gunicorn"), "Invalid process type")
	oneLine(h.Dokku("prodserver:backend", "shop", strings.Repeat("w", 64), "gunicorn"), "Invalid process type")
	oneLine(h.Dokku("prodserver:backend", "shop"), "Please specify a process type")
	oneLine(h.Dokku("prodserver:backend", "shop", "web", "gunicorn", "extra"), "Too many arguments")
	oneLine(h.Dokku("prodserver:backend", "shop", "web"), "No backend is chosen or deployed")
	if _, ok := h.Property("shop", "backend.web"); ok {
		t.Fatal("a failed command wrote a property")
	}

	// Not deployed: stored, no rebuild.
	r := h.Dokku("prodserver:backend", "shop", "web", "uvicorn")
	if r.Code != 0 || !strings.Contains(r.Stdout, "not deployed yet") {
		t.Fatalf("set: %s", r)
	}
	if v, _ := h.Property("shop", "backend.web"); v != "uvicorn\n" {
		t.Errorf("property %q", v)
	}
	if r := h.Dokku("prodserver:backend", "shop", "web"); r.Stdout != "uvicorn\n       Chosen with prodserver:backend; no managed deploy runs it yet: the next deploy applies it\n" {
		t.Errorf("show: %s", r)
	}
	for _, c := range h.Calls() {
		if strings.Contains(c, "receive-app") {
			t.Errorf("rebuilt an undeployed app: %s", c)
		}
	}
	// Aliases resolve to the catalogue name; flags after the words work.
	if r := h.Dokku("prodserver:backend", "shop", "worker", "celery", "--skip-deploy"); r.Code != 0 {
		t.Fatal(r)
	}
	if v, _ := h.Property("shop", "backend.worker"); v != "celery-worker\n" {
		t.Errorf("alias stored as %q", v)
	}
	if r := h.Dokku("prodserver:report", "shop", "--prodserver-backends"); r.Stdout != "web=uvicorn worker=celery-worker\n" {
		t.Errorf("report backends: %s", r)
	}
	if r := h.Dokku("prodserver:backend", "shop", "web", "--clear"); r.Code != 0 {
		t.Fatal(r)
	}
	if _, ok := h.Property("shop", "backend.web"); ok {
		t.Error("--clear left the property")
	}
}

func TestArgsCommand(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	words := []string{"--max-requests=1000", "--graceful-timeout", "30", "--log-level=debug", "--name=it's;$(x)`y`"}
	r := h.Dokku("prodserver:args", append([]string{"shop", "web", "--skip-deploy", "--"}, words...)...)
	if r.Code != 0 {
		t.Fatal(r)
	}
	if r := h.Dokku("prodserver:args", "shop", "web"); r.Stdout != strings.Join(words, "\n")+"\n" {
		t.Errorf("shown back:\n%q", r.Stdout)
	}
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	// Split as Dokku does (procfile-util + xargs): exactly the words, in order.
	f, _ := procfile.Parse([]byte(d.Procfile))
	line, _ := f.Get("web")
	argv, err := procfile.Split(line, map[string]string{"PORT": "5000"})
	if err != nil || !strings.Contains("\x00"+strings.Join(argv, "\x00")+"\x00", "\x00"+strings.Join(words, "\x00")+"\x00") {
		t.Errorf("args not carried through exactly:\n%s\n%q (%v)", line, argv, err)
	}
	for _, bad := range [][]string{
		{"shop", "web", "--", "a b"},           // a space: herokuish would split it
		{"shop", "web", "--", "x\ny"},          // a newline
		{"shop", "web", "--", "*"},             // a glob
		{"shop", "web", "--clear", "--", "-x"}, // --clear with words
		{"shop", "web", "stray"},               // words before --
		{"shop", "web", "--"},                  // nothing after --
	} {
		r := h.Dokku("prodserver:args", bad...)
		if r.Code == 0 || strings.Count(strings.TrimRight(r.Stderr, "\n"), "\n") != 0 {
			t.Errorf("%q: want one error line: %s", bad, r)
		}
	}
	if r := h.Dokku("prodserver:args", "shop", "web", "--clear", "--skip-deploy"); r.Code != 0 {
		t.Fatal(r)
	}
	if _, ok := h.Property("shop", "args.web"); ok {
		t.Error("--clear left the property")
	}
}

// TestArgsReplaceRenderedFlag: `prodserver:args web -- --graceful-timeout=60`
// puts the operator's flag on the line once, in place of the rendered
// --graceful-timeout=25, as an option of that name does; flags the line
// does not render are added.
func TestArgsReplaceRenderedFlag(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	if r := h.Dokku("prodserver:args", "shop", "web", "--skip-deploy", "--", "--graceful-timeout=60", "--max-requests", "500", "--log-level=debug"); r.Code != 0 {
		t.Fatal(r)
	}
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	f, _ := procfile.Parse([]byte(d.Procfile))
	line, _ := f.Get("web")
	argv, err := procfile.Split(line, map[string]string{"PORT": "5000"})
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	for _, c := range []struct{ key, want string }{
		{"graceful-timeout", "--graceful-timeout=60"},
		{"max-requests", "--max-requests 500"},
		{"log-level", "--log-level=debug"},
		{"max-requests-jitter", "--max-requests-jitter=100"},
	} {
		var got []string
		for i, w := range argv {
			k, _, joined := strings.Cut(strings.TrimPrefix(w, "--"), "=")
			if strings.HasPrefix(w, "--") && k == c.key {
				if !joined && i+1 < len(argv) {
					w += " " + argv[i+1]
				}
				got = append(got, w)
			}
		}
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("--%s on the line: %q, want only %q\n%s", c.key, got, c.want, line)
		}
	}
}

// TestBackendSwapForeignArgs: swapping a backend keeps prodserver:args, so
// args written for the old server that the new one does not take
// (gunicorn's --timeout, given to uvicorn) are refused with one line naming
// the fix, before anything is stored; --force swaps anyway with a warning.
// Flags neither backend knows, and args the new backend takes, pass.
func TestBackendSwapForeignArgs(t *testing.T) {
	cases := []struct {
		name    string
		stored  string // the backend the args were written for ("" = detected by a deploy)
		args    []string
		to      string
		force   bool
		refused bool
	}{
		{"gunicorn timeout to uvicorn", "gunicorn", []string{"--timeout", "60"}, "uvicorn", false, true},
		{"gunicorn timeout= to uvicorn", "gunicorn", []string{"--timeout=60"}, "uvicorn", false, true},
		{"detected gunicorn to uvicorn", "", []string{"--max-requests", "100"}, "uvicorn", false, true},
		{"forced", "gunicorn", []string{"--timeout", "60"}, "uvicorn", true, false},
		{"shared option", "gunicorn", []string{"--timeout", "60"}, "gunicorn-uvicorn", false, false},
		{"unknown to both", "gunicorn", []string{"--my-own-flag"}, "uvicorn", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			if c.stored != "" {
				if r := h.Dokku("prodserver:backend", "shop", "web", c.stored, "--skip-deploy"); r.Code != 0 {
					t.Fatal(r)
				}
			} else {
				deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			}
			if r := h.Dokku("prodserver:args", append([]string{"shop", "web", "--skip-deploy", "--"}, c.args...)...); r.Code != 0 {
				t.Fatal(r)
			}
			before, _ := h.Property("shop", "backend.web")
			words := []string{"shop", "web", c.to, "--skip-deploy"}
			if c.force {
				words = append(words, "--force")
			}
			r := h.Dokku("prodserver:backend", words...)
			after, _ := h.Property("shop", "backend.web")
			if c.refused {
				lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
				if r.Code == 0 || len(lines) != 1 || !strings.Contains(r.Stderr, "prodserver:args shop web --clear") || !strings.Contains(r.Stderr, "--force") {
					t.Errorf("want a refusal in one line naming the fix: %s", r)
				}
				if after != before {
					t.Errorf("a refused swap stored %q", after)
				}
				return
			}
			if r.Code != 0 || after != c.to+"\n" {
				t.Fatalf("swap: %s (stored %q)", r, after)
			}
			if c.force && !strings.Contains(r.Stderr, "does not take --timeout") {
				t.Errorf("--force swapped without a warning: %s", r)
			}
		})
	}
}
