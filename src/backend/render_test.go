package backend

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// root and sub are the two layouts every backend is rendered for: manage.py
// at the source root, and manage.py under src/.
var (
	root = Context{Proc: "web", WSGI: "proj.wsgi:application", ASGI: "proj.asgi:application", CeleryApp: "proj"}
	sub  = Context{Proc: "web", ProjectDir: "src", ManagePy: "src/manage.py", WSGI: "proj.wsgi:application", ASGI: "proj.asgi:application", CeleryApp: "proj"}
)

// words splits a golden argv written with single spaces.
func words(s string) []string { return strings.Split(s, " ") }

// with returns a copy of c changed by f.
func with(c Context, f func(*Context)) Context {
	c.Packages = map[string]string{}
	c.Options = append([]Option(nil), c.Options...)
	f(&c)
	return c
}

// opts is shorthand for a Context's options.
func opts(kv ...any) []Option {
	var out []Option
	for i := 0; i < len(kv); i += 2 {
		out = append(out, Option{Key: kv[i].(string), Value: kv[i+1]})
	}
	return out
}

const (
	waitressShim = `sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));sys.exit(__import__("waitress.runner").runner.run())`
	daphneShim   = `sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));__import__("daphne.cli").cli.CommandLineInterface.entrypoint()`
)

// TestRenderLayouts is the golden argv of every backend in both layouts with
// nothing but the required facts: each catalogue entry's Examples, which
// the README's catalogue table shows. The goldens live in the backend's own
// file, so a new backend brings its own.
func TestRenderLayouts(t *testing.T) {
	for _, b := range All() {
		if b.Examples.Root == "" || b.Examples.Sub == "" {
			t.Errorf("%s: no golden Examples in its catalogue entry", b.Name)
			continue
		}
		for _, layout := range []struct {
			name string
			c    Context
			want []string
		}{{"root", root, words(b.Examples.Root)}, {"sub", sub, words(b.Examples.Sub)}} {
			got, err := b.Render(layout.c)
			if err != nil {
				t.Errorf("%s/%s: %v", b.Name, layout.name, err)
				continue
			}
			if !reflect.DeepEqual(got, layout.want) {
				t.Errorf("%s/%s:\n got %q\nwant %q", b.Name, layout.name, got, layout.want)
			}
		}
	}
}

// TestShimGoldens pins the python -c shims of the two servers without a
// directory flag word for word, since their Examples are written with
// the same text.
func TestShimGoldens(t *testing.T) {
	for name, shim := range map[string]string{"waitress": waitressShim, "daphne": daphneShim} {
		b, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if w := words(b.Examples.Sub); len(w) < 4 || w[0] != "python" || w[1] != "-c" || w[2] != shim || w[3] != "src" {
			t.Errorf("%s: sub-folder golden %q does not start python -c <shim> src", name, b.Examples.Sub)
		}
	}
}

