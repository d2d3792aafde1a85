package tests

import (
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

// TestServersGunicornASGI starts gunicorn-asgi's rendered web line, as
// TestServersWeb does for the Debian-packaged servers, when the gunicorn on
// the system path has the native asgi worker (>= 25.1). Debian bookworm's
// gunicorn is 20.1, so here the test skips saying so, and the line is held
// by its golden (src/backend/gunicorn_asgi.go Examples) and its flag check.
func TestServersGunicornASGI(t *testing.T) {
	prog := realserver.Require(t, "gunicorn", "gunicorn")
	out, err := exec.Command(prog, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s --version: %v\n%s", prog, err, out)
	}
	m := regexp.MustCompile(`version (\d+)\.(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("%s --version printed %q, no version", prog, out)
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major < 25 || major == 25 && minor < 1 {
		t.Skipf("%s is gunicorn %s.%s; the native asgi worker needs gunicorn >= 25.1 (Debian's is older), so gunicorn-asgi is golden-tested only", prog, m[1], m[2])
	}
	redisURL := realserver.StartRedis(t)
	for _, l := range serversLayouts {
		t.Run(l.name, func(t *testing.T) {
			a := newServersApp(t, redisURL, l.sub)
			p := serversProcess(t, a.plan(t, "web", "gunicorn-asgi", nil), "web", "gunicorn-asgi")
			t.Logf("LINE web: %s", p.Command)
			port := strconv.Itoa(realserver.FreePort(t))
			proc := realserver.Start(t, serversArgv(t, p.Command, port), a.root, append([]string{"PORT=" + port}, a.env...))
			base := "http://127.0.0.1:" + port
			for path, want := range map[string]string{"/": "ok", "/async/": "ok async"} {
				if status, body := proc.WaitHTTP(t, base+path, serversStart); status != 200 || body != want {
					t.Fatalf("GET %s = %d %q, want 200 %q; output:\n%s", path, status, body, want, serversTail(proc.Output()))
				}
			}
			serversStopProc(t, proc, p)
		})
	}
}
