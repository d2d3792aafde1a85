package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
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
	if s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
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

var rpsRe = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

// wrk measures requests per second against path for d, after a 1 s warm-up.
func (s *server) wrk(t *harness.Standalone, path string, d time.Duration) float64 {
	url := fmt.Sprintf("http://127.0.0.1:%d%s", s.port, path)
	exec.Command("wrk", "-t2", "-c32", "-d1s", url).Run()
	out, err := exec.Command("wrk", "-t2", "-c32", fmt.Sprintf("-d%ds", int(d.Seconds())), url).CombinedOutput()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	m := rpsRe.FindSubmatch(out)
	if m == nil {
		t.Fatalf("wrk printed no Requests/sec:\n%s", out)
	}
	if strings.Contains(string(out), "Non-2xx") {
		t.Fatalf("wrk saw errors:\n%s\n%s", out, s.log.String())
	}
	rps, _ := strconv.ParseFloat(string(m[1]), 64)
	return rps
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

// servedRow is one measured configuration, for the report's table.
type servedRow struct {
	label, line string
	median      float64
	rounds      []float64
}

// served holds every configuration measured, in order.
var served []servedRow

// point is one sweep configuration: processes and threads per process
// (0 = as prodserver sizes it).
type point struct{ workers, threads int }

func (p point) String() string {
	switch {
	case p.threads == 0:
		return fmt.Sprintf("%d workers", p.workers)
	case p.threads == 1:
		return fmt.Sprintf("%d sync workers", p.workers)
	}
	return fmt.Sprintf("%d×%d threads", p.workers, p.threads)
}

// config is one command line under test and its wrk results.
type config struct {
	label, line, path string
	srv               *server
	rps               []float64
}

// measureAll starts every config (idle servers cost no CPU), then
// runs wrk against each in turn for several rounds, in a rotating order,
// and keeps each config's median: a slow moment of this shared machine then
// lands on every config alike instead of deciding one comparison.
func measureAll(t *harness.Standalone, dir string, env []string, cfgs []*config, rounds int, d time.Duration) {
	// One at a time: a dozen Django processes booting together on two
	// cores outlive gunicorn's 30 s worker timeout and boot forever.
	for _, c := range cfgs {
		c.srv = start(t, dir, c.line, env)
		c.srv.waitReady(t, c.path)
	}
	for r := 0; r < rounds; r++ {
		for i := range cfgs {
			c := cfgs[(i+r)%len(cfgs)]
			c.rps = append(c.rps, c.srv.wrk(t, c.path, d))
		}
	}
	for _, c := range cfgs {
		c.srv.stop()
		fmt.Printf("       %8.0f req/s  %-18s %s\n", c.median(), c.label, c.line)
		served = append(served, servedRow{c.label, c.line, c.median(), c.rps})
	}
}

func (c *config) median() float64 {
	v := append([]float64(nil), c.rps...)
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func throughput(t *harness.Standalone, wrkTime time.Duration, rounds int) {
	const part = "Served throughput"
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Fatal("wrk is not installed (make deps installs it)")
	}
	h := harness.New(t)
	h.CreateApp("tp")
	// The app's working copy: migrated once, served by every run.
	app, err := os.MkdirTemp("", "prodserver-bench-app-")
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(app) })
	copyTree(t, fixture(), filepath.Join(app, "src"))
	src := filepath.Join(app, "src")
	env := []string{"DATABASE_PATH=" + filepath.Join(app, "db.sqlite3"), "SECRET_KEY=bench", "DJANGO_SETTINGS_MODULE=proj.settings"}
	migrate := exec.Command(lookPath("python3"), "manage.py", "migrate", "--noinput")
	migrate.Dir, migrate.Env = src, append([]string{"PATH=" + containerPath}, env...)
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	// sweep renders the backend at each point through a deploy, with the
	// operator's workers and threads settings (0 leaves one unset, so it is
	// sized as the render's is). A sweep point whose line is the render's
	// own is the same command: it is measured once, as the render, and
	// counts in the sweep too.
	set := func(key string, n int) {
		if n == 0 {
			dokku(t, h, "prodserver:set", "tp", key)
			return
		}
		dokku(t, h, "prodserver:set", "tp", key, strconv.Itoa(n))
	}
	sweep := func(def *config, points []point) []*config {
		var cfgs []*config
		for _, pt := range points {
			set("workers", pt.workers)
			set("threads", pt.threads)
			line := rendered(t, h, "tp", src)
			if line == def.line {
				def.label = "prodserver (" + pt.String() + ")"
				continue
			}
			cfgs = append(cfgs, &config{label: pt.String(), line: line, path: def.path})
		}
		set("workers", 0)
		set("threads", 0)
		return cfgs
	}
	best := func(cfgs []*config) *config {
		b := cfgs[0]
		for _, c := range cfgs[1:] {
			if c.median() > b.median() {
				b = c
			}
		}
		return b
	}

	// gunicorn: naive, prodserver's render, and a sweep around it: the
	// process count at the render's threads, the thread count at the
	// render's processes (1 = sync workers), and Heroku's 2×cores+1 sync
	// workers (what prodserver rendered before it used threads).
	dokku(t, h, "prodserver:backend", "tp", "web", "gunicorn", "--skip-deploy")
	naive := &config{label: "naive", line: "gunicorn proj.wsgi", path: "/page/"}
	def := &config{label: "prodserver", line: rendered(t, h, "tp", src), path: "/page/"}
	cores, th := runtime.NumCPU(), tuning.ThreadsPerWorker
	cfgs := append([]*config{naive, def}, sweep(def, []point{
		{2, th}, {cores + 1, th}, {2*cores + 1, th}, {4 * cores, th},
		{cores + 1, 1}, {cores + 1, th / 2}, {cores + 1, 2 * th},
		{2*cores + 1, 1}, {2*cores + 1, th / 2},
	})...)
	measureAll(t, src, env, cfgs, rounds, wrkTime)
	b := best(cfgs[1:]) // the render and the sweep, not the naive line
	record(part, "gunicorn render vs best of sweep (/page/)", fmt.Sprintf("%.2f× (%.0f vs %.0f req/s, best: %s)", def.median()/b.median(), def.median(), b.median(), b.label), "≥ 0.95×", def.median()/b.median() >= 0.95)
	record(part, "gunicorn render vs naive `gunicorn proj.wsgi` (/page/)", fmt.Sprintf("%.2f× (%.0f vs %.0f req/s)", def.median()/naive.median(), def.median(), naive.median()), "≥ 2×", def.median()/naive.median() >= 2)

	// uvicorn on the ASGI view.
	dokku(t, h, "prodserver:backend", "tp", "web", "uvicorn", "--skip-deploy")
	def = &config{label: "prodserver", line: rendered(t, h, "tp", src), path: "/async-page/"}
	cfgs = append([]*config{def}, sweep(def, []point{{1, 0}, {cores, 0}, {2 * cores, 0}})...)
	measureAll(t, src, env, cfgs, rounds, wrkTime)
	b = best(cfgs)
	record(part, "uvicorn render vs best of sweep (/async-page/)", fmt.Sprintf("%.2f× (%.0f vs %.0f req/s, best: %s)", def.median()/b.median(), def.median(), b.median(), b.label), "≥ 0.95×", def.median()/b.median() >= 0.95)
}
