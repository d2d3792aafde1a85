package tests

// The "must show" of the backends issue: every backend Debian packages is
// rendered exactly as a deploy renders it (project.Scan on the app, then
// plan.Make, then the Procfile line of that process), turned into argv the
// way Dokku does for a Dockerfile app (procfile.Split: procfile-util's $PORT
// expansion, then xargs' splitting), started with no shell in the app's
// source root, made to do real work (serve a request, run a task, enqueue a
// scheduled task, create tables) and stopped with the backend's own stop
// signal inside Docker's 10 s stop timeout.
//
// Backends Debian does not package are rendered through the same path and
// compared with golden lines (TestServersNotPackaged).
//
// Run: go test ./tests/ -run Servers -count=1 -v

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

const (
	// serversStart is how long a process may take to start serving or to
	// finish a task: generous, for a loaded 2-CPU machine.
	serversStart = 60 * time.Second
	// serversStop is Dokku's default stop-timeout-seconds (ps property,
	// default 30; Dokku passes it to docker stop --time), after which the
	// old container is SIGKILLed: every backend must exit inside it.
	// Docker's own default of 10 s does not apply to Dokku's stops, and on
	// a loaded 2-core machine a Celery warm shutdown can take longer.
	serversStop = 30 * time.Second
)

// serversLayouts are the two source layouts: the project at the source root,
// and manage.py with the project under src/ (reached through each program's
// own flag or the path shim, never a cd).
var serversLayouts = []struct{ name, sub string }{{"root", ""}, {"src", "src"}}

// serversApp is one fresh copy of tests/fixtures/djangoapp with the config a
// deploy would give it (config:set values and Dokku's PORT).
type serversApp struct {
	// unsized plans with the backends' default counts, for a test that
	// compares the catalogue's default line and starts nothing.
	unsized bool
	root    string // the source root: every process starts here
	project string // the folder holding manage.py (root or root/src)
	markers string // MARKER_DIR, where tasks write their markers
	db      string // DATABASE_PATH
	env     []string
}

func newServersApp(t *testing.T, redisURL, sub string) *serversApp {
	t.Helper()
	a := &serversApp{root: realserver.CopyFixtureAt(t, "djangoapp", sub)}
	a.project = filepath.Join(a.root, sub)
	data := t.TempDir()
	a.markers = filepath.Join(data, "markers")
	a.db = filepath.Join(data, "db.sqlite3")
	a.env = []string{
		"DATABASE_PATH=" + a.db,
		"REDIS_URL=" + redisURL,
		"MARKER_DIR=" + a.markers,
		"SECRET_KEY=servers-test-secret-key",
	}
	return a
}

// plan scans the copy as a deploy does and makes the plan with the operator
// choosing backendName for proc (prodserver:backend), enabled=true.
func (a *serversApp) plan(t *testing.T, proc, backendName string, appJSON *plan.Config) *plan.Plan {
	t.Helper()
	facts, err := project.Scan(a.root, project.Options{})
	if err != nil {
		t.Fatalf("project.Scan(%s): %v", a.root, err)
	}
	op := plan.Operator{Enabled: "true"}
	if backendName != "" {
		op.Backends = map[string]string{proc: backendName}
	}
	var size func(string, *backend.Backend, int) (int, int, string)
	var memory func(string) int
	if !a.unsized {
		size, memory = serversRoom.Sizer(), serversRoom.MemoryMB
	}
	return plan.Make(plan.Inputs{Facts: facts, AppJSON: appJSON, Operator: op, Concurrency: size, Memory: memory})
}

// serversRoom sizes every process as a deploy does for an app given
// `resource:limit --cpu 1 --memory 1g`: the processes started are what a
// deploy renders (sized), and the same on any test machine.
var serversRoom = tuning.Room{
	Limits: map[string]map[string]string{tuning.DefaultProc: {"cpu": "1", "memory": "1g"}},
	Host:   tuning.Limits{CPUs: 2, MemoryMB: 4096, From: "host"},
}