// TestRenderVariants covers concurrency, package-dependent choices, every
// option type, option replacement of rendered flags, and Args.
func TestRenderVariants(t *testing.T) {
	tests := []struct {
		name    string
		backend string
		c       Context
		want    []string
	}{
		// Concurrency from Context.
		{"gunicorn workers and threads", "gunicorn",
			with(root, func(c *Context) { c.Workers, c.Threads = 5, 4 }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=5 --threads=4 --worker-connections=8 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},
		{"gunicorn with one worker is never recycled", "gunicorn",
			with(root, func(c *Context) { c.Workers = 1 }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=1 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- proj.wsgi:application")},
		{"gunicorn workers option of 1 is never recycled", "gunicorn",
			with(root, func(c *Context) { c.Options = opts("workers", 1) }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=1 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- proj.wsgi:application")},
		{"waitress ignores workers, takes threads", "waitress",
			with(root, func(c *Context) { c.Workers, c.Threads = 5, 16 }),
			words("waitress-serve --listen=0.0.0.0:$PORT --threads=16 --trusted-proxy=* --trusted-proxy-headers=x-forwarded-proto proj.wsgi:application")},
		{"uwsgi processes and threads", "uwsgi",
			with(root, func(c *Context) { c.Workers, c.Threads = 4, 2 }),
			words("uwsgi --http-socket=0.0.0.0:$PORT --module=proj.wsgi:application --master --processes=4 --threads=2 --die-on-term --need-app --enable-threads")},
		{"granian-wsgi blocking threads", "granian-wsgi",
			with(root, func(c *Context) { c.Workers, c.Threads = 3, 8 }),
			words("granian --interface=wsgi --host=0.0.0.0 --port=$PORT --workers=3 --blocking-threads=8 proj.wsgi:application")},
		{"granian-asgi ignores threads", "granian-asgi",
			with(root, func(c *Context) { c.Workers, c.Threads = 3, 8 }),
			words("granian --interface=asgi --host=0.0.0.0 --port=$PORT --workers=3 proj.asgi:application")},
		{"daphne ignores workers", "daphne",
			with(root, func(c *Context) { c.Workers = 4 }),
			words("daphne --bind=0.0.0.0 --port=$PORT --proxy-headers proj.asgi:application")},
		{"celery concurrency", "celery-worker",
			with(root, func(c *Context) { c.Workers = 6 }),
			words("celery --app=proj worker --loglevel=INFO --concurrency=6 --max-tasks-per-child=1000")},
		{"dramatiq processes and threads", "dramatiq",
			with(root, func(c *Context) { c.Workers, c.Threads = 3, 2 }),
			words("python manage.py rundramatiq --processes=3 --threads=2")},
		{"huey workers", "huey",
			with(root, func(c *Context) { c.Workers, c.Threads = 8, 3 }),
			words("python manage.py run_huey --workers=8")},
		{"huey workers are sized as workers; threads do not apply", "huey",
			with(root, func(c *Context) { c.Workers, c.Threads = 5, 9 }),
			words("python manage.py run_huey --workers=5")},
		{"huey ignores threads alone", "huey",
			with(root, func(c *Context) { c.Threads = 9 }),
			words("python manage.py run_huey --workers=2")},
		{"gunicorn gevent workers get no connection cap", "gunicorn",
			with(root, func(c *Context) { c.Options = opts("worker-class", "gevent") }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=gevent proj.wsgi:application")},
		{"gunicorn explicit gthread keeps the cap", "gunicorn",
			with(root, func(c *Context) { c.Options = opts("worker-class", "gthread") }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=gthread proj.wsgi:application")},

		// Choices made from the declared packages.
		{"uvicorn-worker package", "gunicorn-uvicorn",
			with(root, func(c *Context) { c.Packages["uvicorn-worker"] = ">=0.2" }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=uvicorn_worker.UvicornWorker proj.asgi:application")},
		{"django-celery-beat scheduler", "celery-beat",
			with(sub, func(c *Context) { c.Packages["django-celery-beat"] = "" }),
			words("celery --workdir=src --app=proj beat --loglevel=INFO --scheduler=django_celery_beat.schedulers:DatabaseScheduler")},
		{"celery app with attribute", "celery-worker",
			with(root, func(c *Context) { c.CeleryApp = "config.celery_app:app" }),
			words("celery --app=config.celery_app:app worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=1000")},
		{"rq pool when declared version has it", "rq-worker",
			with(root, func(c *Context) { c.Workers = 3; c.Packages["django-rq"] = ">=2.10.1,<4" }),
			words("python manage.py rqworker-pool --num-workers=3 default")},
		{"rq no pool for an old version", "rq-worker",
			with(root, func(c *Context) { c.Workers = 3; c.Packages["django-rq"] = "==2.7.0" }),
			words("python manage.py rqworker default")},
		{"rq no pool for an undeclared version", "rq-worker",
			with(root, func(c *Context) { c.Workers = 3; c.Packages["django-rq"] = "" }),
			words("python manage.py rqworker default")},
		{"rq no pool for one worker", "rq-worker",
			with(root, func(c *Context) { c.Workers = 1; c.Packages["django-rq"] = ">=3" }),
			words("python manage.py rqworker default")},
		{"rq pool forced, queues", "rq-worker",
			with(root, func(c *Context) { c.Options = opts("pool", true, "queues", []string{"high", "low"}) }),
			words("python manage.py rqworker-pool --num-workers=1 high low")},
		{"rq pool refused, queue as string", "rq-worker",
			with(root, func(c *Context) {
				c.Workers = 4
				c.Packages["django-rq"] = ">=3"
				c.Options = opts("pool", false, "queues", "mail", "with_scheduler", true)
			}),
			words("python manage.py rqworker --with-scheduler mail")},
		{"prodserver 3 web is a server", "django-prodserver",
			with(root, func(c *Context) { c.Packages["django-prodserver"] = ">=3.0" }),
			words("python manage.py server web")},
		{"prodserver 3 other process is a worker", "django-prodserver",
			with(sub, func(c *Context) { c.Proc = "worker"; c.Packages["django-prodserver"] = "~=3.1" }),
			words("python src/manage.py worker worker")},
		{"prodserver role and process options", "django-prodserver",
			with(root, func(c *Context) {
				c.Proc = "api"
				c.Packages["django-prodserver"] = "==3.0.0"
				c.Options = opts("role", "server", "process", "web")
			}),
			words("python manage.py server web")},
		{"prodserver 2 keeps prodserver", "django-prodserver",
			with(root, func(c *Context) { c.Proc = "worker"; c.Packages["django-prodserver"] = ">=2.4,<3" }),
			words("python manage.py prodserver worker")},

		// Option types.
		{"bool true is a bare flag", "gunicorn",
			with(root, func(c *Context) { c.Options = opts("preload", true) }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --preload proj.wsgi:application")},
		{"bool false without a negative form is omitted", "gunicorn",
			with(root, func(c *Context) { c.Options = opts("preload", false) }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},
		{"bool false renders the program's --no- form", "waitress",
			with(root, func(c *Context) { c.Options = opts("ipv6", false) }),
			words("waitress-serve --listen=0.0.0.0:$PORT --threads=4 --trusted-proxy=* --trusted-proxy-headers=x-forwarded-proto --no-ipv6 proj.wsgi:application")},
		{"tornado bool false", "celery-flower",
			with(root, func(c *Context) { c.Options = opts("persistent", false) }),
			words("celery --app=proj flower --address=0.0.0.0 --port=$PORT --persistent=False")},
		{"int, float, string and underscore keys", "celery-worker",
			with(root, func(c *Context) {
				c.Options = opts("max_tasks_per_child", int64(100), "time_limit", 30.5, "soft-time-limit", int64(20), "queues", "high,low")
			}),
			words("celery --app=proj worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=100 --time-limit=30.5 --soft-time-limit=20 --queues=high,low")},
		{"plain Go int accepted", "gunicorn",
			with(root, func(c *Context) { c.Options = opts("timeout", 60) }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --timeout=60 proj.wsgi:application")},
		{"list repeats the flag", "uvicorn",
			with(root, func(c *Context) { c.Options = opts("header", []string{"X-A:1", "X-B:2"}) }),
			words("uvicorn --host=0.0.0.0 --port=$PORT --workers=1 --proxy-headers --forwarded-allow-ips=* --header=X-A:1 --header=X-B:2 proj.asgi:application")},
		{"unknown option rendered generically", "hypercorn",
			with(root, func(c *Context) { c.Options = opts("h11_max_incomplete_size", int64(16384), "debug", true) }),
			words("hypercorn --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --access-logfile=- --h11-max-incomplete-size=16384 --debug proj.asgi:application")},
		{"django-prodserver style strings converted", "gunicorn",
			with(root, func(c *Context) {
				c.Options = opts("workers", "4", "preload", "True", "graceful_timeout", " 20 ", "forwarded_allow_ips", "*")
			}),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=4 --threads=8 --worker-connections=16 --graceful-timeout=20 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --preload proj.wsgi:application")},
		{"false spelled as a string", "uvicorn",
			with(root, func(c *Context) { c.Options = opts("proxy_headers", "false") }),
			words("uvicorn --host=0.0.0.0 --port=$PORT --workers=1 --no-proxy-headers --forwarded-allow-ips=* proj.asgi:application")},
		{"numbers for string and float options", "uvicorn",
			with(root, func(c *Context) { c.Options = opts("port", int64(8000), "workers", float64(3)) }),
			words("uvicorn --host=0.0.0.0 --port=8000 --workers=3 --proxy-headers --forwarded-allow-ips=* proj.asgi:application")},
		{"string for a float option", "celery-worker",
			with(root, func(c *Context) { c.Options = opts("soft_time_limit", "12.5") }),
			words("celery --app=proj worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=1000 --soft-time-limit=12.5")},
		{"program spelling with underscores", "daphne",
			with(root, func(c *Context) { c.Options = opts("websocket_timeout", int64(-1)) }),
			words("daphne --bind=0.0.0.0 --port=$PORT --proxy-headers --websocket_timeout=-1 proj.asgi:application")},

		// Options replacing flags the backend renders.
		{"workers option replaces the rendered flag in place", "gunicorn",
			with(root, func(c *Context) { c.Workers = 5; c.Options = opts("workers", int64(9)) }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=9 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},
		{"threads option sizes worker-connections", "gunicorn",
			with(root, func(c *Context) { c.Options = opts("threads", int64(16)) }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=16 --worker-connections=32 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},
		{"one thread is a sync worker: no worker-connections", "gunicorn",
			with(root, func(c *Context) { c.Workers, c.Threads = 5, 1 }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=5 --threads=1 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},
		{"worker-connections option replaces the computed cap", "gunicorn",
			with(root, func(c *Context) { c.Options = opts("worker-connections", int64(1000)) }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=1000 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},
		{"gunicorn-uvicorn has no threads and no worker-connections", "gunicorn-uvicorn",
			with(root, func(c *Context) { c.Threads = 4 }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=uvicorn.workers.UvicornWorker proj.asgi:application")},
		{"list option replaces bind", "gunicorn",
			with(sub, func(c *Context) { c.Options = opts("bind", []string{"0.0.0.0:$PORT", "unix:/tmp/g.sock"}) }),
			words("gunicorn --chdir=src --bind=0.0.0.0:$PORT --bind=unix:/tmp/g.sock --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},
		{"string given for a list option", "hypercorn",
			with(sub, func(c *Context) { c.Options = opts("bind", "[::]:$PORT") }),
			words("hypercorn --bind=[::]:$PORT --workers=2 --graceful-timeout=25 --access-logfile=- src/proj.asgi:application")},
		{"alias replaces the canonical flag", "uwsgi",
			with(root, func(c *Context) { c.Options = opts("workers", int64(8), "plugin", "python3") }),
			words("uwsgi --plugin=python3 --http-socket=0.0.0.0:$PORT --module=proj.wsgi:application --master --processes=8 --die-on-term --need-app --enable-threads")},
		{"the OS's uWSGI gets its plugin first", "uwsgi",
			with(sub, func(c *Context) { c.UwsgiPlugin = "python3" }),
			words("uwsgi --plugin=python3 --http-socket=0.0.0.0:$PORT --chdir=src --module=proj.wsgi:application --master --processes=3 --die-on-term --need-app --enable-threads")},
		{"the plugin option replaces the found plugin", "uwsgi",
			with(root, func(c *Context) {
				c.UwsgiPlugin = "python3"
				c.Options = opts("plugin", []string{"python311", "logfile"})
			}),
			words("uwsgi --plugin=python311 --plugin=logfile --http-socket=0.0.0.0:$PORT --module=proj.wsgi:application --master --processes=3 --die-on-term --need-app --enable-threads")},
		{"false removes a rendered bare flag", "uwsgi",
			with(root, func(c *Context) { c.Options = opts("enable_threads", false) }),
			words("uwsgi --http-socket=0.0.0.0:$PORT --module=proj.wsgi:application --master --processes=3 --die-on-term --need-app")},
		{"false replaces a rendered flag with its negative", "uvicorn",
			with(root, func(c *Context) { c.Options = opts("proxy-headers", false) }),
			words("uvicorn --host=0.0.0.0 --port=$PORT --workers=1 --no-proxy-headers --forwarded-allow-ips=* proj.asgi:application")},
		{"true replaces a rendered negative", "django-tasks",
			with(sub, func(c *Context) { c.Options = opts("reload", true) }),
			words("python src/manage.py db_worker --reload")},
		{"loglevel and concurrency replaced", "celery-worker",
			with(sub, func(c *Context) {
				c.Workers = 3
				c.Options = opts("loglevel", "WARNING", "concurrency", int64(1), "pool", "solo")
			}),
			words("celery --workdir=src --app=proj worker --loglevel=WARNING --concurrency=1 --pool=solo")},
		{"last option of a key wins", "gunicorn",
			with(root, func(c *Context) {
				c.Options = opts("timeout", int64(30), "graceful_timeout", int64(20), "timeout", int64(90))
			}),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=20 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --timeout=90 proj.wsgi:application")},
		{"scheduler option replaces the package choice", "celery-beat",
			with(root, func(c *Context) {
				c.Packages["django-celery-beat"] = ""
				c.Options = opts("scheduler", "myapp.sched:Scheduler")
			}),
			words("celery --app=proj beat --loglevel=INFO --scheduler=myapp.sched:Scheduler")},
		{"chdir option replaces the project dir", "gunicorn",
			with(sub, func(c *Context) { c.Options = opts("chdir", "/app/src") }),
			words("gunicorn --chdir=/app/src --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},

		// Args: after options, before the trailing target.
		{"args before the target", "waitress",
			with(sub, func(c *Context) { c.Args = []string{"--ident=x y", "--call"}; c.Python = "/usr/bin/python3" }),
			[]string{"/usr/bin/python3", "-c", waitressShim, "src", "--listen=0.0.0.0:$PORT", "--threads=4", "--trusted-proxy=*", "--trusted-proxy-headers=x-forwarded-proto", "--ident=x y", "--call", "proj.wsgi:application"}},
		{"args after options", "celery-worker",
			with(root, func(c *Context) { c.Options = opts("without_gossip", true); c.Args = []string{"-O", "fair"} }),
			words("celery --app=proj worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=1000 --without-gossip -O fair")},
		// A long flag in Args replaces the rendered flag of that name, as
		// an option does: the user's word is the one on the line.
		{"args flag replaces the rendered one", "gunicorn",
			with(root, func(c *Context) { c.Args = []string{"--graceful-timeout=60"} }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --graceful-timeout=60 proj.wsgi:application")},
		{"args flag as two words replaces the rendered one", "gunicorn",
			with(root, func(c *Context) { c.Args = []string{"--max-requests", "50", "--access-logfile", "/tmp/a.log"} }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --max-requests-jitter=100 --max-requests 50 --access-logfile /tmp/a.log proj.wsgi:application")},
		{"args flag replaces a celery flag", "celery-worker",
			with(root, func(c *Context) { c.Args = []string{"--loglevel=DEBUG"} }),
			words("celery --app=proj worker --concurrency=2 --max-tasks-per-child=1000 --loglevel=DEBUG")},
		{"args bind is not a replacement: Dokku routes to $PORT", "gunicorn",
			with(root, func(c *Context) { c.Args = []string{"--bind=unix:/tmp/s"} }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --bind=unix:/tmp/s proj.wsgi:application")},
		{"args short and unknown words leave rendered flags", "gunicorn",
			with(root, func(c *Context) { c.Args = []string{"-t", "60", "--graceful"} }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 -t 60 --graceful proj.wsgi:application")},
		{"args before queues", "rq-worker",
			with(root, func(c *Context) { c.Args = []string{"--burst"} }),
			words("python manage.py rqworker --burst default")},

		// Layout details.
		{"ProjectDir dot is the root", "gunicorn",
			with(root, func(c *Context) { c.ProjectDir = "." }),
			words("gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application")},
		{"ManagePy defaults from ProjectDir", "migrate",
			with(sub, func(c *Context) { c.ManagePy = "" }),
			words("python src/manage.py migrate --noinput")},
		{"custom interpreter", "huey",
			with(sub, func(c *Context) { c.Python = "/app/.venv/bin/python" }),
			words("/app/.venv/bin/python src/manage.py run_huey --workers=2")},
		{"deeper project dir", "hypercorn",
			with(root, func(c *Context) { c.ProjectDir = "apps/site" }),
			words("hypercorn --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --access-logfile=- apps/site/proj.asgi:application")},

		// Release: migrate; the old collectstatic option chains nothing
		// (Dokku never commits the release container).
		{"migrate options", "migrate",
			with(root, func(c *Context) { c.Options = opts("database", "replica", "skip_checks", true) }),
			words("python manage.py migrate --noinput --database=replica --skip-checks")},
		{"collectstatic false is plain migrate", "migrate",
			with(root, func(c *Context) { c.Options = opts("collectstatic", false) }),
			words("python manage.py migrate --noinput")},
		{"collectstatic true chains nothing", "migrate",
			with(root, func(c *Context) { c.Options = opts("collectstatic", true) }),
			words("python manage.py migrate --noinput")},
		{"collectstatic true keeps options and args on migrate", "migrate",
			with(sub, func(c *Context) {
				c.Options = opts("collectstatic", true, "database", "it's")
				c.Args = []string{"--verbosity", "2"}
			}),
			words("python src/manage.py migrate --noinput --database=it's --verbosity 2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Lookup(tt.backend)
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.Render(tt.c)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestRenderErrors checks that missing facts and unrenderable values fail
// with an error naming the problem, wrapping ErrMissing or ErrInvalid.
func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name    string
		backend string
		c       Context
		is      error
		mention string
	}{
		{"no WSGI target", "gunicorn", with(root, func(c *Context) { c.WSGI = "" }), ErrMissing, "WSGI_APPLICATION in settings.py"},
		{"no WSGI target uwsgi", "uwsgi", with(root, func(c *Context) { c.WSGI = "" }), ErrMissing, "WSGI target"},
		{"no ASGI target", "daphne", with(root, func(c *Context) { c.ASGI = "" }), ErrMissing, "prodserver:set <app> asgi"},
		{"no ASGI target granian", "granian-asgi", with(root, func(c *Context) { c.ASGI = "" }), ErrMissing, "ASGI"},
		{"no celery app", "celery-worker", with(root, func(c *Context) { c.CeleryApp = "" }), ErrMissing, "prodserver:set <app> celery-app"},
		{"no celery app beat", "celery-beat", with(root, func(c *Context) { c.CeleryApp = "" }), ErrMissing, "celery-app"},
		{"no process name", "django-prodserver", with(root, func(c *Context) { c.Proc = "" }), ErrMissing, "process name"},
		{"dotted target without colon", "uvicorn", with(root, func(c *Context) { c.ASGI = "proj.asgi.application" }), ErrInvalid, "module:attr"},
		{"target with a space", "gunicorn", with(root, func(c *Context) { c.WSGI = "proj.wsgi:app lication" }), ErrInvalid, "module:attr"},
		{"celery app with a dash", "celery-worker", with(root, func(c *Context) { c.CeleryApp = "-A" }), ErrInvalid, "Celery app"},
		{"newline in args", "gunicorn", with(root, func(c *Context) { c.Args = []string{"--x", "a\nb"} }), ErrInvalid, "Args[1]"},
		{"NUL in project dir", "gunicorn", with(root, func(c *Context) { c.ProjectDir = "src\x00" }), ErrInvalid, "ProjectDir"},
		{"python with arguments", "huey", with(root, func(c *Context) { c.Python = "python -X utf8" }), ErrInvalid, "one executable"},
		{"tab in python", "migrate", with(root, func(c *Context) { c.Python = "py\tthon" }), ErrInvalid, "Python"},
		{"newline in option value", "gunicorn", with(root, func(c *Context) { c.Options = opts("access-logfile", "-\n") }), ErrInvalid, "control character"},
		{"control char in list item", "gunicorn", with(root, func(c *Context) { c.Options = opts("bind", []string{"ok", "\x1b[0m"}) }), ErrInvalid, "value[1]"},
		{"DEL in unknown option", "gunicorn", with(root, func(c *Context) { c.Options = opts("foo", "a\x7f") }), ErrInvalid, "control character"},
		{"absolute project dir", "gunicorn", with(root, func(c *Context) { c.ProjectDir = "/app/src" }), ErrInvalid, "relative"},
		{"escaping project dir", "uvicorn", with(root, func(c *Context) { c.ProjectDir = "../src" }), ErrInvalid, "relative"},
		{"unclean project dir", "uvicorn", with(root, func(c *Context) { c.ProjectDir = "src/" }), ErrInvalid, "clean"},
		{"colon in project dir", "hypercorn", with(root, func(c *Context) { c.ProjectDir = "a:b" }), ErrInvalid, "':'"},
		{"unclean manage.py", "migrate", with(root, func(c *Context) { c.ManagePy = "./manage.py" }), ErrInvalid, "ManagePy"},
		{"negative workers", "gunicorn", with(root, func(c *Context) { c.Workers = -1 }), ErrInvalid, "negative"},
		{"option key with dashes", "gunicorn", with(root, func(c *Context) { c.Options = opts("--bind", "x") }), ErrInvalid, "option key"},
		{"option key with a space", "gunicorn", with(root, func(c *Context) { c.Options = opts("a b", "x") }), ErrInvalid, "option key"},
		{"option key with equals", "gunicorn", with(root, func(c *Context) { c.Options = opts("a=b", "x") }), ErrInvalid, "option key"},
		{"empty option key", "gunicorn", with(root, func(c *Context) { c.Options = opts("", true) }), ErrInvalid, "option key"},
		{"int option given a word", "gunicorn", with(root, func(c *Context) { c.Options = opts("workers", "four") }), ErrInvalid, "workers wants a value of type int"},
		{"int option given a fraction", "gunicorn", with(root, func(c *Context) { c.Options = opts("workers", 2.5) }), ErrInvalid, "workers wants a value of type int"},
		{"bool option given a word", "gunicorn", with(root, func(c *Context) { c.Options = opts("preload", "yes") }), ErrInvalid, "preload wants a value of type bool"},
		{"float option given inf", "celery-worker", with(root, func(c *Context) { c.Options = opts("time_limit", "inf") }), ErrInvalid, "time-limit wants a value of type float"},
		{"bool option given an int", "uvicorn", with(root, func(c *Context) { c.Options = opts("proxy_headers", int64(1)) }), ErrInvalid, "proxy-headers wants a value of type bool"},
		{"list option given an int", "gunicorn", with(root, func(c *Context) { c.Options = opts("bind", int64(80)) }), ErrInvalid, "bind wants a value of type list"},
		{"control option wrong type", "migrate", with(root, func(c *Context) { c.Options = opts("collectstatic", int64(1)) }), ErrInvalid, "collectstatic wants a value of type bool"},
		{"string option given a bool", "gunicorn", with(root, func(c *Context) { c.Options = opts("log-level", true) }), ErrInvalid, "log-level wants a value of type string"},
		{"unsupported value type", "gunicorn", with(root, func(c *Context) { c.Options = opts("x", map[string]string{}) }), ErrInvalid, "a dict is not an option value"},
		{"NaN", "celery-worker", with(root, func(c *Context) { c.Options = opts("time_limit", math.NaN()) }), ErrInvalid, "NaN"},
		{"prodserver takes no options", "django-prodserver", with(root, func(c *Context) { c.Options = opts("workers", int64(2)) }), ErrInvalid, "PRODUCTION_PROCESSES"},
		{"prodserver bad role", "django-prodserver", with(root, func(c *Context) { c.Options = opts("role", "web") }), ErrInvalid, "server or worker"},
		{"prodserver bad process", "django-prodserver", with(root, func(c *Context) { c.Proc = "--list" }), ErrInvalid, "process name"},
		{"&& in release args", "migrate", with(root, func(c *Context) { c.Args = []string{"&&", "rm", "-rf"} }), ErrInvalid, "chain"},
		{"rq queue looking like a flag", "rq-worker", with(root, func(c *Context) { c.Options = opts("queues", []string{"-x"}) }), ErrInvalid, "queue name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Lookup(tt.backend)
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.Render(tt.c)
			if err == nil {
				t.Fatalf("want an error, got argv %q", got)
			}
			if got != nil {
				t.Errorf("partial argv %q returned with the error", got)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.mention) || !strings.HasPrefix(err.Error(), b.Name+": ") {
				t.Errorf("error %q should start with %q and mention %q", err, b.Name+": ", tt.mention)
			}
		})
	}
}

// TestRenderDoesNotAlias checks that rendering does not change the caller's
// Context (its Options and Args slices are shared with the spec package).
func TestRenderDoesNotAlias(t *testing.T) {
	c := with(sub, func(c *Context) {
		c.ManagePy = ""
		c.Options = opts("collectstatic", true, "database", "x")
		c.Args = []string{"--verbosity", "2"}
	})
	before := with(c, func(*Context) {})
	before.Args = append([]string(nil), c.Args...)
	for _, b := range All() {
		_, _ = b.Render(c)
	}
	if c.ManagePy != "" || !reflect.DeepEqual(c.Options, before.Options) || !reflect.DeepEqual(c.Args, before.Args) {
		t.Errorf("Render changed its Context: %+v", c)
	}
}
