// Package realserver helps tests start real server and worker processes the
// way Dokku starts a Dockerfile app's Procfile command: one exec-form argv, no
// shell, no `cd`, no environment prefix, the app source root as working
// directory and Debian's Python first on PATH.
//
// It exists so that tests of rendered Procfile commands can prove a command
// really starts, serves, finishes work and stops on the signal Dokku sends,
// instead of only comparing strings. Everything it starts is killed when the
// test ends, and its output is logged when the test fails.
//
// Tests that use it need the Debian packages listed in
// tests/realserver/FINDINGS.md. A missing program fails the test; set
// PRODSERVER_ALLOW_SKIP=1 to skip instead (never in CI, which must not pass by
// skipping).
package realserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// SystemPath is the PATH every started process gets. Debian's /usr/bin comes
// first because a developer's pyenv python3 (first on their own PATH) does not
// see the Debian-packaged Django, gunicorn, celery and friends, just as a
// container's own Python is the one its Procfile commands find.
const SystemPath = "/usr/bin:/bin:/usr/sbin:/usr/local/bin"

// AllowSkipEnv names the environment variable that turns "required program is
// missing" from a test failure into a skip. Only for machines that cannot
// install the packages; CI must leave it unset so it cannot pass by skipping.
const AllowSkipEnv = "PRODSERVER_ALLOW_SKIP"

// FreePort returns a TCP port on the loopback interface that was free a moment
// ago, so parallel tests and leftover servers do not collide on fixed ports.
// The port is released before returning; a server started right after almost
// always gets it.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("realserver: no free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Require returns the absolute path of program as found on SystemPath, so a
// test can say up front which Debian package it needs. When the program is
// missing it fails the test, or skips it when PRODSERVER_ALLOW_SKIP=1.
func Require(t testing.TB, program, debianPackage string) string {
	t.Helper()
	path, err := lookPath(program)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("realserver: %s not found on %s (install the Debian package %q)", program, SystemPath, debianPackage)
	if os.Getenv(AllowSkipEnv) == "1" {
		t.Skip(msg + "; skipped because " + AllowSkipEnv + "=1")
	}
	t.Fatal(msg + "; set " + AllowSkipEnv + "=1 to skip instead")
	return ""
}

// lookPath finds program on SystemPath rather than on the test binary's own
// PATH, which may put another Python first.
func lookPath(program string) (string, error) {
	if strings.Contains(program, "/") {
		return program, nil
	}
	for _, dir := range filepath.SplitList(SystemPath) {
		p := filepath.Join(dir, program)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", program, exec.ErrNotFound)
}

// Proc is one started process (the leader of its own process group) with its
// combined stdout and stderr captured for failure messages.
type Proc struct {
	// Argv is the command as started, for messages.
	Argv []string

	t        testing.TB
	cmd      *exec.Cmd
	out      *lockedBuffer
	done     chan struct{} // closed when the leader has exited and been reaped
	copyDone chan struct{} // closed when the output pipe reached EOF
	drain    sync.Once
}

// Start runs argv in dir the way Dokku runs a Dockerfile app's process: exec
// form, no shell, so quoting, `cd` and `VAR=x` prefixes get no special
// treatment. argv[0] is looked up on SystemPath.
//
// The environment is deliberately small, not the test's own (which may carry
// pyenv or virtualenv variables): PATH=SystemPath, HOME (a fresh temp dir),
// LANG=C.UTF-8, PYTHONUNBUFFERED=1 (so logs arrive before a failure message),
// then env, whose entries win over these defaults.
//
// The process gets its own process group; when the test ends the whole group
// is killed with SIGKILL, and if the test failed its output is logged.
func Start(t testing.TB, argv []string, dir string, env []string) *Proc {
	t.Helper()
	if len(argv) == 0 {
		t.Fatal("realserver: Start needs a command")
	}
	path, err := lookPath(argv[0])
	if err != nil {
		t.Fatalf("realserver: cannot start %q: %v (searched %s)", argv, err, SystemPath)
	}
	home := t.TempDir()
	fullEnv := append([]string{
		"PATH=" + SystemPath,
		"HOME=" + home,
		"LANG=C.UTF-8",
		"PYTHONUNBUFFERED=1",
	}, env...)

	// The children write into a pipe we own, so cmd.Wait returns when the
	// leader exits even if a worker it forked still holds the pipe open.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatalf("realserver: pipe: %v", err)
	}
	cmd := &exec.Cmd{
		Path:        path,
		Args:        append([]string(nil), argv...),
		Dir:         dir,
		Env:         fullEnv,
		Stdout:      w,
		Stderr:      w,
		SysProcAttr: sysProcAttr(),
	}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		t.Fatalf("realserver: start %q in %s: %v", argv, dir, err)
	}
	w.Close()

	p := &Proc{
		Argv:     cmd.Args,
		t:        t,
		cmd:      cmd,
		out:      &lockedBuffer{},
		done:     make(chan struct{}),
		copyDone: make(chan struct{}),
	}
	go func() {
		_, _ = io.Copy(p.out, r)
		r.Close()
		close(p.copyDone)
	}()
	go func() {
		_ = cmd.Wait() // the exit status is read from cmd.ProcessState
		close(p.done)
	}()
	t.Cleanup(p.cleanup)
	return p
}

