package tests

// Issue 13's "Behind Dokku's proxy": Dokku's nginx is the only peer of the
// container. Through a real Debian nginx configured from Dokku's
// nginx.conf.sigil with an https listener (so it sends X-Forwarded-Proto:
// https and X-Forwarded-For: <client>), each rendered web line must let
// Django see the client's scheme (request.is_secure()) and, where the server
// can, its address (REMOTE_ADDR). nginx connects from 127.0.0.2, standing in
// for the Docker bridge: a server trusting only 127.0.0.1 (gunicorn's
// default) does not trust it, as it would not trust 172.17.0.1.
//
// Run: go test ./tests/ -run TestProxy -count=1 -v

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/tests/dokkunginx"
	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

const (
	// proxyClient is the address the test's client connects to nginx
	// from: what X-Forwarded-For carries and REMOTE_ADDR should show.
	proxyClient = "127.0.0.3"
	// proxyPeer is the address nginx connects to the app from.
	proxyPeer = "127.0.0.2"
)

// TestProxyHeadersReachDjango: for each Debian-packaged web backend, a
// request through Dokku's https nginx reaches the whoami view as secure,
// and with the client's address where the server takes it from
// X-Forwarded-For. What a server cannot do from its command line is pinned
// as a known loss, so a release that adds it is noticed.
func TestProxyHeadersReachDjango(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nginx and servers (-short skips it)")
	}
	realserver.Require(t, "nginx", "nginx")
	cert, key := selfSignedCert(t)
	for _, c := range []struct {
		backend, program, pkg, appJSON string
		// remote is the REMOTE_ADDR Django must see: the client's, or the
		// proxy's where the server has no way to take it from
		// X-Forwarded-For (remoteWhy says why).
		remote, remoteWhy string
		// insecure says why the server cannot be told the scheme from the
		// command line; "" means is_secure() must be true.
		insecure string
		// noAccessLog says why the server logs no requests; "" means the
		// request must show in its output.
		noAccessLog string
	}{
		{backend: "gunicorn", program: "gunicorn", pkg: "gunicorn", remote: proxyPeer,
			remoteWhy: "gunicorn's REMOTE_ADDR is always the peer; the client is in HTTP_X_FORWARDED_FOR (gunicorn/http/wsgi.py)"},
		{backend: "gunicorn-uvicorn", program: "gunicorn", pkg: "gunicorn python3-uvicorn", remote: proxyClient},
		{backend: "uvicorn", program: "uvicorn", pkg: "uvicorn", remote: proxyClient},
		{backend: "uvicorn-wsgi", program: "uvicorn", pkg: "uvicorn", remote: proxyClient},
		{backend: "daphne", program: "daphne", pkg: "daphne", remote: proxyClient},
		{backend: "waitress", program: "waitress-serve", pkg: "python3-waitress", remote: proxyPeer,
			noAccessLog: "waitress logs no requests: its access log is paste's TransLogger, middleware in the app's code",
			remoteWhy:   "waitress reads one trusted proxy header per word (--trusted-proxy-headers is space-separated, which no Procfile word carries through herokuish): x-forwarded-proto is the one rendered"},
		{backend: "hypercorn", program: "hypercorn", pkg: "python3-hypercorn", remote: proxyPeer,
			remoteWhy: "hypercorn has no proxy-header flag (0.14+ offers ProxyFixMiddleware in code only)",
			insecure:  "hypercorn has no proxy-header flag; set Django's SECURE_PROXY_SSL_HEADER"},
		{backend: "uwsgi", program: "uwsgi", pkg: "uwsgi-core uwsgi-plugin-python3", remote: proxyPeer,
			appJSON: `{"prodserver": {"processes": {"web": {"backend": "uwsgi", "options": {"plugin": ["python3"]}}}}}`,
			// uWSGI takes the scheme from X-Forwarded-Proto by itself, from any peer.
			remoteWhy: "uWSGI's http-socket passes the peer; rewriting it needs a routing rule in its config"},
	} {
		t.Run(c.backend, func(t *testing.T) {
			t.Parallel()
			realserver.Require(t, c.program, c.pkg)
			a := newServersApp(t, "redis://127.0.0.1:1/0", "")
			p := serversProcess(t, a.plan(t, "web", c.backend, serversAppJSON(t, a, c.appJSON)), "web", c.backend)
			t.Logf("LINE web: %s", p.Command)
			port := realserver.FreePort(t)
			proc := realserver.Start(t, serversArgv(t, p.Command, strconv.Itoa(port)), a.root, append([]string{"PORT=" + strconv.Itoa(port)}, a.env...))
			if status, body := proc.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/", port), serversStart); status != 200 || body != "ok" {
				t.Fatalf("GET / = %d %q; output:\n%s", status, body, serversTail(proc.Output()))
			}
			px, err := dokkunginx.Start(port, dokkunginx.Settings{CertFile: cert, KeyFile: key, BindUpstream: proxyPeer})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(px.Stop)
			got := whoami(t, px.Port, c.backend)
			if want := c.insecure == ""; got.Secure != want {
				t.Errorf("request.is_secure() = %v through https nginx, want %v (%s); output:\n%s", got.Secure, want, c.insecure, serversTail(proc.Output()))
			} else if c.insecure != "" {
				t.Logf("KNOWN LOSS %s: is_secure() false: %s", c.backend, c.insecure)
			}
			if got.RemoteAddr != c.remote {
				t.Errorf("REMOTE_ADDR = %q, want %q (client %s, nginx %s) %s", got.RemoteAddr, c.remote, proxyClient, proxyPeer, c.remoteWhy)
			} else if c.remoteWhy != "" {
				t.Logf("KNOWN LOSS %s: REMOTE_ADDR is the proxy's: %s", c.backend, c.remoteWhy)
			}
			// Access logs reach `dokku logs`: the request is in the
			// server's output.
			probe := "/whoami/" + c.backend + "/"
			if c.noAccessLog != "" {
				if strings.Contains(proc.Output(), probe) {
					t.Errorf("%s now logs requests: drop the known loss (%s)", c.backend, c.noAccessLog)
				}
				t.Logf("KNOWN LOSS %s: %s", c.backend, c.noAccessLog)
				return
			}
			realserver.WaitFor(t, 5*time.Second, func() bool { return strings.Contains(proc.Output(), probe) },
				"the access log line for "+probe+" in the server's output")
		})
	}
}

type whoamiAnswer struct {
	Secure     bool   `json:"secure"`
	RemoteAddr string `json:"remote_addr"`
	Probe      string `json:"probe"`
}

// whoami GETs the whoami view through nginx over https from proxyClient.
func whoami(t *testing.T, port int, probe string) whoamiAnswer {
	t.Helper()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(proxyClient)}, Timeout: 10 * time.Second}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext:     func(ctx context.Context, n, addr string) (net.Conn, error) { return dialer.DialContext(ctx, n, addr) },
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the test's own self-signed certificate
	}}
	resp, err := client.Get(fmt.Sprintf("https://127.0.0.1:%d/whoami/%s/", port, probe))
	if err != nil {
		t.Fatalf("GET through nginx: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var got whoamiAnswer
	if resp.StatusCode != 200 || json.Unmarshal(body, &got) != nil || got.Probe != probe {
		t.Fatalf("GET /whoami/%s/ through nginx = %d %q", probe, resp.StatusCode, body)
	}
	return got
}

// selfSignedCert writes a throwaway certificate and key for nginx's https
// listener (what the certs plugin puts in server.crt and server.key).
func selfSignedCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755) // nginx's master reads them as root, but be plain about it
	certFile, keyFile = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
