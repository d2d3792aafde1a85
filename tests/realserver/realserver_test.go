package realserver

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const fixture = "djangoapp"

// TestCopyFixtureIsIsolated proves tests get a private copy (root and
// sub-folder layouts) and that writing into it leaves the repository alone.
func TestCopyFixtureIsIsolated(t *testing.T) {
	repo := filepath.Join(FixturesDir(t), fixture)

	root := CopyFixture(t, fixture)
	for _, f := range []string{"manage.py", "requirements.txt", "proj/settings.py", "proj/celery.py", "shop/migrations/0001_initial.py"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("root layout: %s missing from copy: %v", f, err)
		}
	}
	if st, err := os.Stat(filepath.Join(root, "manage.py")); err != nil || st.Mode()&0o100 == 0 {
		t.Errorf("manage.py lost its executable bit in the copy (err %v)", err)
	}
	if strings.HasPrefix(root, repo) {
		t.Fatalf("copy %s is inside the repository", root)
	}
	if err := os.WriteFile(filepath.Join(root, "proj", "scratch.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repo, "proj", "scratch.txt")); err == nil {
		t.Fatal("writing into the copy changed the repository fixture")
	}

	sub := CopyFixtureAt(t, fixture, "src")
	for _, f := range []string{"src/manage.py", "src/proj/wsgi.py", "src/shop/tasks.py", "requirements.txt"} {
		if _, err := os.Stat(filepath.Join(sub, f)); err != nil {
			t.Errorf("sub-folder layout: %s missing: %v", f, err)
		}
	}
	for _, f := range []string{"manage.py", "proj", "src/requirements.txt"} {
		if _, err := os.Stat(filepath.Join(sub, f)); err == nil {
			t.Errorf("sub-folder layout: %s should not exist", f)
		}
	}
}

// TestMigrateCreatesTables runs `python3 manage.py migrate --noinput` like a
// release process and checks the fixture's own table and the task apps' tables.
func TestMigrateCreatesTables(t *testing.T) {
	Require(t, "python3", "python3")
	dir := CopyFixture(t, fixture)
	db := filepath.Join(t.TempDir(), "app.sqlite3")
	env := []string{"DATABASE_PATH=" + db}

	m := Start(t, []string{"python3", "manage.py", "migrate", "--noinput"}, dir, env)
	if code := m.Wait(t, 120*time.Second); code != 0 {
		t.Fatalf("migrate exited %d:\n%s", code, m.Output())
	}
	if !strings.Contains(m.Output(), "Applying shop.0001_initial... OK") {
		t.Errorf("migrate did not apply shop.0001_initial:\n%s", m.Output())
	}
	q := Start(t, []string{"python3", "-c",
		"import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); " +
			"print(' '.join(sorted(r[0] for r in c.execute(\"select name from sqlite_master where type='table'\"))))",
		db}, dir, nil)
	if code := q.Wait(t, 30*time.Second); code != 0 {
		t.Fatalf("listing tables exited %d:\n%s", code, q.Output())
	}
	tables := strings.Fields(q.Output())
	for _, want := range []string{"shop_hit", "django_celery_beat_periodictask", "django_q_task"} {
		if !contains(tables, want) {
			t.Errorf("table %s not created; tables: %v", want, tables)
		}
	}
}

// TestGunicornServesAndStops starts gunicorn with a hand-written exec-form
// argv, expects 200 "ok" from the sync view and a clean exit within 10s of
// SIGTERM, the signal `docker stop` sends.
func TestGunicornServesAndStops(t *testing.T) {
	Require(t, "gunicorn", "gunicorn")
	dir := CopyFixture(t, fixture)
	port := FreePort(t)
	p := Start(t, []string{"gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:" + strconv.Itoa(port), "--workers", "2"}, dir, nil)

	status, body := p.WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/", port), 30*time.Second)
	if status != 200 || body != "ok" {
		t.Fatalf("GET / = %d %q, want 200 \"ok\"", status, body)
	}
	took := p.Stop(t, syscall.SIGTERM, 10*time.Second)
	t.Logf("gunicorn stopped %s after SIGTERM", took.Round(10*time.Millisecond))
	if code := p.ExitCode(); code != 0 {
		t.Errorf("gunicorn exit code after SIGTERM = %d, want 0", code)
	}
}

// TestCeleryWorkerRunsTask starts a real Redis and `celery -A proj worker`,
// sends a task from a separate Python process and waits for the marker file
// the task writes, then stops the worker with SIGTERM (warm shutdown).
func TestCeleryWorkerRunsTask(t *testing.T) {
	Require(t, "celery", "celery")
	redisURL := StartRedis(t)
	dir := CopyFixture(t, fixture)
	markers := t.TempDir()
	env := []string{"REDIS_URL=" + redisURL, "MARKER_DIR=" + markers}

	w := Start(t, []string{"celery", "-A", "proj", "worker", "-l", "INFO", "--concurrency", "1"}, dir, env)
	send := Start(t, []string{"python3", "-c",
		"import proj; from shop.tasks import touch_marker; print(touch_marker.delay('from-test').id)"},
		dir, append([]string{"DJANGO_SETTINGS_MODULE=proj.settings"}, env...))
	if code := send.Wait(t, 60*time.Second); code != 0 {
		t.Fatalf("sending the task exited %d:\n%s", code, send.Output())
	}

	marker := filepath.Join(markers, "from-test")
	WaitFor(t, 60*time.Second, func() bool {
		if w.Exited() {
			t.Fatalf("celery worker exited (code %d)", w.ExitCode())
		}
		_, err := os.Stat(marker)
		return err == nil
	}, "the celery task's marker "+marker)
	data, err := os.ReadFile(marker)
	if err != nil || !strings.HasPrefix(string(data), "celery pid=") {
		t.Fatalf("marker content %q (err %v), want it written by the celery task", data, err)
	}
	if strings.Contains(string(data), fmt.Sprintf("pid=%d\n", send.Pid())) {
		t.Fatalf("marker was written by the sender, not by the worker: %q", data)
	}

	took := w.Stop(t, syscall.SIGTERM, 10*time.Second)
	t.Logf("celery worker stopped %s after SIGTERM", took.Round(10*time.Millisecond))
	if code := w.ExitCode(); code != 0 {
		t.Errorf("celery worker exit code after SIGTERM = %d, want 0", code)
	}
}

