package realserver

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// This file re-runs every command line recorded in FINDINGS.md, in the root
// layout and in the sub-folder layout (project under src/, commands started
// from the source root), so the findings stay true on this machine's packages.

// Launchers for servers that have no flag to add a folder to sys.path: an
// exec-form `python3 -c` that puts src/ first and then runs the server's own
// entry point with the remaining arguments.
const (
	daphneSrcLauncher   = `import sys; sys.path.insert(0, "src"); from daphne.cli import CommandLineInterface; CommandLineInterface.entrypoint()`
	waitressSrcLauncher = `import sys; sys.path.insert(0, "src"); from waitress.runner import run; sys.exit(run())`
)

// kind says how a case proves it works.
type kind int

const (
	wsgiServer kind = iota // GET / = 200 "ok"
	asgiServer             // also GET /async/ = 200 "ok async"
	celeryWorker
	celeryBeat
	rqWorker
	qCluster
)

type findingCase struct {
	name     string
	sub      bool // project under src/, command started from the source root
	kind     kind
	argv     func(port string) []string
	sig      syscall.Signal
	wantExit int // exit code after sig; -1 = ended by the signal itself
	needs    [2]string
}

func findingCases() []findingCase {
	gunicorn := [2]string{"gunicorn", "gunicorn"}
	uvicorn := [2]string{"uvicorn", "uvicorn"}
	celery := [2]string{"celery", "celery"}
	python := [2]string{"python3", "python3"}
	uwsgi := [2]string{"uwsgi", "uwsgi-plugin-python3"}
	uwsgiArgv := func(port string, extra ...string) []string {
		a := []string{"uwsgi", "--plugin", "python3", "--http-socket", "0.0.0.0:" + port}
		a = append(a, extra...)
		return append(a, "--module", "proj.wsgi:application", "--master", "--processes", "2", "--die-on-term", "--need-app")
	}
	return []findingCase{
		{name: "gunicorn", kind: wsgiServer, needs: gunicorn, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:" + p, "--workers", "2"}
		}},
		{name: "gunicorn", sub: true, kind: wsgiServer, needs: gunicorn, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"gunicorn", "--chdir", "src", "proj.wsgi:application", "--bind", "0.0.0.0:" + p, "--workers", "2"}
		}},
		{name: "gunicorn-uvicorn-worker", kind: asgiServer, needs: gunicorn, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"gunicorn", "proj.asgi:application", "--bind", "0.0.0.0:" + p, "--workers", "2", "--worker-class", "uvicorn.workers.UvicornWorker"}
		}},
		{name: "gunicorn-uvicorn-worker", sub: true, kind: asgiServer, needs: gunicorn, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"gunicorn", "--chdir", "src", "proj.asgi:application", "--bind", "0.0.0.0:" + p, "--workers", "2", "--worker-class", "uvicorn.workers.UvicornWorker"}
		}},
		{name: "uvicorn", kind: asgiServer, needs: uvicorn, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"uvicorn", "proj.asgi:application", "--host", "0.0.0.0", "--port", p, "--workers", "2", "--proxy-headers", "--forwarded-allow-ips", "*"}
		}},
		{name: "uvicorn", sub: true, kind: asgiServer, needs: uvicorn, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"uvicorn", "--app-dir", "src", "proj.asgi:application", "--host", "0.0.0.0", "--port", p, "--workers", "2", "--proxy-headers", "--forwarded-allow-ips", "*"}
		}},
		{name: "waitress", kind: wsgiServer, needs: [2]string{"waitress-serve", "python3-waitress"}, sig: syscall.SIGINT, argv: func(p string) []string {
			return []string{"waitress-serve", "--listen=0.0.0.0:" + p, "--threads=4", "proj.wsgi:application"}
		}},
		// waitress installs no SIGTERM handler: TERM ends it at once (status
		// 143 in a container), without finishing requests in flight.
		{name: "waitress-on-TERM", kind: wsgiServer, needs: [2]string{"waitress-serve", "python3-waitress"}, sig: syscall.SIGTERM, wantExit: -1, argv: func(p string) []string {
			return []string{"waitress-serve", "--listen=0.0.0.0:" + p, "--threads=4", "proj.wsgi:application"}
		}},
		{name: "waitress", sub: true, kind: wsgiServer, needs: python, sig: syscall.SIGINT, argv: func(p string) []string {
			return []string{"python3", "-c", waitressSrcLauncher, "--listen=0.0.0.0:" + p, "--threads=4", "proj.wsgi:application"}
		}},
		{name: "hypercorn", kind: asgiServer, needs: [2]string{"hypercorn", "python3-hypercorn"}, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"hypercorn", "--bind", "0.0.0.0:" + p, "--workers", "2", "proj.asgi:application"}
		}},
		{name: "hypercorn", sub: true, kind: asgiServer, needs: [2]string{"hypercorn", "python3-hypercorn"}, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"hypercorn", "--bind", "0.0.0.0:" + p, "--workers", "2", "src/proj.asgi:application"}
		}},
		{name: "daphne", kind: asgiServer, needs: [2]string{"daphne", "daphne"}, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"daphne", "-b", "0.0.0.0", "-p", p, "proj.asgi:application"}
		}},
		{name: "daphne", sub: true, kind: asgiServer, needs: python, sig: syscall.SIGTERM, argv: func(p string) []string {
			return []string{"python3", "-c", daphneSrcLauncher, "-b", "0.0.0.0", "-p", p, "proj.asgi:application"}
		}},
		{name: "uwsgi", kind: wsgiServer, needs: uwsgi, sig: syscall.SIGTERM, argv: func(p string) []string { return uwsgiArgv(p) }},
		{name: "uwsgi", sub: true, kind: wsgiServer, needs: uwsgi, sig: syscall.SIGTERM, argv: func(p string) []string { return uwsgiArgv(p, "--chdir", "src") }},
		{name: "celery-worker", kind: celeryWorker, needs: celery, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"celery", "-A", "proj", "worker", "-l", "INFO", "--concurrency", "2"}
		}},
		{name: "celery-worker", sub: true, kind: celeryWorker, needs: celery, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"celery", "--workdir", "src", "-A", "proj", "worker", "-l", "INFO", "--concurrency", "2"}
		}},
		{name: "celery-beat", kind: celeryBeat, needs: celery, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"celery", "-A", "proj", "beat", "-l", "INFO"}
		}},
		{name: "celery-beat", sub: true, kind: celeryBeat, needs: celery, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"celery", "--workdir", "src", "-A", "proj", "beat", "-l", "INFO"}
		}},
		{name: "celery-beat-db-scheduler", kind: celeryBeat, needs: celery, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"celery", "-A", "proj", "beat", "-l", "INFO", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"}
		}},
		{name: "celery-beat-db-scheduler", sub: true, kind: celeryBeat, needs: celery, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"celery", "--workdir", "src", "-A", "proj", "beat", "-l", "INFO", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"}
		}},
		{name: "rqworker", kind: rqWorker, needs: python, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"python3", "manage.py", "rqworker", "default"}
		}},
		{name: "rqworker", sub: true, kind: rqWorker, needs: python, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"python3", "src/manage.py", "rqworker", "default"}
		}},
		{name: "qcluster", kind: qCluster, needs: python, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"python3", "manage.py", "qcluster"}
		}},
		{name: "qcluster", sub: true, kind: qCluster, needs: python, sig: syscall.SIGTERM, argv: func(string) []string {
			return []string{"python3", "src/manage.py", "qcluster"}
		}},
	}
}

