//go:build linux

package backend

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// liveApp is a tiny project laid out under dir/<projectDir>: WSGI and ASGI
// callables that answer "wsgi-ok"/"asgi-ok", and a Celery app on the
// in-memory broker. Django itself is not needed to test how each program
// finds the project: they all import "proj.wsgi"/"proj.asgi" the same way.
func liveApp(t *testing.T, projectDir string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"proj/__init__.py": "",
		"proj/wsgi.py": `def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"wsgi-ok"]
`,
		"proj/asgi.py": `async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"asgi-ok"})
`,
		"proj/celery.py": `from celery import Celery
app = Celery("proj", broker="memory://")
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, projectDir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// freePort asks the kernel for a port nobody listens on.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs argv (with $PORT replaced) from dir with Debian's PATH, in its
// own process group so cleanup can end it and every child it forked.
func start(t *testing.T, dir, port string, argv []string) (*exec.Cmd, *syncBuffer, <-chan error) {
	t.Helper()
	words := make([]string, len(argv))
	for i, w := range argv {
		words[i] = strings.ReplaceAll(w, portWord, port)
	}
	cmd := exec.Command(words[0], words[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+debianPath, "PORT="+port, "PYTHONDONTWRITEBYTECODE=1")
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %q: %v", words, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // only this test's process group
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
	})
	return cmd, out, done
}

// signalNamed maps a Backend.StopSignal to the signal to send.
func signalNamed(t *testing.T, name string) syscall.Signal {
	switch name {
	case "SIGTERM":
		return syscall.SIGTERM
	case "SIGINT":
		return syscall.SIGINT
	case "SIGQUIT":
		return syscall.SIGQUIT
	}
	t.Fatalf("unknown stop signal %q", name)
	return 0
}

// stop sends the backend's stop signal and expects the process to exit.
func stop(t *testing.T, b *Backend, cmd *exec.Cmd, out *syncBuffer, done <-chan error) {
	t.Helper()
	if err := cmd.Process.Signal(signalNamed(t, b.StopSignal)); err != nil {
		t.Fatalf("signal: %v", err)
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Errorf("%s did not stop on %s within 20s\n%s", b.Name, b.StopSignal, out.String())
	}
}

// TestLiveProjectDir starts every installable web server exactly as
// rendered, in the root layout and with the project under src/, from the
// source root, and expects an HTTP answer on $PORT from the app. This is the
// evidence for each program's way of reaching the project dir: gunicorn
// --chdir, uvicorn --app-dir, uwsgi --chdir, hypercorn's path-prefixed
// target, and the python -c path shim for waitress and daphne. It then
// stops each with its StopSignal. Celery worker and beat are started too
// (in-memory broker) to prove --workdir.
func TestLiveProjectDir(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real servers")
	}
	web := map[string]string{
		"gunicorn":         "/usr/bin/gunicorn",
		"waitress":         "/usr/bin/waitress-serve",
		"uwsgi":            "/usr/lib/uwsgi/plugins/python3_plugin.so",
		"uvicorn":          "/usr/bin/uvicorn",
		"gunicorn-uvicorn": "/usr/lib/python3/dist-packages/uvicorn/workers.py",
		"hypercorn":        "/usr/bin/hypercorn",
		"daphne":           "/usr/bin/daphne",
	}
	celery := map[string]string{
		"celery-worker": "ready.",
		"celery-beat":   "beat: Starting",
	}
	if !installed(debianPython) {
		t.Skip("Debian's /usr/bin/python3 is not installed")
	}
	for _, layout := range []struct{ name, dir string }{{"root", ""}, {"sub", "src"}} {
		for _, b := range All() {
			need, isWeb := web[b.Name]
			ready, isCelery := celery[b.Name]
			if !isWeb && !isCelery {
				continue
			}
			t.Run(b.Name+"/"+layout.name, func(t *testing.T) {
				t.Parallel()
				if isCelery {
					need = "/usr/bin/celery"
				}
				if !installed(need) {
					t.Skipf("%s is not installed", need)
				}
				dir := liveApp(t, layout.dir)
				c := Context{Proc: "web", ProjectDir: layout.dir, Python: debianPython, Workers: 2,
					WSGI: "proj.wsgi:application", ASGI: "proj.asgi:application", CeleryApp: "proj"}
				if b.Name == "uwsgi" {
					c.Options = opts("plugin", "python3") // Debian's uWSGI is modular
				}
				argv, err := b.Render(c)
				if err != nil {
					t.Fatal(err)
				}
				port := freePort(t)
				cmd, out, done := start(t, dir, port, argv)
				t.Logf("started %q", argv)
				if isCelery {
					waitOutput(t, b, ready, out, done)
				} else {
					want := map[Kind]string{KindWSGI: "wsgi-ok", KindASGI: "asgi-ok"}[b.Kind]
					waitHTTP(t, b, port, want, out, done)
				}
				stop(t, b, cmd, out, done)
			})
		}
	}
}

// waitHTTP polls http://127.0.0.1:port/ until it answers want.
func waitHTTP(t *testing.T, b *Backend, port, want string, out *syncBuffer, done <-chan error) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("%s exited early (%v)\n%s", b.Name, err, out.String())
		default:
		}
		resp, err := client.Get("http://127.0.0.1:" + port + "/")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) == want {
				return
			}
			last = fmt.Sprintf("%d %q", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never answered %q on port %s (last: %s)\n%s", b.Name, want, port, last, out.String())
}

// waitOutput waits until the process prints ready.
func waitOutput(t *testing.T, b *Backend, ready string, out *syncBuffer, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("%s exited early (%v)\n%s", b.Name, err, out.String())
		default:
		}
		if strings.Contains(out.String(), ready) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never printed %q\n%s", b.Name, ready, out.String())
}
