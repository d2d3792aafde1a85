package realserver

import (
	"bufio"
	"fmt"
	"io"
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

// RedisCommand sends one command to the Redis server at url (a
// redis://host:port/db URL as StartRedis returns; the db number is selected
// first) and returns its reply: a string for a simple or bulk string, an
// int64 for an integer, nil for a null, []any for an array. A Redis error
// reply is returned as an error. Tests use it to look at what a process put
// into Redis (a queue's messages, say) without starting another client.
func RedisCommand(url string, args ...string) (any, error) {
	rest, ok := strings.CutPrefix(url, "redis://")
	if !ok {
		return nil, fmt.Errorf("realserver: not a redis:// URL: %q", url)
	}
	addr, db, _ := strings.Cut(rest, "/")
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	if db != "" && db != "0" {
		if _, err := redisRoundTrip(c, r, "SELECT", db); err != nil {
			return nil, err
		}
	}
	return redisRoundTrip(c, r, args...)
}

// redisRoundTrip writes one command as a RESP array of bulk strings and
// reads one reply.
func redisRoundTrip(w net.Conn, r *bufio.Reader, args ...string) (any, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := w.Write([]byte(b.String())); err != nil {
		return nil, err
	}
	return redisReply(r)
}

// redisReply reads one RESP2 reply.
func redisReply(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, fmt.Errorf("realserver: empty Redis reply line")
	}
	body := line[1:]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return nil, fmt.Errorf("realserver: Redis error: %s", body)
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, err
		}
		items := make([]any, n)
		for i := range items {
			if items[i], err = redisReply(r); err != nil {
				return nil, err
			}
		}
		return items, nil
	}
	return nil, fmt.Errorf("realserver: unknown Redis reply %q", line)
}
