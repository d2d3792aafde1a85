package tests

// Issue 13's "Long-running health": a worker that leaks memory is replaced
// before it grows without bound, and requests keep succeeding while it is.
// The recycling is proven on the real server the deploy renders: requests
// are sent until a pid not seen before answers, and every one must be 200.
//
// Run: go test ./tests/ -run TestRecycle -count=1 -v

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

// TestRecycleGunicornWorkers: gunicorn as rendered for a sized app (two or
// more workers) replaces a worker after backend.MaxRequests requests (plus
// up to backend.MaxRequestsJitter), and no request fails meanwhile: the
// master keeps the listening socket, so the surviving worker serves while
// the new one boots.
func TestRecycleGunicornWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("sends a few thousand requests to a real gunicorn (-short skips it)")
	}
	realserver.Require(t, "gunicorn", "gunicorn")
	a := newServersApp(t, "redis://127.0.0.1:1/0", "")
	p := serversProcess(t, a.plan(t, "web", "gunicorn", nil), "web", "gunicorn")
	t.Logf("LINE web: %s", p.Command)
	port := strconv.Itoa(realserver.FreePort(t))
	proc := realserver.Start(t, serversArgv(t, p.Command, port), a.root, append([]string{"PORT=" + port}, a.env...))
	base := "http://127.0.0.1:" + port
	if status, body := proc.WaitHTTP(t, base+"/", serversStart); status != 200 || body != "ok" {
		t.Fatalf("GET / = %d %q; output:\n%s", status, body, serversTail(proc.Output()))
	}
	// The workers the master started: a recycled worker's replacement is
	// a child not among them.
	before := recycleChildren(t, proc.Pid())
	if len(before) < 2 {
		t.Fatalf("gunicorn started %d workers (%v), want the sized 2 or more", len(before), before)
	}
	// With w workers, some worker has served MaxRequests+Jitter requests
	// after at most w×(MaxRequests+Jitter) of them.
	limit := len(before)*(backend.MaxRequests+backend.MaxRequestsJitter) + 1
	client := &http.Client{Timeout: 30 * time.Second}
	seen := map[string]int{}
	for i := 1; i <= limit; i++ {
		resp, err := client.Get(base + "/pid/")
		if err != nil {
			t.Fatalf("request %d failed while workers recycle: %v; output:\n%s", i, err, serversTail(proc.Output()))
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("request %d = %d %q %v while workers recycle; output:\n%s", i, resp.StatusCode, body, err, serversTail(proc.Output()))
		}
		pid := string(body)
		seen[pid]++
		if !before[pid] {
			if i <= backend.MaxRequests {
				t.Fatalf("request %d answered by new worker %s before any worker served %d requests (pids %v)", i, pid, backend.MaxRequests, seen)
			}
			t.Logf("request %d answered by replacement worker %s (first workers %v); all %d requests 200; per pid %v", i, pid, before, i, seen)
			return
		}
	}
	t.Fatalf("%d requests, all 200, but no worker was replaced (pids %v): gunicorn does not recycle workers; line %s", limit, seen, p.Command)
}

// recycleChildren is the set of pid's child pids (Linux
// /proc/PID/task/PID/children), skipping the test where that is not there.
func recycleChildren(t *testing.T, pid int) map[string]bool {
	t.Helper()
	p := strconv.Itoa(pid)
	data, err := os.ReadFile("/proc/" + p + "/task/" + p + "/children")
	if err != nil {
		t.Skipf("cannot list gunicorn's workers: %v", err)
	}
	set := map[string]bool{}
	for _, f := range strings.Fields(string(data)) {
		set[f] = true
	}
	return set
}

