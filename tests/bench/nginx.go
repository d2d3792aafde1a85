package main

import "github.com/dokku-prodserver/dokku-prodserver/tests/dokkunginx"

// The bench's nginx is Dokku's, from package dokkunginx, shared with the
// proxy tests.
type (
	proxySettings = dokkunginx.Settings
	proxy         = dokkunginx.Proxy
)

func nginxConf(dir string, listen, upstream int, p proxySettings) string {
	return dokkunginx.Conf(dir, listen, upstream, p)
}

func startProxy(upstream int, p proxySettings) (*proxy, error) { return dokkunginx.Start(upstream, p) }