// cleanup kills whatever is left of the process group and, for a failed test,
// logs the output so the failure explains itself.
func (p *Proc) cleanup() {
	p.killGroup()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.t.Logf("realserver: %q still not reaped 5s after SIGKILL", p.Argv)
	}
	select {
	case <-p.copyDone:
	case <-time.After(2 * time.Second):
	}
	if p.t.Failed() {
		p.t.Logf("realserver: output of %q:\n%s", p.Argv, tail(p.Output(), 8000))
	}
}

// killGroup sends SIGKILL to the process group (leader and every child left).
func (p *Proc) killGroup() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
}

// Pid returns the leader's process id, e.g. to tell whether a marker file was
// written by a worker or by the process that enqueued the task.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Output returns everything the process wrote to stdout and stderr so far, to
// put into assertion messages. Once the leader has exited it first lets the
// pipe drain (up to 1s, once), so output written just before exit is there.
func (p *Proc) Output() string {
	if p.Exited() {
		p.drain.Do(func() {
			select {
			case <-p.copyDone:
			case <-time.After(time.Second): // a child still holds the pipe
			}
		})
	}
	return p.out.String()
}

// Exited reports, without blocking, whether the leader has exited; useful as a
// WaitFor condition and to fail fast instead of waiting for a dead server.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// ExitCode returns the leader's exit status once it has exited: -1 when it
// was ended by a signal it did not handle (a clean stop on a signal usually
// exits 0), -2 while it is still running.
func (p *Proc) ExitCode() int {
	if !p.Exited() {
		return -2
	}
	return p.cmd.ProcessState.ExitCode()
}

// Wait waits for a command that is expected to finish by itself (migrate, a
// task sender) and returns its exit code. It fails the test, after killing
// the group, when the command runs longer than within.
func (p *Proc) Wait(t testing.TB, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.ExitCode()
	case <-time.After(within):
		p.killGroup()
		t.Fatalf("realserver: %q did not finish within %s; output:\n%s", p.Argv, within, tail(p.Output(), 4000))
		return -2
	}
}

// WaitHTTP polls url with GET until the server answers with any HTTP status,
// and returns that status and body for the test to assert on. It fails fast if
// the process exits first and fails after timeout.
func (p *Proc) WaitHTTP(t testing.TB, url string, timeout time.Duration) (status int, body string) {
	t.Helper()
	return PollHTTP(t, url, timeout, func() (string, bool) {
		if !p.Exited() {
			return "", false
		}
		return fmt.Sprintf("realserver: %q exited (code %d) before answering %s; output:\n%s", p.Argv, p.ExitCode(), url, tail(p.Output(), 4000)), true
	}, func() string { return fmt.Sprintf("realserver: %q; output:\n%s", p.Argv, tail(p.Output(), 4000)) })
}

