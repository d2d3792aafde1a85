package backend

import "fmt"

// Fits says whether b may run as process type proc. It is the one kind
// check every source goes through (prodserver:backend, app.json,
// PRODUCTION_PROCESSES, detection, an adopted line, an export read back),
// so that no source can do what the command refuses (issue 15):
//   - web is the process Dokku routes $PORT to, so it runs a web server
//     (wsgi, asgi): a worker or a beat scheduler there serves nothing and
//     fails its checks, and beat would not be held at one instance;
//   - release runs once per deploy and must end, so it runs a release
//     backend: a server or worker there never ends and the deploy hangs;
//   - a release backend (migrate) runs nowhere else: as a long-running
//     process it would exit and be restarted without end.
//
// The error names the process and the backend's kind, in words an
// operator can act on.
func (b *Backend) Fits(proc string) error {
	switch {
	case proc == "web" && !b.Web:
		return fmt.Errorf("the web process must run a web server; %s is a %s backend", b.Name, b.Kind)
	case proc == "release" && b.Kind != KindRelease:
		return fmt.Errorf("the release process must run a release backend, which ends; %s is a %s backend", b.Name, b.Kind)
	case proc != "release" && b.Kind == KindRelease:
		return fmt.Errorf("%s is a release backend, which runs once per deploy; only the release process may run it, not %s", b.Name, proc)
	}
	return nil
}
