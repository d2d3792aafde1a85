package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// containerPath is what a Python container has first on PATH; on these
// machines Debian's Python and servers live there.
const containerPath = "/usr/bin:/bin:/usr/sbin:/usr/local/bin"

func freePort(t *harness.Standalone) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func lookPath(name string) string {
	for _, dir := range strings.Split(containerPath, ":") {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return name
}

// server is a started web process.
type server struct {
	cmd  *exec.Cmd
	port int
	log  *strings.Builder
}

// start runs a Procfile command as Dokku runs a Dockerfile app's: PORT set,
// the line expanded and split by procfile-util's rules, no shell.
func start(t *harness.Standalone, dir, line string, env []string) *server {
	port := freePort(t)
	argv, err := procfile.Split(line, map[string]string{"PORT": strconv.Itoa(port)})
	if err != nil {
		t.Fatalf("split %q: %v", line, err)
	}
	cmd := exec.Command(lookPath(argv[0]), argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + containerPath, "PORT=" + strconv.Itoa(port), "HOME=" + dir}, env...)
	log := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %q: %v", line, err)
	}
	s := &server{cmd, port, log}
	t.Cleanup(s.stop)
	return s
}

func (s *server) stop() {
	harness.StopGroup(s.cmd, syscall.SIGTERM, 10*time.Second)
}

func (s *server) waitReady(t *harness.Standalone, path string) {
	url := fmt.Sprintf("http://127.0.0.1:%d%s", s.port, path)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never answered 200:\n%s", url, s.log.String())
}

// rendered deploys the app through the harness and returns its web line.
func rendered(t *harness.Standalone, h *harness.Host, app, src string) string {
	d := h.Deploy(app, src)
	if d.Failed {
		o, e := d.Output()
		t.Fatalf("deploy failed:\n%s\n%s", o, e)
	}
	f, err := procfile.Parse([]byte(d.Procfile))
	must(t, err)
	line, ok := f.Get("web")
	if !ok {
		t.Fatalf("no web line in\n%s", d.Procfile)
	}
	return line
}

func dokku(t *harness.Standalone, h *harness.Host, cmd string, args ...string) {
	if r := h.Dokku(cmd, args...); r.Code != 0 {
		t.Fatalf("%s %v: %s", cmd, args, r)
	}
}