// PollHTTP GETs url until it answers with any HTTP status and returns the
// status and body. gone reports, with the failure message, that whatever
// serves url has exited, so the test fails at once instead of at the
// deadline; who names the server in the timeout message. Keep-alive is off
// so no idle connection of ours slows the server's graceful stop
// afterwards.
func PollHTTP(t testing.TB, url string, timeout time.Duration, gone func() (string, bool), who func() string) (status int, body string) {
	t.Helper()
	client := &http.Client{
		Timeout:   2 * time.Second,
		Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
	}
	deadline := time.Now().Add(timeout)
	var lastErr error
	for {
		if msg, ok := gone(); ok {
			t.Fatal(msg)
		}
		resp, err := client.Get(url)
		if err == nil {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil {
				return resp.StatusCode, string(b)
			}
			err = rerr
		}
		lastErr = err
		if time.Now().After(deadline) {
			t.Fatalf("no HTTP answer on %s within %s (last error: %v): %s", url, timeout, lastErr, who())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop sends sig to the leader only, as `docker stop` does through Dokku's
// default `--init` (tini forwards the signal to its one child), and waits for
// the leader to exit. It returns how long that took, and fails the test if it
// took longer than within (Docker's default stop timeout is 10s, after which
// the container is SIGKILLed and running work is lost). Children still alive
// after the leader exited are logged and killed: in a container they would die
// with it.
func (p *Proc) Stop(t testing.TB, sig syscall.Signal, within time.Duration) time.Duration {
	t.Helper()
	if p.Exited() {
		t.Fatalf("realserver: %q had already exited (code %d) before Stop(%v); output:\n%s",
			p.Argv, p.ExitCode(), sig, tail(p.Output(), 4000))
	}
	start := time.Now()
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("realserver: signal %v to %q: %v", sig, p.Argv, err)
	}
	select {
	case <-p.done:
		took := time.Since(start)
		// Give children a moment to notice (multiprocessing's resource
		// tracker, for one, exits shortly after its parent), as they would
		// have before the container's PID namespace is torn down.
		deadline := time.Now().Add(3 * time.Second)
		left := groupLeft(p.Pid())
		for len(left) > 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			left = groupLeft(p.Pid())
		}
		if len(left) > 0 {
			t.Logf("realserver: %q exited on %v but left %q running 3s later; killing them", p.Argv, sig, left)
			p.killGroup()
		}
		return took
	case <-time.After(within):
		p.killGroup()
		t.Fatalf("realserver: %q did not exit within %s of %v; output:\n%s", p.Argv, within, sig, tail(p.Output(), 4000))
		return within
	}
}

// WaitFor polls cond every 50ms until it returns true and fails the test,
// naming what it waited for, after timeout. Pair it with marker files or Redis
// keys that prove a worker really ran a task.
func WaitFor(t testing.TB, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("realserver: timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fixtureSkip lists generated files that must never be copied from a fixture
// (someone may have run the fixture by hand inside the repository).
func fixtureSkip(name string) bool {
	return name == "__pycache__" || name == "db.sqlite3" ||
		strings.HasSuffix(name, ".pyc") || strings.HasPrefix(name, "celerybeat-schedule")
}

// rootOnlyFiles stay at the source root when CopyFixtureAt moves the Python
// project into a sub-folder, as they do in real repositories (buildpacks and
// prodserver's detection read them there).
var rootOnlyFiles = map[string]bool{"requirements.txt": true, ".gitignore": true}

// CopyFixture copies tests/fixtures/<name> into a fresh t.TempDir() and
// returns the copy's path, so tests can migrate, write markers and leave
// caches without ever writing into the repository.
func CopyFixture(t testing.TB, name string) string {
	t.Helper()
	return CopyFixtureAt(t, name, "")
}

// CopyFixtureAt is CopyFixture for the sub-folder layout (manage.py in
// e.g. src/): everything in the fixture is copied under root/subdir except
// requirements.txt and .gitignore, which stay at the returned root. Commands
// started with dir=root must then reach the project through their own flags
// (gunicorn --chdir, uvicorn --app-dir, celery --workdir, python src/manage.py).
func CopyFixtureAt(t testing.TB, name, subdir string) string {
	t.Helper()
	src := filepath.Join(FixturesDir(t), name)
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		t.Fatalf("realserver: fixture %q not found at %s", name, src)
	}
	root := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel == "." {
			return nil
		}
		if fixtureSkip(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		dst := filepath.Join(root, subdir, rel)
		if subdir != "" && rootOnlyFiles[rel] {
			dst = filepath.Join(root, rel)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		default:
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, info.Mode().Perm())
		}
	})
	if err != nil {
		t.Fatalf("realserver: copy fixture %q: %v", name, err)
	}
	return root
}

// FixturesDir returns the repository's tests/fixtures directory. It walks up
// from the working directory (a test's package directory) to go.mod, and
// falls back to this source file's location, so it works from any test
// package of the module.
func FixturesDir(t testing.TB) string {
	t.Helper()
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				if st, err := os.Stat(filepath.Join(dir, "tests", "fixtures")); err == nil && st.IsDir() {
					return filepath.Join(dir, "tests", "fixtures")
				}
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Join(filepath.Dir(file), "..", "fixtures")
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	t.Fatal("realserver: cannot find tests/fixtures (run tests from inside the module)")
	return ""
}

// lockedBuffer is a bytes.Buffer safe for one writer and many readers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tail keeps failure messages readable: the end of a log holds the traceback.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "...(cut)...\n" + s[len(s)-n:]
}
