// Package tuning sizes a process's concurrency to the container it will run
// in. It is pure: the plugin reads the limits (resource:limit through
// Dokku's resource-get-property trigger, else the host) and passes them in.
//
// The formulas, per backend concurrency model:
//
//   - prefork web servers with sync workers (uWSGI, and gunicorn when
//     threads is set to 1): Heroku's min(2 × cores + 1, memory_MB / 256), at
//     least 1 — the classic sync worker guidance: a sync worker sits idle
//     while its request waits on the database, so there are about two per
//     core, bounded so a small container does not swap;
//   - prefork web servers with threaded workers (gunicorn, rendered as
//     gthread): min(cores + 1, memory_MB / 256) processes × ThreadsPerWorker
//     threads. The threads overlap the waits that Heroku's 2 × cores + 1
//     covers with extra processes, and keep client connections alive (a
//     sync worker closes every connection); the processes only need to keep
//     every core busy despite the GIL, plus one for slack (sync workers
//     served about three quarters as much: docs/benchmarks.md);
//   - async servers (uvicorn, hypercorn, gunicorn with uvicorn workers,
//     granian) and task workers (celery, dramatiq, huey): one per core,
//     bounded by memory_MB / 256, at least 1 — never the host's CPU count
//     inside a CPU-limited container, which is what celery and dramatiq do
//     by default;
//   - single-process threaded servers (waitress): one process, threads =
//     max(4, 2 × cores + 1) — I/O-bound Django views overlap well on
//     threads, and 4 is waitress's own default;
//   - async servers sized by the proxy (standalone uvicorn): the web
//     process gets one per core (as async) when nginx's proxy-keepalive is
//     unset, since nginx then opens a new upstream connection per request
//     and more processes served more; 1 when it is set (kept-alive
//     connections hit uvicorn#3149's delayed ACK with --workers > 1) and
//     for processes nginx does not reach;
//   - single, settings and none: nothing to render (scale instances instead).
//
// cores is the CPU limit rounded up (0.5 CPU → 1). Without a CPU limit the
// host's count stands in, at most HostCPUCap (Room.For). An explicit
// `workers` setting or option always wins over all of this (spec decides
// that).
package tuning