// serversProcess returns the managed process proc of plan, failing when the
// plan does not manage it with wantBackend, has a warning or error about it,
// or its Procfile does not hold exactly that line.
func serversProcess(t *testing.T, pl *plan.Plan, proc, wantBackend string) plan.Process {
	t.Helper()
	for _, w := range append(append([]string(nil), pl.Warnings...), pl.Errors...) {
		if strings.HasPrefix(w, proc+":") {
			t.Errorf("plan warns about %s: %s", proc, w)
		}
	}
	p := pl.Process(proc)
	if p == nil || !p.Managed || p.Backend != wantBackend {
		t.Fatalf("plan does not manage %s with %s: %+v\nwarnings: %q\nProcfile:\n%s", proc, wantBackend, p, pl.Warnings, pl.Procfile)
	}
	if !strings.Contains(string(pl.Procfile), proc+": "+p.Command+"\n") {
		t.Fatalf("the Procfile does not hold the line %q:\n%s", proc+": "+p.Command, pl.Procfile)
	}
	return *p
}

// serversArgv does what Dokku does to a Dockerfile app's Procfile command.
func serversArgv(t *testing.T, line, port string) []string {
	t.Helper()
	argv, err := procfile.Split(line, map[string]string{"PORT": port})
	if err != nil {
		t.Fatalf("procfile.Split(%q): %v", line, err)
	}
	for _, w := range argv {
		if strings.Contains(w, "$") {
			t.Fatalf("word %q of %q still holds a '$' after expansion", w, line)
		}
	}
	return argv
}

// serversSignal maps a catalogue stop signal to the signal to send, checking
// it against the catalogue entry itself.
func serversSignal(t *testing.T, p plan.Process) syscall.Signal {
	t.Helper()
	b, err := backend.Lookup(p.Backend)
	if err != nil {
		t.Fatal(err)
	}
	if b.StopSignal != p.StopSignal {
		t.Fatalf("plan says stop signal %q, catalogue %q", p.StopSignal, b.StopSignal)
	}
	sigs := map[string]syscall.Signal{"SIGTERM": syscall.SIGTERM, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT}
	sig, ok := sigs[p.StopSignal]
	if !ok {
		t.Fatalf("unknown stop signal %q", p.StopSignal)
	}
	return sig
}

// serversStopProc stops proc with the backend's stop signal and asserts it exits cleanly
// inside Dokku's stop timeout.
func serversStopProc(t *testing.T, proc *realserver.Proc, p plan.Process) {
	t.Helper()
	sig := serversSignal(t, p)
	took := proc.Stop(t, sig, serversStop)
	if code := proc.ExitCode(); code != 0 {
		t.Errorf("%s exited %d on %s (want 0, a clean stop); output:\n%s", p.Backend, code, p.StopSignal, serversTail(proc.Output()))
	}
	t.Logf("STOP %s: %s → exited %d after %s", p.Backend, p.StopSignal, proc.ExitCode(), took.Round(10*time.Millisecond))
}

// python runs a short Python snippet in the project folder with the app's
// config (as `dokku run` would) and fails unless it exits 0.
func (a *serversApp) python(t *testing.T, code string) int {
	t.Helper()
	env := append([]string{"DJANGO_SETTINGS_MODULE=proj.settings"}, a.env...)
	p := realserver.Start(t, []string{"python3", "-c", code}, a.project, env)
	if rc := p.Wait(t, serversStart); rc != 0 {
		t.Fatalf("python3 -c %q exited %d:\n%s", code, rc, serversTail(p.Output()))
	}
	return p.Pid()
}

// waitMarker waits for MARKER_DIR/name, failing fast if worker exits, and
// checks it was written by a process other than the one that enqueued it.
func (a *serversApp) waitMarker(t *testing.T, worker *realserver.Proc, name, text string, senderPid int) {
	t.Helper()
	path := filepath.Join(a.markers, name)
	realserver.WaitFor(t, serversStart, func() bool {
		if worker.Exited() {
			t.Fatalf("%q exited (code %d) before the task ran; output:\n%s", worker.Argv, worker.ExitCode(), serversTail(worker.Output()))
		}
		_, err := os.Stat(path)
		return err == nil
	}, "marker "+path+" written by "+strings.Join(worker.Argv, " "))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(text) + ` pid=(\d+)\n$`).FindStringSubmatch(string(data))
	if m == nil {
		t.Fatalf("marker %s holds %q, want %q pid=N", path, data, text)
	}
	if m[1] == strconv.Itoa(senderPid) {
		t.Fatalf("marker %s was written by the sender (pid %s), not by the worker", path, m[1])
	}
	t.Logf("task ran in pid %s (worker leader %d)", m[1], worker.Pid())
}

