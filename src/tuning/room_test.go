package tuning

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// TestRoomFor: a process's own limit wins over _default_, per resource;
// the host fills what neither sets, and what does not parse (its 8 CPUs
// capped at HostCPUCap).
func TestRoomFor(t *testing.T) {
	host := Limits{CPUs: 8, MemoryMB: 16384, From: "host"}
	limits := map[string]map[string]string{
		"web":       {"cpu": "2", "memory": "1g"},
		"worker":    {"cpu": "0.5"},
		DefaultProc: {"memory": "512m"},
		"bad":       {"cpu": "lots", "memory": "2g"},
	}
	for _, c := range []struct {
		proc string
		want Limits
	}{
		{"web", Limits{CPUs: 2, MemoryMB: 1024, From: "resource:limit"}},
		{"worker", Limits{CPUs: 0.5, MemoryMB: 512, From: "resource:limit"}},
		{"beat", Limits{CPUs: HostCPUCap, HostCPUs: 8, MemoryMB: 512, From: "resource:limit + host"}},
		{"bad", Limits{CPUs: HostCPUCap, HostCPUs: 8, MemoryMB: 2048, From: "resource:limit + host"}},
	} {
		if got := (Room{Limits: limits, Host: host}).For(c.proc); got != c.want {
			t.Errorf("For(%s) = %+v, want %+v", c.proc, got, c.want)
		}
	}
	if got, want := (Room{Host: host}).For("web"), (Limits{CPUs: HostCPUCap, HostCPUs: 8, MemoryMB: 16384, From: "host"}); got != want {
		t.Errorf("no limits: %+v, want the host's, capped: %+v", got, want)
	}
	problems := Room{Limits: limits, Host: host}.Problems()
	if len(problems) != 1 || !strings.Contains(problems[0], `"lots"`) || !strings.Contains(problems[0], "resource:limit of bad") {
		t.Errorf("Problems() = %q, want one naming the bad cpu value and its process", problems)
	}
}

// TestRoomSizer: the plan's sizer is Size over the process's limits.
func TestRoomSizer(t *testing.T) {
	room := Room{Limits: map[string]map[string]string{"web": {"cpu": "2", "memory": "4g"}}, Host: Limits{CPUs: 1, MemoryMB: 1024, From: "host"}}
	b := &backend.Backend{Kind: backend.KindWSGI, Concurrency: backend.ConcurrencyPreforkThreaded}
	w1, t1, why1 := room.Sizer()("web", b, 0)
	w2, t2, why2 := Size(b, room.For("web"), 0)
	if !reflect.DeepEqual([]any{w1, t1, why1}, []any{w2, t2, why2}) || w1 != 3 {
		t.Errorf("Sizer = %d %d %q, Size = %d %d %q; want 3 processes for 2 CPUs", w1, t1, why1, w2, t2, why2)
	}
}

// TestRoomForPod: on scheduler-k3s a process is sized from resource:limit,
// else resource:reserve, else the scheduler's 100m/128Mi default request
// (one worker), per resource, and never from the host.
func TestRoomForPod(t *testing.T) {
	host := Limits{CPUs: 8, MemoryMB: 16384, From: "host"}
	limits := map[string]map[string]string{"web": {"cpu": "2", "memory": "1g"}, "worker": {"cpu": "1"}}
	reserve := map[string]map[string]string{"worker": {"memory": "512m"}, "beat": {"cpu": "0.5", "memory": "256m"}, "half": {"cpu": "3"}}
	gunicorn, _ := backend.Lookup("gunicorn")
	for _, c := range []struct {
		proc    string
		want    Limits
		workers int
		dflt    bool
	}{
		{"web", Limits{CPUs: 2, MemoryMB: 1024, From: "resource:limit"}, 3, false},
		{"worker", Limits{CPUs: 1, MemoryMB: 512, From: "resource:limit + resource:reserve"}, 2, false},
		{"beat", Limits{CPUs: 0.5, MemoryMB: 256, From: "resource:reserve"}, 1, false},
		{"half", Limits{CPUs: 3, MemoryMB: PodDefaultMemoryMB, From: "resource:reserve + " + PodDefaultFrom}, 1, true},
		{"other", Limits{CPUs: PodDefaultCPUs, MemoryMB: PodDefaultMemoryMB, From: PodDefaultFrom}, 1, true},
	} {
		r := Room{Limits: limits, Reserve: reserve, Host: host, Pod: true}
		if got := r.For(c.proc); got != c.want {
			t.Errorf("For(%s) = %+v, want %+v", c.proc, got, c.want)
		}
		if w, _, why := r.Sizer()(c.proc, gunicorn, 0); w != c.workers || !strings.Contains(why, c.want.From) {
			t.Errorf("%s: %d workers (%s), want %d from %s", c.proc, w, why, c.workers, c.want.From)
		}
		if r.PodDefaulted(c.proc) != c.dflt {
			t.Errorf("PodDefaulted(%s) = %v, want %v", c.proc, !c.dflt, c.dflt)
		}
	}
}
