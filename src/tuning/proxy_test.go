package tuning

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// TestSizeProxied: standalone uvicorn behind Dokku's nginx gets one process
// per core when nginx opens a new connection per request (proxy-keepalive
// unset) and one when it keeps connections alive, or when nginx does not
// reach the process at all (docs/benchmarks.md).
func TestSizeProxied(t *testing.T) {
	uv := &backend.Backend{Kind: backend.KindASGI, Concurrency: backend.ConcurrencyProxied}
	cases := []struct {
		name    string
		l       Limits
		workers int
		why     string // a part of the reason
	}{
		{"keep-alive off: one per core", Limits{CPUs: 2, MemoryMB: 8192, From: "host", Proxy: &Proxy{}}, 2, "proxy-keepalive unset"},
		{"keep-alive off: cpu limit", Limits{CPUs: 4, MemoryMB: 8192, From: "resource:limit", Proxy: &Proxy{}}, 4, "from resource:limit: 4 CPU"},
		{"keep-alive off: memory bound", Limits{CPUs: 4, MemoryMB: 512, Proxy: &Proxy{}}, 2, "MB/256"},
		{"keep-alive off: half a CPU", Limits{CPUs: 0.5, Proxy: &Proxy{}}, 1, "one per core"},
		{"keep-alive on (app)", Limits{CPUs: 4, MemoryMB: 8192, Proxy: &Proxy{Keepalive: 16, From: "app"}}, 1, "proxy-keepalive 16 (app)"},
		{"keep-alive on (global)", Limits{CPUs: 4, Proxy: &Proxy{Keepalive: 32, From: "global"}}, 1, "proxy-keepalive 32 (global)"},
		{"not behind the proxy", Limits{CPUs: 4, MemoryMB: 8192}, 1, "not behind Dokku's proxy"},
		{"nginx named", Limits{CPUs: 2, MemoryMB: 8192, Proxy: &Proxy{Type: "nginx"}}, 2, "proxy-keepalive unset"},
		{"openresty: a connection per request", Limits{CPUs: 2, MemoryMB: 8192, Proxy: &Proxy{Type: "openresty"}}, 2, "openresty's upstream has no keepalive"},
		{"caddy keeps them alive", Limits{CPUs: 4, MemoryMB: 8192, Proxy: &Proxy{Type: "caddy"}}, 1, "caddy keeps upstream connections alive"},
		{"traefik keeps them alive", Limits{CPUs: 4, MemoryMB: 8192, Proxy: &Proxy{Type: "traefik"}}, 1, "traefik keeps"},
		{"haproxy reuses them", Limits{CPUs: 4, MemoryMB: 8192, Proxy: &Proxy{Type: "haproxy"}}, 1, "http-reuse safe"},
		{"another proxy's keep-alive unknown", Limits{CPUs: 4, MemoryMB: 8192, Proxy: &Proxy{Type: "envoy"}}, 1, `proxy type "envoy"`},
		{"nginx's proxy-keepalive does not apply to openresty", Limits{CPUs: 4, MemoryMB: 8192, Proxy: &Proxy{Type: "openresty", Keepalive: 16, From: "app"}}, 4, "openresty"},
		{"proxy disabled", Limits{CPUs: 4, MemoryMB: 8192, Proxy: &Proxy{Disabled: true}}, 1, "proxy disabled"},
	}
	for _, c := range cases {
		w, th, why := Size(uv, c.l, 0)
		if w != c.workers || th != 0 {
			t.Errorf("%s: got workers=%d threads=%d, want %d/0", c.name, w, th, c.workers)
		}
		if !strings.Contains(why, c.why) {
			t.Errorf("%s: reason %q does not say %q", c.name, why, c.why)
		}
	}
}

// TestParseProxyKeepalive follows nginx-vhosts' ComputedProxyKeepalive: the
// app's value when set (even a bad one), else the global one.
func TestParseProxyKeepalive(t *testing.T) {
	cases := []struct {
		app, global string
		want        Proxy
		warn        bool
	}{
		{"", "", Proxy{}, false},
		{"16", "", Proxy{Keepalive: 16, From: "app"}, false},
		{"", "32", Proxy{Keepalive: 32, From: "global"}, false},
		{"8", "32", Proxy{Keepalive: 8, From: "app"}, false},
		{" 16\n", "", Proxy{Keepalive: 16, From: "app"}, false},
		{"0", "32", Proxy{}, false}, // the app's 0 wins: nginx gets no keepalive directive that works
		{"many", "32", Proxy{}, true},
		{"", "-1", Proxy{}, true},
	}
	for _, c := range cases {
		got, warn := ParseProxyKeepalive(c.app, c.global)
		if got != c.want || (warn != "") != c.warn {
			t.Errorf("ParseProxyKeepalive(%q, %q) = %+v, %q; want %+v, warning %v", c.app, c.global, got, warn, c.want, c.warn)
		}
		if c.warn && !strings.Contains(warn, "nginx:set") {
			t.Errorf("warning %q does not name what to change", warn)
		}
	}
}

// TestRoomSizerProxy: only web is behind Dokku's proxy.
func TestRoomSizerProxy(t *testing.T) {
	uv := &backend.Backend{Kind: backend.KindASGI, Concurrency: backend.ConcurrencyProxied}
	cases := []struct {
		proc      string
		keepalive int
		workers   int
	}{
		{"web", 0, 2},
		{"web", 16, 1},
		{"ws", 0, 1}, // not routed by nginx: never sized by it
		{"ws", 16, 1},
	}
	for _, c := range cases {
		r := Room{Host: Limits{CPUs: 2, MemoryMB: 8192, From: "host"}}
		if c.keepalive > 0 {
			r.Proxy = Proxy{Keepalive: c.keepalive, From: "app"}
		}
		if w, _, why := r.Sizer()(c.proc, uv, 0); w != c.workers {
			t.Errorf("%s with proxy-keepalive %d: %d workers (%s), want %d", c.proc, c.keepalive, w, why, c.workers)
		}
	}
}