// runMarkerWorker starts the rendered worker line of backendName, sends it a
// task with the Python snippet send, proves the worker (not the sender)
// wrote the marker, and stops it with its stop signal.
func (a *serversApp) runMarkerWorker(t *testing.T, backendName, marker, text, send string) {
	t.Helper()
	p := serversProcess(t, a.plan(t, "worker", backendName, nil), "worker", backendName)
	t.Logf("LINE worker: %s", p.Command)
	proc := realserver.Start(t, serversArgv(t, p.Command, "5000"), a.root, a.env)
	a.waitMarker(t, proc, marker, text, a.python(t, send))
	serversStopProc(t, proc, p)
}

// release runs the plan's rendered release line (migrate), as Dokku does
// before starting the new processes, and fails unless it exits 0.
func (a *serversApp) release(t *testing.T, pl *plan.Plan) plan.Process {
	t.Helper()
	p := serversProcess(t, pl, "release", "migrate")
	if strings.Contains(p.Command, "&&") {
		t.Fatalf("release line %q chains commands; this test runs one", p.Command)
	}
	argv := serversArgv(t, p.Command, "5000")
	proc := realserver.Start(t, argv, a.root, a.env)
	if rc := proc.Wait(t, serversStart); rc != 0 {
		t.Fatalf("release %q exited %d:\n%s", p.Command, rc, serversTail(proc.Output()))
	}
	return p
}

// sqliteTables lists the tables of the sqlite database at path.
func sqliteTables(t *testing.T, path string) []string {
	t.Helper()
	cmd := exec.Command("/usr/bin/python3", "-c",
		`import sqlite3,sys; print("\n".join(r[0] for r in sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True).execute("select name from sqlite_master where type='table' order by name")))`, path)
	cmd.Env = []string{"PATH=" + realserver.SystemPath}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("reading tables of %s: %v\n%s", path, err, out)
	}
	return strings.Fields(string(out))
}

func serversTail(s string) string {
	if len(s) > 4000 {
		return "...(cut)...\n" + s[len(s)-4000:]
	}
	return s
}