// The helpers must fail the test when the thing they check does not happen;
// these tests run them against a recording testing.TB and expect a failure.

// fatalTB records the first Fatal/Skip instead of ending the real test, and
// delegates everything else (Cleanup, TempDir, Logf) to the real one.
type fatalTB struct {
	testing.TB
	msg string
}

type fatalPanic struct{}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(fatalPanic{})
}
func (f *fatalTB) Fatal(args ...any) { f.msg = fmt.Sprint(args...); panic(fatalPanic{}) }
func (f *fatalTB) Skip(args ...any)  { f.msg = "SKIP " + fmt.Sprint(args...); panic(fatalPanic{}) }
func (f *fatalTB) Failed() bool      { return f.msg != "" || f.TB.Failed() }

// expectFatal runs fn with a recording TB and returns the failure message; it
// fails t when fn did not fail.
func expectFatal(t *testing.T, fn func(tb testing.TB)) string {
	t.Helper()
	f := &fatalTB{TB: t}
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(fatalPanic); !ok {
					panic(r)
				}
			}
		}()
		fn(f)
	}()
	if f.msg == "" {
		t.Fatal("expected the helper to fail the test, but it did not")
	}
	return f.msg
}

func TestStopFailsWhenProcessIgnoresSignal(t *testing.T) {
	Require(t, "python3", "python3")
	var p *Proc
	msg := expectFatal(t, func(tb testing.TB) {
		p = Start(tb, []string{"python3", "-c",
			"import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"},
			t.TempDir(), nil)
		WaitFor(tb, 10*time.Second, func() bool { return strings.Contains(p.Output(), "ready") }, "ready")
		p.Stop(tb, syscall.SIGTERM, time.Second)
	})
	if !strings.Contains(msg, "did not exit within 1s") {
		t.Errorf("unexpected failure message: %s", msg)
	}
	WaitFor(t, 5*time.Second, p.Exited, "the stubborn process to be killed")
}

func TestWaitHTTPFailsFastWhenProcessExits(t *testing.T) {
	Require(t, "python3", "python3")
	port := FreePort(t)
	start := time.Now()
	msg := expectFatal(t, func(tb testing.TB) {
		p := Start(tb, []string{"python3", "-c", "import sys; print('boom'); sys.exit(3)"}, t.TempDir(), nil)
		p.WaitHTTP(tb, fmt.Sprintf("http://127.0.0.1:%d/", port), 30*time.Second)
	})
	if !strings.Contains(msg, "exited (code 3)") || !strings.Contains(msg, "boom") {
		t.Errorf("failure should name the exit code and show the output: %s", msg)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("WaitHTTP waited %s for a dead process", time.Since(start))
	}
}

func TestWaitForAndRequireFail(t *testing.T) {
	msg := expectFatal(t, func(tb testing.TB) {
		WaitFor(tb, 200*time.Millisecond, func() bool { return false }, "never")
	})
	if !strings.Contains(msg, "waiting for never") {
		t.Errorf("WaitFor message: %s", msg)
	}
	t.Setenv(AllowSkipEnv, "")
	msg = expectFatal(t, func(tb testing.TB) { Require(tb, "no-such-program-prodserver", "nothing") })
	if strings.HasPrefix(msg, "SKIP") || !strings.Contains(msg, "no-such-program-prodserver not found") {
		t.Errorf("Require without %s must fail, got: %s", AllowSkipEnv, msg)
	}
	t.Setenv(AllowSkipEnv, "1")
	msg = expectFatal(t, func(tb testing.TB) { Require(tb, "no-such-program-prodserver", "nothing") })
	if !strings.HasPrefix(msg, "SKIP") {
		t.Errorf("Require with %s=1 must skip, got: %s", AllowSkipEnv, msg)
	}
}

// TestStartUsesSystemPathAndCleanEnv checks the environment contract: Debian's
// python3 first, the test's own environment not leaked, env entries win.
func TestStartUsesSystemPathAndCleanEnv(t *testing.T) {
	Require(t, "python3", "python3")
	t.Setenv("PRODSERVER_LEAK_CHECK", "leaked")
	p := Start(t, []string{"python3", "-c",
		"import os, sys; print(sys.executable); print(os.environ.get('PRODSERVER_LEAK_CHECK', 'clean')); print(os.environ['LANG'])"},
		t.TempDir(), []string{"LANG=en_US.UTF-8"})
	if code := p.Wait(t, 30*time.Second); code != 0 {
		t.Fatalf("exit %d: %s", code, p.Output())
	}
	lines := strings.Fields(p.Output())
	if len(lines) != 3 || lines[0] != "/usr/bin/python3" || lines[1] != "clean" || lines[2] != "en_US.UTF-8" {
		t.Fatalf("got %q, want [/usr/bin/python3 clean en_US.UTF-8]", lines)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
