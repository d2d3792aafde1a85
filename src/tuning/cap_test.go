package tuning

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// TestHostCPUCap: without a CPU resource:limit the host's CPUs stand in at
// most HostCPUCap, so a 64-core host renders 5 × 8 gunicorn threads (40
// database connections), not 65 × 8; an explicit limit is never capped,
// and a host below the cap is sized as it is. The reason shows the host's
// count and the cap.
func TestHostCPUCap(t *testing.T) {
	gunicorn, _ := backend.Lookup("gunicorn")
	prefork := &backend.Backend{Kind: backend.KindWSGI, Concurrency: backend.ConcurrencyPrefork}
	celery := &backend.Backend{Kind: backend.KindWorker, Concurrency: backend.ConcurrencyPrefork}
	waitress := &backend.Backend{Kind: backend.KindWSGI, Concurrency: backend.ConcurrencyThreads}
	big := Limits{CPUs: 64, MemoryMB: 262144, From: "host"}
	small := Limits{CPUs: 2, MemoryMB: 24000, From: "host"}
	cases := []struct {
		name          string
		b             *backend.Backend
		host          Limits
		limits        map[string]string // resource:limit of web
		workers, thrs int
		shows         string
	}{
		{"64 cores, gunicorn", gunicorn, big, nil, HostCPUCap + 1, ThreadsPerWorker, "host: 64 CPU, capped at 4 (no cpu resource:limit), 262144 MB"},
		{"64 cores, sync prefork", prefork, big, nil, 2*HostCPUCap + 1, 0, "capped at 4"},
		{"64 cores, task worker", celery, big, nil, HostCPUCap, 0, "capped at 4"},
		{"64 cores, waitress threads", waitress, big, nil, 0, 2*HostCPUCap + 1, "capped at 4"},
		{"64 cores, memory limit only: cpu still capped", gunicorn, big, map[string]string{"memory": "4g"}, HostCPUCap + 1, ThreadsPerWorker, "resource:limit + host: 64 CPU, capped at 4 (no cpu resource:limit), 4096 MB"},
		{"64 cores, explicit cpu limit is the operator's word", gunicorn, big, map[string]string{"cpu": "64"}, 65, ThreadsPerWorker, "resource:limit + host: 64 CPU, 262144 MB"},
		{"64 cores, cpu and memory limits", gunicorn, big, map[string]string{"cpu": "16", "memory": "64g"}, 17, ThreadsPerWorker, "resource:limit: 16 CPU, 65536 MB"},
		{"64 cores, memory bounds below the cap", gunicorn, Limits{CPUs: 64, MemoryMB: 768, From: "host"}, nil, 3, ThreadsPerWorker, "capped at 4"},
		{"2 cores: below the cap, sized as is", gunicorn, small, nil, 3, ThreadsPerWorker, "host: 2 CPU (no cpu resource:limit; the host fallback is capped at 4), 24000 MB"},
		{"exactly the cap", gunicorn, Limits{CPUs: 4, MemoryMB: 24000, From: "host"}, nil, 5, ThreadsPerWorker, "host fallback is capped at 4"},
		{"fractional host cgroup above the cap", gunicorn, Limits{CPUs: 6.5, MemoryMB: 24000, From: "host"}, nil, 5, ThreadsPerWorker, "6.5 CPU, capped at 4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Room{Host: c.host, Limits: map[string]map[string]string{}}
			if c.limits != nil {
				r.Limits[WebProc] = c.limits
			}
			w, th, why := r.Sizer()(WebProc, c.b, 0)
			if w != c.workers || th != c.thrs {
				t.Errorf("got %d workers × %d threads (%s), want %d × %d", w, th, why, c.workers, c.thrs)
			}
			if !strings.Contains(why, c.shows) {
				t.Errorf("reason %q does not show %q", why, c.shows)
			}
		})
	}
}

// TestNoLimitWarning: the processes the host fallback sized are recorded
// (not those with both limits, nor uvicorn's fixed 1 behind a kept-alive
// proxy), and the one warning names them, what is missing, the host's
// count with the cap, and the resource:limit command for the app.
func TestNoLimitWarning(t *testing.T) {
	gunicorn, _ := backend.Lookup("gunicorn")
	uvicorn, _ := backend.Lookup("uvicorn")
	celery := &backend.Backend{Kind: backend.KindWorker, Concurrency: backend.ConcurrencyPrefork}
	r := Room{
		Host:   Limits{CPUs: 64, MemoryMB: 262144, From: "host"},
		Limits: map[string]map[string]string{"limited": {"cpu": "2", "memory": "1g"}, "half": {"memory": "1g"}},
		Proxy:  Proxy{Keepalive: 16, From: "app"},
	}
	got := map[string]string{}
	s := r.RecordingSizer(got)
	s(WebProc, gunicorn, 0)
	s("worker", celery, 0)
	s("limited", celery, 0)
	s("half", celery, 0)
	s("asgi", uvicorn, 0) // not web: a fixed 1 whatever the host
	for _, want := range []string{WebProc, "worker", "half"} {
		if !strings.Contains(got[want], "capped at 4") {
			t.Errorf("%s not recorded as host-sized: %q", want, got[want])
		}
	}
	for _, not := range []string{"limited", "asgi"} {
		if _, ok := got[not]; ok {
			t.Errorf("%s recorded as host-sized: %q", not, got[not])
		}
	}
	w := r.NoLimitWarning("shop", []string{"worker", WebProc})
	for _, part := range []string{"no cpu or memory resource:limit for web, worker", "64 CPUs, capped at 4", "262144 MB", "dokku resource:limit --cpu 2 --memory 1g shop"} {
		if !strings.Contains(w, part) {
			t.Errorf("warning %q lacks %q", w, part)
		}
	}
	if w := r.NoLimitWarning("shop", []string{"half"}); !strings.Contains(w, "no cpu resource:limit for half") || strings.Contains(w, "MB") {
		t.Errorf("memory-limited process: %q, want only the cpu named", w)
	}
	if w := r.NoLimitWarning("shop", nil); w != "" {
		t.Errorf("nothing host-sized, warning %q", w)
	}
	if pod := (Room{Pod: true, Host: r.Host}); pod.Unlimited(WebProc) != nil {
		t.Errorf("k3s pods are never sized from this host: Unlimited = %v", pod.Unlimited(WebProc))
	}
}
