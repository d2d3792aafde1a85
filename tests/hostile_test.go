package tests

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// dockerArgs runs prodserver's docker-args-process-deploy for app and proc
// with stdin as the args other plugins printed before it (plugn pipes each
// plugin's output into the next).
func dockerArgs(h *harness.Host, app, proc string, stdin []byte) harness.Result {
	cmd := h.Command(h.Root, false, filepath.Join(h.Plugin, "docker-args-process-deploy"), app, "herokuish", "latest", proc, "1")
	cmd.Stdin = bytes.NewReader(stdin)
	return run(cmd)
}

// TestDockerArgsPassedWhole: other plugins' docker args reach Docker whole,
// however long (they were cut at 1 MiB, silently, for every app, issue
// 15), and prodserver's own flag comes after them.
func TestDockerArgsPassedWhole(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	h.CreateApp("other") // no prodserver record: the pass-through path
	for _, size := range []int{0, 1 << 10, 1<<20 - 1, 1 << 20, 1<<20 + 1, 3 << 20} {
		in := []byte(strings.Repeat("-e A=b ", size/7+1)[:size])
		for _, c := range []struct{ app, proc string }{{"shop", "web"}, {"shop", "huey"}, {"other", "web"}} {
			proc := c.proc
			r := dockerArgs(h, c.app, proc, in)
			if r.Code != 0 {
				t.Fatalf("%d bytes, %s: %s", size, proc, r)
			}
			want := string(in)
			if c.app == "shop" && proc == "huey" {
				want += " --stop-signal=SIGINT"
			}
			if r.Stdout != want {
				t.Errorf("%d bytes in, %s: %d bytes out, want %d (tail %q)", size, proc, len(r.Stdout), len(want), tail(r.Stdout))
			}
		}
	}
}

func tail(s string) string {
	if len(s) > 40 {
		return s[len(s)-40:]
	}
	return s
}

// TestStaleRecordForgotten: a deploy prodserver cannot read (a warning,
// the Procfile untouched) must not leave the previous deploy's plan in
// place, or the next container still gets its --stop-signal (issue 15).
func TestStaleRecordForgotten(t *testing.T) {
	breakers := []struct {
		name  string
		files map[string]string
		warn  string
	}{
		{"app.json broken", map[string]string{"app.json": `{"prodserver": {`}, "app.json is not valid JSON"},
		{"Procfile past 4 MiB", map[string]string{"Procfile": strings.Repeat("# padding\n", (4<<20)/10+1)}, "Procfile is larger than"},
		{"app.json past 4 MiB", map[string]string{"app.json": `{"x": "` + strings.Repeat("a", 4<<20) + `"}`}, "app.json is larger than"},
	}
	h := harness.New(t)
	for i, b := range breakers {
		t.Run(b.name, func(t *testing.T) {
			app := "stale-" + string(rune('a'+i))
			h.CreateApp(app)
			limits(h, app)
			deployOK(t, h, app, tree(t, djangoTree(nil)))
			if r := dockerArgs(h, app, "huey", nil); !strings.Contains(r.Stdout, "--stop-signal=SIGINT") {
				t.Fatalf("first deploy: huey docker args %q", r.Stdout)
			}
			work := workTree(t, h, app, djangoTree(b.files))
			r := postExtract(h, app, work)
			if r.Code != 0 || !strings.Contains(r.Stderr, b.warn) {
				t.Fatalf("want a warning with %q and exit 0:\n%s", b.warn, r)
			}
			if r := dockerArgs(h, app, "huey", nil); r.Code != 0 || r.Stdout != "" {
				t.Errorf("after a deploy prodserver could not read, huey docker args %q (the previous deploy's plan)", r.Stdout)
			}
		})
	}
}

// TestOutputEscaped: a kept Procfile line with bytes a terminal acts on
// (invalid UTF-8, a bidi override) is printed escaped by procfile and
// processes (issue 15: they were printed raw), and the output is valid
// UTF-8 with no control characters but newlines. The commands read the
// deploy record, which keeps a non-UTF-8 Procfile as bytes, so the escape
// names the original bytes (\xff\xfe), not U+FFFD (issue 15: the record's
// JSON string replaced them, and the line shown was not the app's).
func TestOutputEscaped(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("esc")
	files := smallDjango(map[string]string{"Procfile": smallDjangoWeb + "\nrelease: python manage.py migrate --noinput\nclock: ./clock \xff\xfe \u202eexe\n"})
	d := h.Deploy("esc", tree(t, files))
	if d.Failed {
		o, e := d.Output()
		t.Fatalf("deploy failed:\n%s\n%s", o, e)
	}
	for _, cmd := range []string{"prodserver:procfile", "prodserver:processes"} {
		r := h.Dokku(cmd, "esc")
		if r.Code != 0 {
			t.Fatalf("%s: %s", cmd, r)
		}
		out := r.Stdout + r.Stderr
		if !strings.Contains(out, `./clock \xff\xfe \u202eexe`) {
			t.Errorf("%s does not show the line escaped:\n%s", cmd, out)
		}
		if !utf8.ValidString(out) {
			t.Errorf("%s printed invalid UTF-8: %q", cmd, out)
		}
		for _, c := range out {
			if c != '\n' && (c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || c == '\u202e' || c == '\ufffd') {
				t.Errorf("%s printed %U: %q", cmd, c, out)
				break
			}
		}
	}
}
