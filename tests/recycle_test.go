package tests

// Issue 13's "Long-running health": a worker that leaks memory is replaced
// before it grows without bound, and requests keep succeeding while it is.
// The recycling is proven on the real server the deploy renders: requests
// are sent until a pid not seen before answers, and every one must be 200.
//
// Run: go test ./tests/ -run TestRecycle -count=1 -v

import (
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
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