// TestFindingsArgv starts each recorded command for real, proves it serves or
// finishes work, and stops it with its recorded signal within 10s.
func TestFindingsArgv(t *testing.T) {
	if testing.Short() {
		t.Skip("starts about 25 real servers and workers; run without -short")
	}
	for _, c := range findingCases() {
		layout := "root"
		if c.sub {
			layout = "src"
		}
		t.Run(c.name+"/"+layout, func(t *testing.T) {
			Require(t, c.needs[0], c.needs[1])
			subdir, manage := "", "manage.py"
			if c.sub {
				subdir, manage = "src", "src/manage.py"
			}
			root := CopyFixtureAt(t, fixture, subdir)
			project := filepath.Join(root, subdir) // where proj/ lives
			markers := t.TempDir()
			env := []string{"MARKER_DIR=" + markers, "DATABASE_PATH=" + filepath.Join(t.TempDir(), "db.sqlite3")}
			if c.kind >= celeryWorker {
				env = append(env, "REDIS_URL="+StartRedis(t))
			}
			if c.kind == celeryBeat || c.kind == qCluster {
				migrate := Start(t, []string{"python3", manage, "migrate", "--noinput"}, root, env)
				if code := migrate.Wait(t, 120*time.Second); code != 0 {
					t.Fatalf("migrate exited %d", code)
				}
			}
			// send runs a short Python snippet inside the project to enqueue work.
			send := func(code string) {
				t.Helper()
				s := Start(t, []string{"python3", "-c", code}, project, append([]string{"DJANGO_SETTINGS_MODULE=proj.settings"}, env...))
				if rc := s.Wait(t, 60*time.Second); rc != 0 {
					t.Fatalf("enqueue exited %d:\n%s", rc, s.Output())
				}
			}
			waitMarker := func(p *Proc, name, by string) {
				t.Helper()
				path := filepath.Join(markers, name)
				WaitFor(t, 60*time.Second, func() bool {
					if p.Exited() {
						t.Fatalf("%q exited (code %d) before the marker appeared", p.Argv, p.ExitCode())
					}
					_, err := os.Stat(path)
					return err == nil
				}, "marker "+name)
				if data, _ := os.ReadFile(path); !strings.HasPrefix(string(data), by+" ") {
					t.Fatalf("marker %s = %q, want it written by %s", name, data, by)
				}
			}

			port := strconv.Itoa(FreePort(t))
			argv := c.argv(port)
			p := Start(t, argv, root, env)
			switch c.kind {
			case wsgiServer, asgiServer:
				base := "http://127.0.0.1:" + port
				if st, body := p.WaitHTTP(t, base+"/", 60*time.Second); st != 200 || body != "ok" {
					t.Fatalf("GET / = %d %q, want 200 \"ok\"", st, body)
				}
				if c.kind == asgiServer {
					if st, body := p.WaitHTTP(t, base+"/async/", 10*time.Second); st != 200 || body != "ok async" {
						t.Fatalf("GET /async/ = %d %q, want 200 \"ok async\"", st, body)
					}
				}
			case celeryWorker:
				send("import proj; from shop.tasks import touch_marker; touch_marker.delay('celery-task')")
				waitMarker(p, "celery-task", "celery")
			case celeryBeat:
				// beat only enqueues; a worker runs what it scheduled.
				w := Start(t, []string{"celery", "-A", "proj", "worker", "-l", "INFO", "--concurrency", "1"}, project, env)
				waitMarker(w, "beat-tick", "beat")
				if p.Exited() {
					t.Fatalf("beat exited (code %d)", p.ExitCode())
				}
			case rqWorker:
				send("import django; django.setup(); import django_rq; from shop.jobs import rq_job; django_rq.enqueue(rq_job, 'rq-job')")
				waitMarker(p, "rq-job", "rq")
			case qCluster:
				send("import django; django.setup(); from django_q.tasks import async_task; async_task('shop.jobs.q_task', 'q-task')")
				waitMarker(p, "q-task", "django-q")
				// django-q 1.3's Cluster.start polls start_event every 0.1s
				// (cluster.py:80) and sig_handler->stop() sets it to None
				// (cluster.py:93-94): TERM in that window exits 1 with an
				// AttributeError. Stop only once the cluster says it runs.
				WaitFor(t, 30*time.Second, func() bool { return strings.Contains(p.Output(), "running.") }, "qcluster to log \"running.\"")
				time.Sleep(300 * time.Millisecond)
			}
			took := p.Stop(t, c.sig, 10*time.Second)
			t.Logf("FINDING %s/%s: %s stopped in %s on %v, exit %d", c.name, layout, quoteArgv(argv), took.Round(10*time.Millisecond), c.sig, p.ExitCode())
			if got := p.ExitCode(); got != c.wantExit {
				t.Errorf("exit code after %v = %d, want %d", c.sig, got, c.wantExit)
			}
		})
	}
}

// quoteArgv renders argv as a Procfile command (single quotes where needed).
func quoteArgv(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\"'*$;&|<>()") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// TestUwsgiWithoutDieOnTermIgnoresStop pins the reason --die-on-term is in
// every uwsgi command: without it uWSGI 2.0 treats SIGTERM as "brutal reload"
// and is still running when Docker's 10s stop timeout SIGKILLs it.
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
