package realserver

import (
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests pin uWSGI behaviours prodserver's rendering relies on
// (FINDINGS.md has the research; tests/servers_test.go starts every rendered
// command for real).

// TestUwsgiWithoutDieOnTermIgnoresStop pins why --die-on-term is rendered:
// without it uWSGI takes SIGTERM as "reload" and keeps running.
func TestUwsgiWithoutDieOnTermIgnoresStop(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 3s for a process that should not stop; run without -short")
	}
	Require(t, "uwsgi", "uwsgi-plugin-python3")
	dir := CopyFixture(t, fixture)
	port := strconv.Itoa(FreePort(t))
	p := Start(t, []string{"uwsgi", "--plugin", "python3", "--http-socket", "0.0.0.0:" + port,
		"--module", "proj.wsgi:application", "--master", "--processes", "2"}, dir, nil)
	if st, body := p.WaitHTTP(t, "http://127.0.0.1:"+port+"/", 60*time.Second); st != 200 || body != "ok" {
		t.Fatalf("GET / = %d %q", st, body)
	}
	msg := expectFatal(t, func(tb testing.TB) { p.Stop(tb, syscall.SIGTERM, 3*time.Second) })
	if !strings.Contains(msg, "did not exit within 3s") {
		t.Errorf("unexpected: %s", msg)
	}
}

// TestUwsgiNeedAppExitsOnImportError pins why --need-app is there: without it
// uWSGI keeps running with no application and answers 500, which a port
// check would take for a healthy web process.
func TestUwsgiNeedAppExitsOnImportError(t *testing.T) {
	Require(t, "uwsgi", "uwsgi-plugin-python3")
	dir := CopyFixture(t, fixture)
	port := strconv.Itoa(FreePort(t))
	base := []string{"uwsgi", "--plugin", "python3", "--http-socket", "0.0.0.0:" + port,
		"--module", "nosuchproj.wsgi:application", "--master", "--processes", "1", "--die-on-term"}
	p := Start(t, base, dir, nil)
	if st, _ := p.WaitHTTP(t, "http://127.0.0.1:"+port+"/", 60*time.Second); st != 500 {
		t.Fatalf("without --need-app: GET / = %d, want 500 from a running server with no app", st)
	}
	p.Stop(t, syscall.SIGTERM, 10*time.Second)

	q := Start(t, append(base, "--need-app"), dir, nil)
	if code := q.Wait(t, 60*time.Second); code == 0 {
		t.Fatalf("with --need-app: exit code 0, want non-zero:\n%s", q.Output())
	}
	if !strings.Contains(q.Output(), "no app loaded") {
		t.Errorf("with --need-app: expected uWSGI to say \"no app loaded\":\n%s", q.Output())
	}
}