// TestRecycleCeleryChildren: celery's worker as rendered for a sized app
// runs the prefork pool with --max-tasks-per-child=backend.MaxTasksPerChild,
// so after that many tasks a child is replaced by a new one, forked from
// the parent; every task sent meanwhile still runs (each writes a marker
// holding its os.getpid()).
func TestRecycleCeleryChildren(t *testing.T) {
	if testing.Short() {
		t.Skip("sends a thousand tasks through a real celery worker and redis (-short skips it)")
	}
	realserver.Require(t, "celery", "celery")
	a := newServersApp(t, realserver.StartRedis(t), "")
	p := serversProcess(t, a.plan(t, "worker", "celery-worker", nil), "worker", "celery-worker")
	// Every child serves MaxTasksPerChild tasks before its replacement
	// takes more, so with c children some child has been replaced after
	// c×MaxTasksPerChild tasks; the rest run on replacements.
	n := p.Workers*backend.MaxTasksPerChild + 20*p.Workers
	pids := recycleCeleryRun(t, a, p, fmt.Sprintf("import proj\nfrom shop.tasks import touch_marker\nfor i in range(%d): touch_marker.delay('t%%d' %% i)", n), n)
	if len(pids) <= p.Workers {
		t.Fatalf("%d tasks, all run, by %d child pids %v with --concurrency=%d: no child was replaced; line %s", n, len(pids), pids, p.Workers, p.Command)
	}
	t.Logf("%d tasks, all run, by %d child pids with --concurrency=%d: %v", n, len(pids), p.Workers, pids)
}

// TestRecycleCeleryMemory: with a 256 MB limit the rendered worker's child
// is replaced once a leaking task has grown it past
// --max-memory-per-child (backend.MemoryPerChildKiB: 128 MB here), before
// the container's limit; every task still runs.
func TestRecycleCeleryMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs leaking tasks in a real celery worker (-short skips it)")
	}
	realserver.Require(t, "celery", "celery")
	a := newServersApp(t, realserver.StartRedis(t), "")
	facts, err := project.Scan(a.root, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	room := tuning.Room{Limits: map[string]map[string]string{tuning.DefaultProc: {"cpu": "1", "memory": "256m"}}}
	pl := plan.Make(plan.Inputs{Facts: facts, Concurrency: room.Sizer(), Memory: room.MemoryMB,
		Operator: plan.Operator{Enabled: "true", Backends: map[string]string{"worker": "celery-worker"}}})
	p := serversProcess(t, pl, "worker", "celery-worker")
	if !strings.Contains(p.Command, "--max-memory-per-child=131072") {
		t.Fatalf("line %s: want --max-memory-per-child=131072 (128 MB) for 256 MB and one child", p.Command)
	}
	// 16 MB a task: 20 tasks leak 320 MB, past the 128 MB mark (and the
	// whole limit) whatever the child's size after the fork.
	const n = 20
	pids := recycleCeleryRun(t, a, p, fmt.Sprintf("import proj\nfrom shop.tasks import leak_marker\nfor i in range(%d): leak_marker.delay('t%%d' %% i, 16)", n), n)
	if len(pids) <= p.Workers {
		t.Fatalf("%d tasks leaking 16 MB each, all run, by %d child pids %v: no child was replaced; line %s", n, len(pids), pids, p.Command)
	}
	t.Logf("%d tasks leaking 16 MB each, all run, by %d child pids: %v", n, len(pids), pids)
}

// recycleCeleryRun starts the worker line p, sends the n tasks send
// enqueues (each writes the marker t<i>), waits until every marker is
// there and returns how many tasks each child pid ran.
func recycleCeleryRun(t *testing.T, a *serversApp, p plan.Process, send string, n int) map[string]int {
	t.Helper()
	t.Logf("LINE worker: %s", p.Command)
	proc := realserver.Start(t, serversArgv(t, p.Command, "5000"), a.root, a.env)
	a.python(t, send)
	count := func() int {
		entries, _ := os.ReadDir(a.markers)
		done := 0
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".tmp") {
				done++
			}
		}
		return done
	}
	realserver.WaitFor(t, 3*serversStart, func() bool {
		if proc.Exited() {
			t.Fatalf("worker exited (code %d); output:\n%s", proc.ExitCode(), serversTail(proc.Output()))
		}
		return count() >= n
	}, fmt.Sprintf("all %d tasks to run", n))
	pids := map[string]int{}
	for i := 0; i < n; i++ {
		data, err := os.ReadFile(filepath.Join(a.markers, "t"+strconv.Itoa(i)))
		if err != nil {
			t.Fatalf("task %d did not run: %v; output:\n%s", i, err, serversTail(proc.Output()))
		}
		_, pid, ok := strings.Cut(strings.TrimSpace(string(data)), "pid=")
		if !ok || pid == strconv.Itoa(proc.Pid()) {
			t.Fatalf("task %d marker %q: not written by a child of the worker (pid %d)", i, data, proc.Pid())
		}
		pids[pid]++
	}
	serversStopProc(t, proc, p)
	return pids
}
