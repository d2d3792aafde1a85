package backend

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// Debian's programs and Python come first on PATH: on these machines a
// pyenv python3 would otherwise shadow /usr/bin/python3 and not see Debian's
// packages, and a Dokku container's own Python is the only one it has.
const (
	debianPath   = "/usr/bin:/bin"
	debianPython = "/usr/bin/python3"
)

// Flags of programs that are not installable here, recorded from their
// sources so the rendered flags can still be checked (these programs are
// never started by the tests).
var (
	// granian/cli.py at emmett-framework/granian v2.8.1 (--x/--no-x pairs split).
	granianFlags = words("--access-log --access-log-fmt --backlog --backpressure --blocking-threads --blocking-threads-idle-timeout --env-files --factory --host --http --http1-buffer-size --http1-header-read-timeout --http1-keep-alive --http1-pipeline-flush --http2-adaptive-window --http2-initial-connection-window-size --http2-initial-stream-window-size --http2-keep-alive-interval --http2-keep-alive-timeout --http2-max-concurrent-streams --http2-max-frame-size --http2-max-headers-size --http2-max-send-buffer-size --interface --log --log-config --log-level --loop --metrics --metrics-address --metrics-port --metrics-scrape-interval --no-access-log --no-factory --no-http1-keep-alive --no-http1-pipeline-flush --no-http2-adaptive-window --no-log --no-metrics --no-reload --no-respawn-failed-workers --no-ssl-client-verify --no-ws --pid-file --port --process-name --reload --reload-ignore-dirs --reload-ignore-paths --reload-ignore-patterns --reload-paths --reload-tick --respawn-failed-workers --respawn-interval --rss-sample-interval --rss-samples --runtime-blocking-threads --runtime-mode --runtime-threads --ssl-ca --ssl-certificate --ssl-client-verify --ssl-crl --ssl-keyfile --ssl-keyfile-password --ssl-protocol-min --static-path-dir-to-file --static-path-expires --static-path-mount --static-path-route --task-impl --uds --uds-permissions --url-path-prefix --workers --workers-kill-timeout --workers-lifetime --workers-max-rss --working-dir --ws")
	// django_tasks_db/management/commands/db_worker.py at RealOrangeOne/django-tasks-db
	// 0.12.0; --reload is an argparse BooleanOptionalAction, which adds --no-reload.
	djangoTasksFlags = words("--queue-name --exclude-queues --interval --batch --reload --no-reload --backend --no-startup-delay --max-tasks --worker-id")
	// django_dramatiq/management/commands/rundramatiq.py at Bogdanp/django_dramatiq.
	dramatiqFlags = words("--skip-logging --reload --watch --reload-use-polling --use-spawn --use-gevent --processes --threads --path --queues --pid-file --log-file --fork-function --worker-shutdown-timeout")
	// huey/contrib/djhuey/management/commands/run_huey.py with the options of
	// huey/consumer_options.py at coleifer/huey (--verbose becomes --huey-verbose).
	hueyFlags = words("--logfile --huey-verbose --quiet --simple --workers --worker-type --delay --max-delay --backoff --health-check-interval --disable-health-check --flush-locks --extra-locks --max-tasks --scheduler-interval --no-periodic --disable-autoload")
	// flower/options.py at mher/flower: tornado options, '_' read as '-'.
	flowerFlags = words("--port --address --unix-socket --debug --inspect-timeout --auth --basic-auth --max-workers --max-tasks --db --persistent --state-save-interval --broker-api --ca-certs --certfile --keyfile --xheaders --auto-refresh --purge-offline-workers --cookie-secret --conf --enable-events --format-task --natural-time --tasks-columns --auth-provider --url-prefix --task-runtime-metric-buckets --read-only")
	// django_rq/management/commands/rqworker-pool.py at rq/django-rq (since v2.10.1).
	rqPoolFlags = words("--num-workers --worker-class --pid --burst --queue-class --job-class --serializer --worker-ttl --max-jobs --with-scheduler")
	// django_prodserver/management/commands/prodserver.py at
	// nanorepublica/django-prodserver 2.4.0: a process name and --list.
	prodserverFlags = words("--list")
)

// moreFlagChecks are the flag checks a backend's own test file adds (in its
// init), so a new backend brings its check with it.
var moreFlagChecks []flagCheck

// flagName matches long flags in help output and argv words.
var flagName = regexp.MustCompile(`--[A-Za-z0-9][A-Za-z0-9_-]*`)

// helpFlags runs each command with Debian's PATH and returns every long flag
// its output mentions. waitress-serve writes "--[no-]x" for a pair.
func helpFlags(t *testing.T, dir string, cmds ...[]string) map[string]bool {
	t.Helper()
	flags := map[string]bool{}
	pair := regexp.MustCompile(`--\[no-\]([A-Za-z0-9-]+)`)
	for _, argv := range cmds {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+debianPath)
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%q: %v\n%s", argv, err, out)
		}
		text := pair.ReplaceAllString(string(out), "--$1 --no-$1")
		for _, f := range flagName.FindAllString(text, -1) {
			flags[f] = true
		}
	}
	return flags
}

