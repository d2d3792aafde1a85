// Package dokkunginx runs Debian's nginx configured the way Dokku 0.38.27's
// nginx-vhosts plugin configures an app (plugins/nginx-vhosts/templates/
// nginx.conf.sigil with the default property values), in front of one app
// port on loopback: the bench measures through it and the proxy tests check
// what the app sees of the client through it.
package dokkunginx

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// Settings are the nginx:set properties of Dokku's nginx-vhosts plugin
// that decide how traffic reaches the app, at their Dokku 0.38.27 defaults
// (plugins/nginx-vhosts/nginx_vhosts.go, the Computed* functions) unless
// set, and how the test stands in for the host.
type Settings struct {
	// Keepalive is `nginx:set APP proxy-keepalive N` (unset by default:
	// no keepalive line in the upstream block, so nginx opens a new
	// connection to the app for every request).
	Keepalive int
	// CertFile and KeyFile, when set, make the listener the sigil's https
	// one (`listen ... ssl`, the certs plugin's server.crt/server.key,
	// ssl_protocols TLSv1.2 TLSv1.3, ssl_prefer_server_ciphers off), so
	// nginx's $scheme, which Dokku sends as X-Forwarded-Proto, is https.
	CertFile, KeyFile string
	// BindUpstream is the source address nginx connects to the app from
	// (proxy_bind): on a Dokku host nginx reaches the container from the
	// Docker bridge's gateway, never from the app's own loopback address,
	// so a server that trusts only 127.0.0.1 does not trust it. Not in the
	// sigil; "" leaves the kernel's choice (127.0.0.1).
	BindUpstream string
}

// Conf renders what Dokku 0.38.27 gives one app with one web listener:
// Debian's /etc/nginx/nginx.conf main and events blocks, Dokku's
// conf.d/dokku.conf (server_tokens off) and the app's nginx.conf from
// plugins/nginx-vhosts/templates/nginx.conf.sigil with the default property
// values, the same upstream, location, proxy headers, HTTP/1.1, buffering
// and gzip. Only loopback is bound, and paths (pid, logs, temp files) point
// into dir so nothing outside the run is touched. listen is the port nginx
// serves, upstream the app's port.
func Conf(dir string, listen, upstream int, p Settings) string {
	page := os.Getpagesize() / 1024 // nginx_vhosts.go: proxy-buffer-size and friends default to the page size
	var keepalive, ssl, tls, bind string
	if p.Keepalive > 0 {
		keepalive = fmt.Sprintf("  keepalive %d;\n", p.Keepalive)
	}
	if p.CertFile != "" {
		ssl = " ssl"
		tls = fmt.Sprintf("\t\tssl_certificate           %s;\n\t\tssl_certificate_key       %s;\n\t\tssl_protocols             TLSv1.2 TLSv1.3;\n\t\tssl_prefer_server_ciphers off;\n", p.CertFile, p.KeyFile)
	}
	if p.BindUpstream != "" {
		bind = fmt.Sprintf("\t\t\tproxy_bind  %s; # stands in for the Docker bridge (not in the sigil)\n", p.BindUpstream)
	}
	return fmt.Sprintf(`# Debian nginx 1.22 /etc/nginx/nginx.conf (user and module includes left out)
worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events {
	worker_connections 768;
}
http {
	sendfile on;
	tcp_nopush on;
	types_hash_max_size 2048;
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log %[1]s/access.log;
	gzip on;
	client_body_temp_path %[1]s/client_body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;

	# Dokku's conf.d/dokku.conf (templates/dokku.conf.sigil), TLS lines left out
	server_tokens off;
	server_names_hash_bucket_size 512;

	# The app's nginx.conf (templates/nginx.conf.sigil), one listener (http, or https with TLS)
	server {
		listen      127.0.0.1:%[2]d%[7]s;
%[8]s		access_log  %[1]s/app-access.log;
		error_log   %[1]s/app-error.log;
		underscores_in_headers off;
		client_body_timeout 60s;
		client_header_timeout 60s;
		keepalive_timeout 75s;
		lingering_timeout 5s;
		send_timeout 60s;
		location    / {
			gzip on;
			gzip_min_length  1100;
			gzip_buffers  4 32k;
			gzip_types    text/css text/javascript text/xml text/plain text/x-component application/javascript application/x-javascript application/wasm application/json application/graphql-response+json application/xml application/rss+xml font/truetype application/x-font-ttf font/opentype application/vnd.ms-fontobject image/svg+xml;
			gzip_vary on;
			gzip_comp_level  6;
			proxy_pass  http://app-%[3]d;
%[9]s			proxy_http_version 1.1;
			proxy_connect_timeout 60s;
			proxy_read_timeout 60s;
			proxy_send_timeout 60s;
			proxy_buffer_size %[4]dk;
			proxy_buffering on;
			proxy_buffers 8 %[4]dk;
			proxy_busy_buffers_size %[5]dk;
			proxy_set_header Upgrade $http_upgrade;
			proxy_set_header Connection $http_connection;
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $remote_addr;
			proxy_set_header X-Forwarded-Port $server_port;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_set_header X-Request-Start $msec;
		}
		client_max_body_size 1m;
	}
	upstream app-%[3]d {
%[6]s		server 127.0.0.1:%[3]d;
	}
}
`, dir, listen, upstream, page, 2*page, keepalive, ssl, tls, bind)
}

// Proxy is a running nginx in front of one app port.
type Proxy struct {
	// Port is the loopback port nginx serves.
	Port int
	cmd  *exec.Cmd
	dir  string
}

// Start starts Debian's nginx with Conf in front of upstream on a free
// loopback port and waits until it listens.
func Start(upstream int, p Settings) (*Proxy, error) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr != nil {
			return nil, fmt.Errorf("nginx is not installed (make deps installs Debian's nginx)")
		}
		bin = "/usr/sbin/nginx"
	}
	dir, err := os.MkdirTemp("", "prodserver-nginx-")
	if err != nil {
		return nil, err
	}
	// nginx's workers run as nobody when started by root: they must reach
	// the temp folders.
	os.Chmod(dir, 0o755)
	port, err := FreeLoopbackPort()
	if err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(Conf(dir, port, upstream, p)), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", conf, "-g", "daemon off;")
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	px := &Proxy{cmd: cmd, Port: port, dir: dir}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			return px, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	px.Stop()
	log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
	return nil, fmt.Errorf("nginx never listened on %d:\n%s%s", port, out, log)
}

// Stop stops nginx (SIGQUIT, its graceful stop; SIGKILL after 10 s) and
// removes its folder.
func (p *Proxy) Stop() {
	harness.StopGroup(p.cmd, syscall.SIGQUIT, 10*time.Second)
	os.RemoveAll(p.dir)
}

// FreeLoopbackPort returns a port free on 127.0.0.1 now.
func FreeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
