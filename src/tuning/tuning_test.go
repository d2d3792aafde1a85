package tuning

import (
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

func TestSize(t *testing.T) {
	prefork := &backend.Backend{Kind: backend.KindWSGI, Concurrency: backend.ConcurrencyPrefork}
	async := &backend.Backend{Kind: backend.KindASGI, Concurrency: backend.ConcurrencyAsync}
	worker := &backend.Backend{Kind: backend.KindWorker, Concurrency: backend.ConcurrencyPrefork}
	threads := &backend.Backend{Kind: backend.KindWSGI, Concurrency: backend.ConcurrencyThreads}
	gthread := &backend.Backend{Kind: backend.KindWSGI, Concurrency: backend.ConcurrencyPreforkThreaded}
	single := &backend.Backend{Kind: backend.KindASGI, Concurrency: backend.ConcurrencySingle}
	cases := []struct {
		name          string
		b             *backend.Backend
		l             Limits
		workers, thrs int
		explicit      int // an explicit thread count
	}{
		{"heroku 512MB", prefork, Limits{CPUs: 8, MemoryMB: 512}, 2, 0, 0},
		{"heroku 1GB", prefork, Limits{CPUs: 8, MemoryMB: 1024}, 4, 0, 0},
		{"2 cores plenty of RAM", prefork, Limits{CPUs: 2, MemoryMB: 16384}, 5, 0, 0},
		{"half a CPU", prefork, Limits{CPUs: 0.5, MemoryMB: 4096}, 3, 0, 0},
		{"tiny memory floor", prefork, Limits{CPUs: 4, MemoryMB: 100}, 1, 0, 0},
		{"unknown memory", prefork, Limits{CPUs: 2}, 5, 0, 0},
		{"async per core", async, Limits{CPUs: 4, MemoryMB: 8192}, 4, 0, 0},
		{"async memory bound", async, Limits{CPUs: 4, MemoryMB: 512}, 2, 0, 0},
		{"task worker per core, not 2c+1", worker, Limits{CPUs: 2, MemoryMB: 8192}, 2, 0, 0},
		{"cpu-limited worker on a big host", worker, Limits{CPUs: 1, MemoryMB: 65536}, 1, 0, 0},
		{"threads", threads, Limits{CPUs: 4}, 0, 9, 0},
		{"threads floor", threads, Limits{CPUs: 1}, 0, 4, 0},
		{"single", single, Limits{CPUs: 8}, 0, 0, 0},
		{"gthread 2 cores", gthread, Limits{CPUs: 2, MemoryMB: 16384}, 3, ThreadsPerWorker, 0},
		{"gthread half a CPU", gthread, Limits{CPUs: 0.5, MemoryMB: 4096}, 2, ThreadsPerWorker, 0},
		{"gthread 8 cores memory bound", gthread, Limits{CPUs: 8, MemoryMB: 1024}, 4, ThreadsPerWorker, 0},
		{"gthread tiny memory", gthread, Limits{CPUs: 4, MemoryMB: 100}, 1, ThreadsPerWorker, 0},
		{"gthread explicit threads kept", gthread, Limits{CPUs: 2, MemoryMB: 16384}, 3, 16, 16},
		{"gthread with one thread is sync: heroku", gthread, Limits{CPUs: 2, MemoryMB: 16384}, 5, 0, 1},
		{"gthread with one thread, memory bound", gthread, Limits{CPUs: 8, MemoryMB: 512}, 2, 0, 1},
		{"threaded task worker (huey) per core", &backend.Backend{Kind: backend.KindWorker, Concurrency: backend.ConcurrencyThreads}, Limits{CPUs: 2, MemoryMB: 1024}, 2, 0, 0},
	}
	for _, c := range cases {
		w, th, why := Size(c.b, c.l, c.explicit)
		if w != c.workers || th != c.thrs {
			t.Errorf("%s: got workers=%d threads=%d, want %d/%d", c.name, w, th, c.workers, c.thrs)
		}
		if (w > 0 || th > 0) && why == "" {
			t.Errorf("%s: no reason given", c.name)
		}
	}
}

func TestParse(t *testing.T) {
	mem := []struct {
		in   string
		want int
		ok   bool
	}{{"512m", 512, true}, {"1g", 1024, true}, {"1GB", 1024, true}, {"2048", 2048, true}, {"524288k", 512, true},
		{"", 0, true}, {"abc", 0, false}, {"-1g", 0, false}, {"536870912b", 512, true}}
	for _, c := range mem {
		got, err := ParseMemoryMB(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseMemoryMB(%q) = %d, %v", c.in, got, err)
		}
	}
	cpu := []struct {
		in   string
		want float64
		ok   bool
	}{{"2", 2, true}, {"0.5", 0.5, true}, {"", 0, true}, {"x", 0, false}, {"-2", 0, false}}
	for _, c := range cpu {
		got, err := ParseCPU(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseCPU(%q) = %v, %v", c.in, got, err)
		}
	}
	if got := ParseCgroupCPUMax("200000 100000\n"); got != 2 {
		t.Errorf("cpu.max = %v", got)
	}
	if got := ParseCgroupCPUMax("max 100000"); got != 0 {
		t.Errorf("cpu.max max = %v", got)
	}
	if got := ParseCgroupMemoryMax("1073741824\n"); got != 1024 {
		t.Errorf("memory.max = %v", got)
	}
	if got := ParseCgroupMemoryMax("max\n"); got != 0 {
		t.Errorf("memory.max max = %v", got)
	}
	if got := ParseMemInfoMB("MemTotal:       24576000 kB\nMemFree: 1 kB\n"); got != 24000 {
		t.Errorf("meminfo = %v", got)
	}
}