// renderedFlags renders b for each Context and returns the long flags of
// every argv word ("--x=y" gives "--x").
func renderedFlags(t *testing.T, b *Backend, ctxs ...Context) []string {
	t.Helper()
	var out []string
	for _, c := range ctxs {
		argv, err := b.Render(c)
		if err != nil {
			t.Fatalf("%s: %v", b.Name, err)
		}
		for _, w := range argv {
			if strings.HasPrefix(w, "--") {
				out = append(out, flagName.FindString(w))
			}
		}
	}
	return out
}

// specFlags returns the flags of b's non-control OptionSpecs, including
// their Negative forms.
func specFlags(b *Backend) []string {
	var out []string
	for _, s := range b.Options {
		if s.Control {
			continue
		}
		f := s.Flag
		if f == "" {
			f = "--" + s.Name
		}
		out = append(out, f)
		if s.Negative != "" {
			out = append(out, flagName.FindString(s.Negative))
		}
	}
	return out
}

// djangoProject writes a minimal Django project whose manage.py can print
// the help of the management commands prodserver renders.
func djangoProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"proj/__init__.py": "",
		"proj/settings.py": `SECRET_KEY = "test"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.staticfiles", "django_rq", "django_q"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
STATIC_URL = "/static/"
RQ_QUEUES = {"default": {"HOST": "localhost", "PORT": 6379, "DB": 0}}
Q_CLUSTER = {"name": "test", "orm": "default"}
`,
		"manage.py": `import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// installed reports whether a Debian program (or Python module) is present.
func installed(prog string) bool {
	_, err := os.Stat(prog)
	return err == nil
}

// flagCheck says where one backend's flags are checked.
type flagCheck struct {
	backend    string
	ctxs       []Context  // extra Contexts to render beyond both layouts
	prog       string     // Debian file that must exist for help to run
	help       [][]string // commands whose --help lists the flags
	documented []string   // flags recorded from the sources, for what is not installed
	source     string     // where documented flags come from
}

// TestFlagsExistInPrograms checks every long flag each backend renders (in
// both layouts, with concurrency and package-dependent choices) and every
// flag its OptionSpecs name against the real program's --help, run with
// Debian's PATH. Programs not installable here are checked against the flag
// lists recorded from their sources above, and the test says so.
func TestFlagsExistInPrograms(t *testing.T) {
	if testing.Short() {
		t.Skip("runs each program's --help")
	}
	if !installed(debianPython) {
		t.Skip("Debian's /usr/bin/python3 is not installed")
	}
	py := func(c Context) Context { c.Python = debianPython; return c }
	busy := func(c Context) Context { c.Workers, c.Threads = 3, 2; return py(c) }
	pkgs := func(c Context, kv ...string) Context {
		c = busy(c)
		c.Packages = map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			c.Packages[kv[i]] = kv[i+1]
		}
		return c
	}
	project := ""
	manage := func(cmds ...string) [][]string {
		if project == "" {
			project = djangoProject(t)
		}
		var out [][]string
		for _, c := range cmds {
			out = append(out, []string{debianPython, "manage.py", c, "--help"})
		}
		return out
	}

	tests := []flagCheck{
		{backend: "gunicorn", prog: "/usr/bin/gunicorn", help: [][]string{{"gunicorn", "--help"}}},
		{backend: "gunicorn-uvicorn", prog: "/usr/bin/gunicorn", help: [][]string{{"gunicorn", "--help"}}},
		// waitress-serve --help lists only part of what it parses: its
		// getopt takes every Adjustments._params entry as --name=.
		{backend: "waitress", prog: "/usr/bin/waitress-serve", help: [][]string{{"waitress-serve", "--help"}},
			documented: []string{"--trusted-proxy", "--trusted-proxy-headers"}, source: "waitress/adjustments.py Adjustments._params and parse_args (waitress 2.1.2, Debian); started with them in tests/proxy_test.go"},
		{backend: "uwsgi", prog: "/usr/bin/uwsgi", help: [][]string{{"uwsgi", "--plugin", "python3", "--help"}}},
		{backend: "uvicorn", prog: "/usr/bin/uvicorn", help: [][]string{{"uvicorn", "--help"}}},
		{backend: "uvicorn-wsgi", prog: "/usr/bin/uvicorn", help: [][]string{{"uvicorn", "--help"}}},
		{backend: "hypercorn", prog: "/usr/bin/hypercorn", help: [][]string{{"hypercorn", "--help"}}},
		{backend: "daphne", prog: "/usr/bin/daphne", help: [][]string{{"daphne", "--help"}}},
		{backend: "celery-worker", prog: "/usr/bin/celery", help: [][]string{{"celery", "--help"}, {"celery", "worker", "--help"}}},
		{backend: "celery-beat", prog: "/usr/bin/celery", help: [][]string{{"celery", "--help"}, {"celery", "beat", "--help"}},
			ctxs: []Context{pkgs(sub, "django-celery-beat", "")}},
		{backend: "rq-worker", prog: "/usr/lib/python3/dist-packages/django_rq", help: manage("rqworker"),
			documented: rqPoolFlags, source: "rqworker-pool: django_rq/management/commands/rqworker-pool.py (rq/django-rq >= 2.10.1; Debian has 2.7)",
			ctxs: []Context{pkgs(root, "django-rq", ">=2.10.1")}},
		{backend: "django-q", prog: "/usr/lib/python3/dist-packages/django_q", help: manage("qcluster")},
		{backend: "migrate", prog: "/usr/lib/python3/dist-packages/django", help: manage("migrate", "collectstatic"),
			ctxs: []Context{py(with(root, func(c *Context) { c.Options = opts("collectstatic", true) }))}},
		{backend: "granian-wsgi", documented: granianFlags, source: "granian/cli.py, emmett-framework/granian v2.8.1"},
		{backend: "granian-asgi", documented: granianFlags, source: "granian/cli.py, emmett-framework/granian v2.8.1"},
		{backend: "django-tasks", documented: djangoTasksFlags, source: "django_tasks_db/management/commands/db_worker.py, RealOrangeOne/django-tasks-db 0.12.0"},
		{backend: "dramatiq", documented: dramatiqFlags, source: "django_dramatiq/management/commands/rundramatiq.py, Bogdanp/django_dramatiq"},
		{backend: "huey", documented: hueyFlags, source: "huey/contrib/djhuey/management/commands/run_huey.py + huey/consumer_options.py, coleifer/huey"},
		{backend: "django-prodserver", documented: prodserverFlags, source: "django_prodserver/management/commands/prodserver.py, nanorepublica/django-prodserver 2.4.0"},
	}
	// flower is checked against the real `celery flower --help` when it is
	// installed, else against its recorded options.
	flower := flagCheck{backend: "celery-flower", prog: "/usr/bin/celery", help: [][]string{{"celery", "--help"}},
		documented: flowerFlags, source: "flower's options: flower/options.py, mher/flower"}
	if installed("/usr/lib/python3/dist-packages/flower") {
		flower.help, flower.documented = append(flower.help, []string{"celery", "flower", "--help"}), nil
	}
	tests = append(tests, flower)
	tests = append(tests, moreFlagChecks...)

	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.backend] = true
		t.Run(tt.backend, func(t *testing.T) {
			b, err := Lookup(tt.backend)
			if err != nil {
				t.Fatal(err)
			}
			allowed := map[string]bool{}
			for _, f := range tt.documented {
				allowed[f] = true
			}
			if tt.help != nil {
				if !installed(tt.prog) {
					t.Skipf("%s is not installed; install the Debian package to check %s", tt.prog, tt.backend)
				}
				for f := range helpFlags(t, project, tt.help...) {
					allowed[f] = true
				}
				t.Logf("%s: flags checked against %q", b.Name, tt.help)
			}
			if tt.documented != nil {
				t.Logf("%s: not installable here, so NOT started; its flags checked against %s", b.Name, tt.source)
			}
			ctxs := append([]Context{py(root), py(sub), busy(root), busy(sub)}, tt.ctxs...)
			check := append(renderedFlags(t, b, ctxs...), specFlags(b)...)
			sort.Strings(check)
			for i, f := range check {
				if i > 0 && check[i-1] == f {
					continue
				}
				if !allowed[f] {
					t.Errorf("%s renders or knows %s, which the program does not accept", b.Name, f)
				}
			}
		})
	}
	for _, b := range All() {
		if !covered[b.Name] {
			t.Errorf("%s has no flag check", b.Name)
		}
	}
}

// TestWorkerClassesExist checks that the dotted classes rendered as flag
// values exist in Debian's packages (uvicorn_worker is not packaged here).
func TestWorkerClassesExist(t *testing.T) {
	checks := map[string]string{
		"/usr/lib/python3/dist-packages/uvicorn/workers.py":               "class UvicornWorker",
		"/usr/lib/python3/dist-packages/django_celery_beat/schedulers.py": "class DatabaseScheduler",
		"/usr/lib/python3/dist-packages/waitress/runner.py":               "def run(",
		"/usr/lib/python3/dist-packages/daphne/cli.py":                    "def entrypoint(",
	}
	for file, want := range checks {
		t.Run(filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Skipf("%s is not installed, so %q is not checked; install its Debian package", file, want)
			}
			if !strings.Contains(string(body), want) {
				t.Errorf("%s has no %q", file, want)
			}
		})
	}
	t.Log("uvicorn_worker.UvicornWorker (package uvicorn-worker) and gunicorn's asgi worker (gunicorn >= 25.1) are not packaged here: not checked")
}
