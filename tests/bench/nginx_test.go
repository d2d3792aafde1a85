package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestProxyLikeDokku starts the bench's real nginx (Debian's) in front of a
// Go server that counts the connections it accepts, and checks what Dokku's
// template does to the traffic: HTTP/1.1 upstream with Dokku's forwarding
// headers, a new upstream connection per request by default (no keepalive
// line in the upstream block), and connections reused once
// `nginx:set APP proxy-keepalive 16` puts one there. The bench's proxied
// figures rest on both.
func TestProxyLikeDokku(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nginx (-short skips it)")
	}
	for _, tc := range []struct {
		keepalive int
		maxConns  int64 // upstream connections for 20 requests on one client connection
		minConns  int64
	}{
		{keepalive: 0, minConns: 20, maxConns: 20},
		{keepalive: 16, minConns: 1, maxConns: 2},
	} {
		t.Run(fmt.Sprintf("proxy-keepalive=%d", tc.keepalive), func(t *testing.T) {
			var conns atomic.Int64
			var bad atomic.Value
			srv := &http.Server{
				Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					switch {
					case r.Proto != "HTTP/1.1":
						bad.Store("proto " + r.Proto)
					case r.Header.Get("X-Forwarded-For") != "127.0.0.1" || r.Header.Get("X-Forwarded-Proto") != "http" || r.Header.Get("X-Request-Start") == "":
						bad.Store(fmt.Sprintf("headers %v", r.Header))
					case strings.EqualFold(r.Header.Get("Connection"), "close"):
						bad.Store("Connection: close sent upstream")
					}
					io.WriteString(w, "ok")
				}),
				ConnState: func(_ net.Conn, s http.ConnState) {
					if s == http.StateNew {
						conns.Add(1)
					}
				},
			}
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(l)
			defer srv.Close()
			px, err := startProxy(l.Addr().(*net.TCPAddr).Port, proxySettings{Keepalive: tc.keepalive})
			if err != nil {
				if strings.Contains(err.Error(), "not installed") {
					t.Skip(err)
				}
				t.Fatal(err)
			}
			defer px.Stop()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			for i := 0; i < 20; i++ {
				resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/", px.Port))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || string(b) != "ok" {
					t.Fatalf("GET through nginx = %d %q", resp.StatusCode, b)
				}
			}
			if v := bad.Load(); v != nil {
				t.Errorf("upstream request not as Dokku's template sends it: %v", v)
			}
			if n := conns.Load(); n < tc.minConns || n > tc.maxConns {
				t.Errorf("upstream connections for 20 requests = %d, want %d..%d", n, tc.minConns, tc.maxConns)
			}
		})
	}
}

// TestNginxConfKeepaliveLine: the upstream block has a keepalive line only
// when proxy-keepalive is set, as the template's
// `{{ if $.PROXY_KEEPALIVE }}` does.
func TestNginxConfKeepaliveLine(t *testing.T) {
	for _, tc := range []struct {
		p    proxySettings
		want string
	}{{proxySettings{}, ""}, {proxySettings{Keepalive: 16}, "keepalive 16;"}, {proxySettings{Keepalive: 4}, "keepalive 4;"}} {
		conf := nginxConf("/tmp/x", 8080, 5000, tc.p)
		got := strings.Contains(conf, "\tkeepalive ") || strings.Contains(conf, "  keepalive ")
		if tc.want == "" && got || tc.want != "" && !strings.Contains(conf, tc.want) {
			t.Errorf("%+v: keepalive line wrong in\n%s", tc.p, conf)
		}
		for _, must := range []string{"proxy_http_version 1.1;", "proxy_set_header Connection $http_connection;", "proxy_buffering on;", "proxy_pass  http://app-5000;", "server 127.0.0.1:5000;"} {
			if !strings.Contains(conf, must) {
				t.Errorf("%+v: %q missing", tc.p, must)
			}
		}
	}
}