import (
	"fmt"
	"math"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// Limits are what one process may use. Zero means unknown.
type Limits struct {
	CPUs     float64
	MemoryMB int
	// From says where the limits came from, e.g. "resource:limit" or "host".
	From string
	// HostCPUs is the host's CPU count when CPUs is the host fallback
	// (no CPU resource:limit), before HostCPUCap; 0 when a limit set CPUs.
	HostCPUs float64
	// Proxy is how Dokku's nginx reaches the process; nil when it does not
	// (every process but web).
	Proxy *Proxy
}

// Proxy is the part of the app's nginx settings that decides how a
// ConcurrencyProxied server is sized.
type Proxy struct {
	// Keepalive is nginx's proxy-keepalive (idle upstream connections each
	// nginx worker keeps); 0 means unset: nginx opens a new connection to
	// the app for every request.
	Keepalive int
	// From says where Keepalive came from ("app", "global"; "" when unset).
	From string
	// Type is the app's proxy:set type ("" is Dokku's default, nginx);
	// Disabled says proxy:disable is in force, so clients reach the app's
	// port themselves.
	Type     string
	Disabled bool
}

// reuse says whether the app's proxy keeps its connections to the app
// alive, and why. Read from Dokku 0.38.27's proxy plugins, which set no
// upstream keep-alive option of their own, so each proxy's default holds:
// nginx-vhosts' sigil has a keepalive line only with proxy-keepalive;
// openresty-docker-proxy's upstream block has none; caddy-docker-proxy's
// reverse_proxy keeps up to 32 idle connections per upstream, traefik's
// default serversTransport 200 and HAProxy reuses server connections
// (http-reuse safe). An unknown proxy plugin, or none, counts as keeping
// them alive, as a browser does.
func (p Proxy) reuse() (bool, string) {
	switch {
	case p.Disabled:
		return true, "proxy disabled: clients connect to the app's port and keep their connections alive"
	case p.Type == "" || p.Type == "nginx":
		if p.Keepalive > 0 {
			return true, fmt.Sprintf("nginx proxy-keepalive %d (%s) keeps upstream connections alive", p.Keepalive, p.From)
		}
		return false, "nginx proxy-keepalive unset: a new connection per request"
	case p.Type == "openresty":
		return false, "openresty's upstream has no keepalive: a new connection per request"
	case p.Type == "caddy":
		return true, "caddy keeps upstream connections alive (its reverse_proxy default)"
	case p.Type == "traefik":
		return true, "traefik keeps upstream connections alive (its default serversTransport)"
	case p.Type == "haproxy":
		return true, "haproxy reuses upstream connections (http-reuse safe, its default)"
	}
	return true, fmt.Sprintf("proxy type %q: counted as keeping connections alive", p.Type)
}

// MBPerWorker is the memory budget of one Python worker process, from
// Heroku's formula.
const MBPerWorker = 256

// ThreadsPerWorker is the thread count of one threaded prefork worker: it
// keeps a core busy while requests wait up to about seven times their CPU
// time (a view making a few database round trips), and bounds the database
// connections a web container holds at once (Django opens one per busy
// thread) to (cores + 1) × 8. 8 served more than 4 and as much as 16,
// which doubles the connections (docs/benchmarks.md, "Measured by hand").
const ThreadsPerWorker = 8

// HostCPUCap is the most CPUs the host fallback sizes for, when a process
// has no CPU resource:limit. A Django thread keeps its database connection
// (CONN_MAX_AGE > 0, as dj-database-url's examples and cookiecutter-django
// set), so a gthread web container holds processes × threads of them:
// (HostCPUCap + 1) × ThreadsPerWorker = 40, 80 while a zero-downtime deploy
// runs the old and new containers together, plus a task worker's 4 (×2)
// and a release or beat process: 90, within PostgreSQL's default
// max_connections of 100, which the postgres image Dokku's plugin runs
// keeps. Uncapped, a 64-core host renders 65 × 8 = 520. Measured (docs/
// benchmarks.md, "Measured by hand"): held = processes × threads up to
// the server's limit, 13 × 8 (a 12-core host) answered 500s, and past
// cores + 1 processes served no more. An explicit limit is never capped.
const HostCPUCap = 4

// Size returns the workers (processes, or concurrency for task workers) and
// threads to render for backend b under l, and a one-line reason. threads
// is an explicit thread count (0 = none): it is kept, and for a threaded
// prefork server a count of 1 means sync workers, sized as such.
func Size(b *backend.Backend, l Limits, threads int) (workers, threadsOut int, why string) {
	workers, threadsOut, why, _ = size(b, l, threads)
	return workers, threadsOut, why
}

// size is Size, and whether l decided the numbers (false when they are
// fixed whatever the limits, as for uvicorn behind a kept-alive proxy).
func size(b *backend.Backend, l Limits, threads int) (workers, threadsOut int, why string, fromLimits bool) {
	cores := int(math.Ceil(l.CPUs))
	if cores < 1 {
		cores = 1
	}
	memCap := 0
	if l.MemoryMB > 0 {
		memCap = l.MemoryMB / MBPerWorker
		if memCap < 1 {
			memCap = 1
		}
	}
	bound := func(n int) int {
		if memCap > 0 && n > memCap {
			n = memCap
		}
		if n < 1 {
			n = 1
		}
		return n
	}
	desc := describe(l)
	model := b.Concurrency
	if b.Kind == backend.KindWorker && (model == backend.ConcurrencyPrefork || model == backend.ConcurrencyThreads) {
		model = backend.ConcurrencyAsync // a task worker, processes or threads: one per core
	}
	if model == backend.ConcurrencyPreforkThreaded && threads == 1 {
		model = backend.ConcurrencyPrefork // one thread: sync workers
	}
	switch model {
	case backend.ConcurrencyPreforkThreaded:
		n := bound(cores + 1)
		if threads > 0 {
			return n, threads, fmt.Sprintf("min(cores+1, MB/%d) from %s", MBPerWorker, desc), true
		}
		return n, ThreadsPerWorker, fmt.Sprintf("min(cores+1, MB/%d) × %d threads from %s", MBPerWorker, ThreadsPerWorker, desc), true
	case backend.ConcurrencyPrefork:
		n := bound(2*cores + 1)
		return n, 0, fmt.Sprintf("min(2×cores+1, MB/%d) from %s", MBPerWorker, desc), true
	case backend.ConcurrencyAsync:
		n := bound(cores)
		return n, 0, fmt.Sprintf("one per core (≤ MB/%d) from %s", MBPerWorker, desc), true
	case backend.ConcurrencyProxied:
		switch {
		case l.Proxy == nil:
			return 1, 0, "1: not behind Dokku's proxy (uvicorn#3149 on kept-alive connections)", false
		}
		reuse, why := l.Proxy.reuse()
		if reuse {
			return 1, 0, "1: " + why + " (uvicorn#3149)", false
		}
		n := bound(cores)
		return n, 0, fmt.Sprintf("one per core (≤ MB/%d) from %s; %s", MBPerWorker, desc, why), true
	case backend.ConcurrencyThreads:
		t := 2*cores + 1
		if t < 4 {
			t = 4
		}
		return 0, t, fmt.Sprintf("threads = max(4, 2×cores+1) from %s", desc), true
	}
	return 0, 0, "", false
}

// describe is the limits as the reasons show them, e.g. "resource:limit:
// 2 CPU, 1024 MB" or "host: 64 CPU, capped at 4 (no resource:limit), …".
func describe(l Limits) string {
	return fmt.Sprintf("%s: %s, %s", l.From, cpuDesc(l), memText(l.MemoryMB))
}

// cpuDesc shows the CPU count sized for, and when it is the host fallback,
// the cap that bounds it (also when the host is below it, so processes
// says what a bigger host would get).
func cpuDesc(l Limits) string {
	switch {
	case l.HostCPUs > l.CPUs:
		return fmt.Sprintf("%s CPU, capped at %s (no cpu resource:limit)", cpuText(l.HostCPUs), cpuText(l.CPUs))
	case l.HostCPUs > 0:
		return fmt.Sprintf("%s CPU (no cpu resource:limit; the host fallback is capped at %d)", cpuText(l.CPUs), HostCPUCap)
	}
	return cpuText(l.CPUs) + " CPU"
}

func cpuText(c float64) string {
	if c <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%g", c)
}

func memText(mb int) string {
	if mb <= 0 {
		return "memory unknown"
	}
	return fmt.Sprintf("%d MB", mb)
}
