package realserver

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// StartRedis starts a real redis-server on a free loopback port, with no
// persistence (no RDB snapshots, no AOF, its dir a temp dir), and returns its
// URL (redis://127.0.0.1:PORT/0) once it answers PING. It is killed when the
// test ends. Celery, RQ and django-q tests need a real broker: a fake would not
// prove the worker command connects and consumes.
//
// A missing redis-server (Debian package redis-server) fails the test, or
// skips it when PRODSERVER_ALLOW_SKIP=1.
func StartRedis(t testing.TB) string {
	t.Helper()
	Require(t, "redis-server", "redis-server")
	port := FreePort(t)
	p := Start(t, []string{
		"redis-server",
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", t.TempDir(),
	}, t.TempDir(), nil)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	WaitFor(t, 10*time.Second, func() bool {
		if p.Exited() {
			t.Fatalf("realserver: redis-server exited (code %d); output:\n%s", p.ExitCode(), p.Output())
		}
		return redisPing(addr) == nil
	}, "redis-server to answer PING on "+addr)
	return fmt.Sprintf("redis://%s/0", addr)
}

// redisPing sends an inline PING and expects +PONG.
func redisPing(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 500*time.Millisecond)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("unexpected PING reply %q", line)
	}
	return nil
}