// TestServersWeb starts every Debian-packaged web backend from its rendered
// web line, in both layouts: GET / answers 200 "ok" on $PORT (ASGI servers
// also run the async view at /async/), and the backend's stop signal stops it
// inside 10 s.
func TestServersWeb(t *testing.T) {
	began := time.Now()
	redisURL := realserver.StartRedis(t)
	for _, c := range []struct {
		backend string
		program string // on SystemPath; the Debian package in parentheses
		pkg     string
		appJSON string // app.json's prodserver section, when the app must say more
		files   map[string]string
	}{
		{backend: "gunicorn", program: "gunicorn", pkg: "gunicorn"},
		{backend: "gunicorn-uvicorn", program: "gunicorn", pkg: "gunicorn python3-uvicorn"},
		{backend: "uvicorn", program: "uvicorn", pkg: "uvicorn"},
		// django-prodserver's UvicornWSGIServer: uvicorn --interface=wsgi.
		{backend: "uvicorn-wsgi", program: "uvicorn", pkg: "uvicorn"},
		{backend: "waitress", program: "waitress-serve", pkg: "python3-waitress"},
		{backend: "hypercorn", program: "hypercorn", pkg: "python3-hypercorn"},
		{backend: "daphne", program: "daphne", pkg: "daphne"},
		// Debian's uWSGI is modular: the Python plugin must be loaded
		// first. The app's Dockerfile installs it, so the render loads it
		// (no option set). TestServersUwsgiDefaultNeedsMonolithic covers
		// the line without one.
		{backend: "uwsgi", program: "uwsgi", pkg: "uwsgi-core uwsgi-plugin-python3",
			// heroku-buildpack-apt's Aptfile: the scan reads it (a Dockerfile's
			// final stage is the deploy's to read, src/deploy image.go).
			files: map[string]string{"Aptfile": "uwsgi\nuwsgi-plugin-python3\n"}},
	} {
		for _, l := range serversLayouts {
			t.Run(c.backend+"/"+l.name, func(t *testing.T) {
				realserver.Require(t, c.program, c.pkg)
				a := newServersApp(t, redisURL, l.sub)
				for name, content := range c.files {
					if err := os.WriteFile(filepath.Join(a.root, name), []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				var cfg *plan.Config
				if c.appJSON != "" {
					if err := os.WriteFile(filepath.Join(a.root, "app.json"), []byte(c.appJSON), 0o644); err != nil {
						t.Fatal(err)
					}
					var found bool
					var err error
					cfg, found, err = plan.AppJSON([]byte(c.appJSON))
					if err != nil || !found {
						t.Fatalf("app.json: found=%v err=%v", found, err)
					}
				}
				pl := a.plan(t, "web", c.backend, cfg)
				p := serversProcess(t, pl, "web", c.backend)
				b, _ := backend.Lookup(c.backend)
				t.Logf("LINE web: %s", p.Command)
				if c.backend == "uwsgi" && !strings.HasPrefix(p.Command, "uwsgi --plugin=python3 ") {
					t.Fatalf("the Aptfile installs uwsgi-plugin-python3, but the line does not load it first: %s", p.Command)
				}

				port := strconv.Itoa(realserver.FreePort(t))
				argv := serversArgv(t, p.Command, port)
				proc := realserver.Start(t, argv, a.root, append([]string{"PORT=" + port}, a.env...))
				base := "http://127.0.0.1:" + port
				status, body := proc.WaitHTTP(t, base+"/", serversStart)
				if status != 200 || body != "ok" {
					t.Fatalf("GET / = %d %q, want 200 \"ok\"; output:\n%s", status, body, serversTail(proc.Output()))
				}
				if b.Kind == backend.KindASGI {
					status, body = proc.WaitHTTP(t, base+"/async/", serversStart)
					if status != 200 || body != "ok async" {
						t.Fatalf("GET /async/ = %d %q, want 200 \"ok async\"; output:\n%s", status, body, serversTail(proc.Output()))
					}
				}
				serversStopProc(t, proc, p)
			})
		}
	}
	t.Logf("TestServersWeb wall time %s", time.Since(began).Round(100*time.Millisecond))
}

// TestServersUwsgiDefaultNeedsMonolithic pins down what the default uwsgi
// line (no plugin option) assumes: a uWSGI with Python built in, as pip's
// uwsgi (which the fixture's requirements.txt declares) is. Debian's modular
// uwsgi refuses it before loading anything, which is why an app on Debian's
// uwsgi must set the plugin option (TestServersWeb does).
func TestServersUwsgiDefaultNeedsMonolithic(t *testing.T) {
	realserver.Require(t, "uwsgi", "uwsgi-core")
	a := newServersApp(t, "redis://127.0.0.1:1/0", "")
	p := serversProcess(t, a.plan(t, "web", "uwsgi", nil), "web", "uwsgi")
	const want = "uwsgi --http-socket=0.0.0.0:$PORT --module=proj.wsgi:application --master --processes=3 --die-on-term --need-app --enable-threads"
	if p.Command != want {
		t.Fatalf("default uwsgi line\n got %s\nwant %s", p.Command, want)
	}
	port := strconv.Itoa(realserver.FreePort(t))
	proc := realserver.Start(t, serversArgv(t, p.Command, port), a.root, a.env)
	if rc := proc.Wait(t, serversStart); rc == 0 || !strings.Contains(proc.Output(), "unrecognized option '--module=proj.wsgi:application'") {
		t.Fatalf("Debian's modular uwsgi ran the default line without --plugin=python3 (exit %d); if it now has Python built in, start this line for real instead:\n%s", rc, proc.Output())
	}
	t.Logf("not started for real: %q needs a uWSGI with Python built in (pip's uwsgi); Debian's modular uwsgi says %q",
		p.Command, strings.TrimSpace(strings.SplitN(proc.Output(), "\n", 2)[0]))
}

// TestServersWorkers starts each Debian-packaged task worker and scheduler
// from its rendered line, in both layouts, and proves it does its job.
func TestServersWorkers(t *testing.T) {
	began := time.Now()
	realserver.Require(t, "celery", "celery")
	redisURL := realserver.StartRedis(t)
	for _, l := range serversLayouts {
		// celery-worker: a task sent with .delay() through the real redis
		// broker is run by the worker, which writes its marker.
		t.Run("celery-worker/"+l.name, func(t *testing.T) {
			newServersApp(t, redisURL, l.sub).runMarkerWorker(t, "celery-worker", "celery-task", "celery",
				"import proj; from shop.tasks import touch_marker; print(touch_marker.delay('celery-task').id)")
		})

		// celery-beat: after the release line migrated the database (the
		// DatabaseScheduler's tables), beat enqueues the fixture's 1 s
		// schedule into the redis queue `celery`; no worker consumes it, so
		// the messages are there to read.
		t.Run("celery-beat/"+l.name, func(t *testing.T) {
			a := newServersApp(t, redisURL, l.sub)
			// A database of its own on redis: the worker subtests share the
			// server, and this one counts messages in the queue.
			db := map[string]string{"root": "1", "src": "2"}[l.name]
			beatRedis := strings.TrimSuffix(redisURL, "/0") + "/" + db
			for i, e := range a.env {
				if strings.HasPrefix(e, "REDIS_URL=") {
					a.env[i] = "REDIS_URL=" + beatRedis
				}
			}
			pl := a.plan(t, "beat", "celery-beat", nil)
			p := serversProcess(t, pl, "beat", "celery-beat")
			if !strings.Contains(p.Command, "--scheduler="+project.DatabaseScheduler) {
				t.Fatalf("beat line %q lacks the DatabaseScheduler the app declares (django-celery-beat)", p.Command)
			}
			rel := a.release(t, pl)
			t.Logf("LINE release: %s", rel.Command)
			t.Logf("LINE beat: %s", p.Command)
			if n, err := realserver.RedisCommand(beatRedis, "LLEN", "celery"); err != nil || n != int64(0) {
				t.Fatalf("queue celery on %s is not empty before beat starts: %v %v", beatRedis, n, err)
			}
			proc := realserver.Start(t, serversArgv(t, p.Command, "5000"), a.root, a.env)
			var msgs []string
			realserver.WaitFor(t, serversStart, func() bool {
				if proc.Exited() {
					t.Fatalf("beat exited (code %d); output:\n%s", proc.ExitCode(), serversTail(proc.Output()))
				}
				reply, err := realserver.RedisCommand(beatRedis, "LRANGE", "celery", "0", "-1")
				if err != nil {
					t.Fatalf("LRANGE celery: %v", err)
				}
				msgs = msgs[:0]
				for _, m := range reply.([]any) {
					if s := m.(string); strings.Contains(s, "shop.tasks.beat_tick") {
						msgs = append(msgs, s)
					}
				}
				return len(msgs) >= 2
			}, "beat to enqueue shop.tasks.beat_tick twice into the redis queue celery")
			t.Logf("beat enqueued %d beat_tick messages; first: %.160s…", len(msgs), msgs[0])
			serversStopProc(t, proc, p)
		})

		// rq-worker: a job enqueued into the default queue with django_rq
		// is run by the worker's work horse, which writes its marker.
		t.Run("rq-worker/"+l.name, func(t *testing.T) {
			newServersApp(t, redisURL, l.sub).runMarkerWorker(t, "rq-worker", "rq-job", "rq",
				"import django; django.setup(); import django_rq; from shop.jobs import rq_job; print(django_rq.get_queue('default').enqueue(rq_job, 'rq-job').id)")
		})

		// django-q: a task sent with async_task is run by the cluster. It is
		// stopped only after it said it runs: a TERM during django-q 1.3.9's
		// start-up can exit 1 (see tests/realserver/FINDINGS.md).
		t.Run("django-q/"+l.name, func(t *testing.T) {
			a := newServersApp(t, redisURL, l.sub)
			p := serversProcess(t, a.plan(t, "worker", "django-q", nil), "worker", "django-q")
			t.Logf("LINE worker: %s", p.Command)
			proc := realserver.Start(t, serversArgv(t, p.Command, "5000"), a.root, a.env)
			running := regexp.MustCompile(`Q Cluster \S+ running\.`)
			realserver.WaitFor(t, serversStart, func() bool {
				if proc.Exited() {
					t.Fatalf("qcluster exited (code %d); output:\n%s", proc.ExitCode(), serversTail(proc.Output()))
				}
				return running.MatchString(proc.Output())
			}, "qcluster to report `Q Cluster … running.`")
			sender := a.python(t, "import django; django.setup(); from django_q.tasks import async_task; print(async_task('shop.jobs.q_task', 'q-task'))")
			a.waitMarker(t, proc, "q-task", "django-q", sender)
			serversStopProc(t, proc, p)
		})

		// migrate, the release line: the app's tables and Django's
		// migration record exist afterwards.
		t.Run("migrate/"+l.name, func(t *testing.T) {
			a := newServersApp(t, redisURL, l.sub)
			p := a.release(t, a.plan(t, "release", "", nil))
			t.Logf("LINE release: %s", p.Command)
			tables := sqliteTables(t, a.db)
			for _, want := range []string{"django_migrations", "shop_hit", "django_celery_beat_periodictask", "django_q_task"} {
				found := false
				for _, tb := range tables {
					found = found || tb == want
				}
				if !found {
					t.Errorf("table %s missing after %q; tables: %q", want, p.Command, tables)
				}
			}
		})
	}
	t.Logf("TestServersWorkers wall time %s", time.Since(began).Round(100*time.Millisecond))
}

// TestServersNotPackaged renders the backends Debian does not package
// through the same path (scan, plan, Procfile line) for an app that declares
// the backend's package, and compares with golden lines; their flags were
// checked against the sources each catalogue entry's Verified names.
func TestServersNotPackaged(t *testing.T) {
	for _, c := range []struct {
		backend, proc string
		program       string // what is not packaged, for the log
		module        string // its Python module, to notice when it becomes installed
		declare       string // the requirements.txt line the app adds
		root, src     string // the golden Procfile commands
	}{
		{"granian-wsgi", "web", "granian", "granian", "granian",
			"granian --interface=wsgi --host=0.0.0.0 --port=$PORT --workers=2 proj.wsgi:application",
			"granian --interface=wsgi --host=0.0.0.0 --port=$PORT --working-dir=src --workers=2 proj.wsgi:application"},
		{"granian-asgi", "web", "granian", "granian", "granian",
			"granian --interface=asgi --host=0.0.0.0 --port=$PORT --workers=2 proj.asgi:application",
			"granian --interface=asgi --host=0.0.0.0 --port=$PORT --working-dir=src --workers=2 proj.asgi:application"},
		{"dramatiq", "worker", "dramatiq (django-dramatiq's rundramatiq)", "django_dramatiq", "django-dramatiq",
			"python manage.py rundramatiq --processes=2 --threads=8",
			"python src/manage.py rundramatiq --path=src --processes=2 --threads=8"},
		{"huey", "worker", "huey (run_huey)", "huey", "huey",
			"python manage.py run_huey --workers=2",
			"python src/manage.py run_huey --workers=2"},
		{"django-tasks", "worker", "django-tasks-db (db_worker)", "django_tasks", "django-tasks-db",
			"python manage.py db_worker --no-reload",
			"python src/manage.py db_worker --no-reload"},
		{"celery-flower", "flower", "flower", "flower", "flower",
			"celery --app=proj.celery flower --address=0.0.0.0 --port=$PORT",
			"celery --workdir=src --app=proj.celery flower --address=0.0.0.0 --port=$PORT"},
	} {
		t.Run(c.backend, func(t *testing.T) {
			b, err := backend.Lookup(c.backend)
			if err != nil {
				t.Fatal(err)
			}
			probe := exec.Command("/usr/bin/python3", "-c", "import "+c.module)
			probe.Env = []string{"PATH=" + realserver.SystemPath}
			if probe.Run() == nil {
				t.Errorf("Python module %s is importable now: start %s for real in TestServersWeb/TestServersWorkers instead of comparing strings", c.module, c.backend)
			}
			for _, l := range serversLayouts {
				t.Run(l.name, func(t *testing.T) {
					a := newServersApp(t, "redis://127.0.0.1:1/0", l.sub)
					a.unsized = true // nothing is started: the catalogue's default line
					req := filepath.Join(a.root, "requirements.txt")
					old, err := os.ReadFile(req)
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(req, append(old, []byte(c.declare+"\n")...), 0o644); err != nil {
						t.Fatal(err)
					}
					p := serversProcess(t, a.plan(t, c.proc, c.backend, nil), c.proc, c.backend)
					want := map[string]string{"root": c.root, "src": c.src}[l.name]
					if p.Command != want {
						t.Fatalf("%s line\n got %s\nwant %s", c.proc, p.Command, want)
					}
					argv := serversArgv(t, p.Command, "5000")
					if argv[0] != b.Program {
						t.Errorf("argv[0] = %q, want %q", argv[0], b.Program)
					}
					if b.Web && !strings.Contains(strings.Join(argv, " "), "--port=5000") {
						t.Errorf("web line %q does not bind $PORT", p.Command)
					}
				})
			}
			t.Logf("not started: %s is not packaged in Debian; flags checked against the sources in the catalogue's Verified: %s", c.program, b.Verified)
		})
	}
}
