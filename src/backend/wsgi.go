package backend

import "fmt"

// pathShim is Python run with `python -c` for servers that have no flag to
// change their import directory (waitress-serve, daphne): it puts the next
// argv word (the project dir) first on sys.path, drops it from sys.argv and
// hands over to the server's own entry point. The directory travels as an
// argv word, never inside the code, so no value is ever spliced into Python.
// The code holds no space, single quote, '$', glob character or backslash,
// so the procfile package can carry it as one word through every launcher
// (herokuish re-splits the command on spaces after removing quotes).
//
// Verified by starting both servers this way from the source root with the
// app under src/ (waitress 2.1.2, daphne 4.0.0; tests/servers_test.go starts both that way).
const pathShim = `sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));`

// gunicornOptions are the gunicorn flags prodserver knows, shared by the
// WSGI and the uvicorn-worker ASGI backends (checked against gunicorn 20.1
// --help).
func gunicornOptions() []OptionSpec {
	return []OptionSpec{
		{Name: "bind", Type: TypeList, Doc: "address(es) to listen on; replaces 0.0.0.0:$PORT"},
		{Name: "workers", Type: TypeInt, Doc: "worker processes; replaces Context.Workers"},
		{Name: "threads", Type: TypeInt, Doc: "threads per worker (sync workers switch to gthread when > 1)"},
		{Name: "worker-class", Type: TypeString, Doc: "worker class, e.g. gthread"},
		{Name: "worker-connections", Type: TypeInt, Doc: "clients one gthread process holds at once; replaces ConnectionsPerThread × threads"},
		{Name: "chdir", Type: TypeString, Doc: "directory to import the app from; replaces Context.ProjectDir"},
		{Name: "timeout", Type: TypeInt, Doc: "seconds before a silent worker is killed and restarted"},
		{Name: "graceful-timeout", Type: TypeInt, Doc: "seconds workers get to finish after SIGTERM"},
		{Name: "keep-alive", Type: TypeInt, Doc: "seconds to keep idle connections open"},
		{Name: "max-requests", Type: TypeInt, Doc: "restart a worker after this many requests"},
		{Name: "max-requests-jitter", Type: TypeInt, Doc: "random extra requests added to max-requests"},
		{Name: "preload", Type: TypeBool, Doc: "import the app before forking workers"},
		{Name: "access-logfile", Type: TypeString, Doc: "access log target, - for stdout"},
		{Name: "forwarded-allow-ips", Type: TypeString, Doc: "proxy IPs trusted for X-Forwarded-* headers"},
		{Name: "log-level", Type: TypeString, Doc: "error log level"},
	}
}

// wsgiBackends are the WSGI servers.
func wsgiBackends() []*Backend {
	return []*Backend{
		{
			Name:           "gunicorn",
			Kind:           KindWSGI,
			Summary:        "gunicorn pre-fork WSGI server",
			Program:        "gunicorn",
			Packages:       []string{"gunicorn"},
			StopSignal:     "SIGTERM",
			Web:            true,
			Concurrency:    ConcurrencyPreforkThreaded,
			WorkersFlag:    "--workers",
			ThreadsFlag:    "--threads",
			DefaultWorkers: 2,
			DefaultThreads: 8,
			ConcurrencyDoc: "--workers = the workers setting and --threads = the threads setting, sized at deploy as min(cores+1, MB/256) processes × 8 threads, else 2 × 8 (one core). More than one thread makes gunicorn run gthread workers, which overlap a request's database waits and keep connections alive; --worker-connections = 2 × threads, so a burst of keep-alive connections cannot pile onto one process. threads 1 renders --threads=1, gunicorn's sync worker, sized by Heroku's min(2×cores+1, MB/256), without --worker-connections.",
			ProjectDirDoc:  "--chdir=<ProjectDir>: gunicorn changes directory and imports from there.",
			Verified:       "gunicorn 20.1 --help (Debian); started for real in both layouts",
			Options:        gunicornOptions(),
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindWSGI, c.WSGI)
				if err != nil {
					return nil, err
				}
				return gunicornCommand(b, c, o, t), nil
			},
		},
		{
			Name:           "waitress",
			Kind:           KindWSGI,
			Summary:        "waitress pure-Python threaded WSGI server (one process)",
			Program:        "waitress-serve",
			Packages:       []string{"waitress"},
			StopSignal:     "SIGINT", // no SIGTERM handler: TERM drops requests in flight; INT drains them,
			Web:            true,
			Concurrency:    ConcurrencyThreads,
			ThreadsFlag:    "--threads",
			DefaultThreads: 4,
			ConcurrencyDoc: "one process; --threads = the threads setting, else 4 (waitress's own default, rendered explicitly). The workers setting is ignored: scale with more process instances.",
			ProjectDirDoc:  "waitress-serve has no directory flag and appends the current directory to sys.path; for a sub-folder it is started as `python -c <path shim> <ProjectDir> ...` which puts ProjectDir first on sys.path and calls waitress.runner.run.",
			Verified:       "waitress-serve 2.1 --help (Debian); started for real in both layouts",
			Options: []OptionSpec{
				{Name: "listen", Type: TypeList, Doc: "host:port to listen on; replaces 0.0.0.0:$PORT"},
				{Name: "threads", Type: TypeInt, Doc: "request threads; replaces Context.Threads"},
				{Name: "connection-limit", Type: TypeInt, Doc: "maximum open connections"},
				{Name: "channel-timeout", Type: TypeInt, Doc: "seconds an inactive connection stays open"},
				{Name: "backlog", Type: TypeInt, Doc: "listen backlog"},
				{Name: "url-scheme", Type: TypeString, Doc: "default wsgi.url_scheme"},
				{Name: "url-prefix", Type: TypeString, Doc: "SCRIPT_NAME the app is mounted under"},
				{Name: "ident", Type: TypeString, Doc: "Server header value"},
				{Name: "expose-tracebacks", Type: TypeBool, Negative: "--no-expose-tracebacks", Doc: "show tracebacks to clients (never in production)"},
				{Name: "log-socket-errors", Type: TypeBool, Negative: "--no-log-socket-errors", Doc: "log premature client disconnects"},
				{Name: "ipv6", Type: TypeBool, Negative: "--no-ipv6", Doc: "IPv6 sockets for wildcard listens"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindWSGI, c.WSGI)
				if err != nil {
					return nil, err
				}
				cmd := newCommand("waitress-serve")
				if c.ProjectDir != "" {
					cmd = newCommand(c.Python, "-c", pathShim+`sys.exit(__import__("waitress.runner").runner.run())`, c.ProjectDir)
				}
				cmd.set("listen", anyHost+":"+portWord)
				cmd.setCount(b.ThreadsFlag, b.threads(c))
				return cmd.positional(t), nil
			},
		},
		{
			Name:           "uwsgi",
			Kind:           KindWSGI,
			Summary:        "uWSGI pre-fork WSGI server speaking HTTP directly",
			Program:        "uwsgi",
			Packages:       []string{"uwsgi"},
			StopSignal:     "SIGTERM",
			Web:            true,
			Concurrency:    ConcurrencyPrefork,
			WorkersFlag:    "--processes",
			ThreadsFlag:    "--threads",
			DefaultWorkers: 3,
			ConcurrencyDoc: "--processes = the workers setting, sized at deploy by Heroku's min(2×cores+1, MB/256) sync-worker formula, else 3 (that formula for one core); --threads only when the threads setting is above 0. --master supervises them; --die-on-term makes SIGTERM stop instead of reload.",
			ProjectDirDoc:  "--chdir=<ProjectDir>: uWSGI changes directory before loading the app and imports from there.",
			Verified:       "uwsgi 2.0.21 --plugin python3 --help (Debian); started for real in both layouts",
			Options: []OptionSpec{
				{Name: "http-socket", Type: TypeList, Doc: "address(es) to serve HTTP on; replaces 0.0.0.0:$PORT"},
				{Name: "processes", Aliases: []string{"workers"}, Type: TypeInt, Doc: "worker processes; replaces Context.Workers"},
				{Name: "threads", Type: TypeInt, Doc: "threads per worker"},
				{Name: "chdir", Type: TypeString, Doc: "directory to load the app from; replaces Context.ProjectDir"},
				{Name: "module", Type: TypeString, Doc: "WSGI module:callable; replaces Context.WSGI"},
				{Name: "plugin", Type: TypeList, Doc: "plugins to load, rendered first: a modular uWSGI (Debian's apt package) needs python3; pip's uwsgi has Python built in"},
				{Name: "master", Type: TypeBool, Doc: "run the supervising master process"},
				{Name: "die-on-term", Type: TypeBool, Doc: "stop (not reload) on SIGTERM"},
				{Name: "need-app", Type: TypeBool, Doc: "exit when the app cannot be loaded instead of serving errors"},
				{Name: "enable-threads", Type: TypeBool, Doc: "let app-created Python threads run"},
				{Name: "harakiri", Type: TypeInt, Doc: "seconds before a stuck request's worker is killed"},
				{Name: "max-requests", Type: TypeInt, Doc: "recycle a worker after this many requests"},
				{Name: "buffer-size", Type: TypeInt, Doc: "request header buffer in bytes"},
				{Name: "lazy-apps", Type: TypeBool, Doc: "load the app in each worker instead of the master"},
				{Name: "single-interpreter", Type: TypeBool, Doc: "use one Python interpreter"},
				{Name: "static-map", Type: TypeList, Doc: "mountpoint=directory static file mappings"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindWSGI, c.WSGI)
				if err != nil {
					return nil, err
				}
				// A plugin option must precede the options it defines:
				// Debian's modular uWSGI rejects --module before
				// --plugin=python3 ("unrecognized option").
				cmd := newCommand("uwsgi").slot("plugin").set("http-socket", anyHost+":"+portWord)
				if c.ProjectDir != "" {
					cmd.set("chdir", c.ProjectDir)
				}
				cmd.set("module", t).on("master")
				cmd.setCount(b.WorkersFlag, b.workers(c)).setCount(b.ThreadsFlag, b.threads(c))
				return cmd.on("die-on-term").on("need-app").on("enable-threads"), nil
			},
		},
		granian(KindWSGI),
		{
			// django-prodserver's UvicornWSGIServer: uvicorn serving the
			// WSGI application through its WSGI interface.
			Name:       "uvicorn-wsgi",
			Kind:       KindWSGI,
			Summary:    "uvicorn serving the WSGI application (--interface=wsgi, django-prodserver's UvicornWSGIServer)",
			Program:    "uvicorn",
			Packages:   []string{"uvicorn"},
			StopSignal: "SIGTERM",
			Web:        true,
			// One process, as the uvicorn backend and for the same reason
			// (its --workers supervisor loses TCP_NODELAY, uvicorn#3149).
			// Requests run on the WSGI adapter's thread pool (uvicorn's own
			// WSGIMiddleware, or a2wsgi when installed), which has no flag.
			Concurrency:    ConcurrencySingle,
			WorkersFlag:    "--workers",
			DefaultWorkers: 1,
			ConcurrencyDoc: "--workers = Context.Workers, else 1, as uvicorn (uvicorn#3149); requests run on the WSGI adapter's thread pool, which has no flag, so Context.Threads is ignored. For several processes use gunicorn, or scale the web process.",
			ProjectDirDoc:  "--app-dir=<ProjectDir>, as uvicorn.",
			Verified:       "uvicorn 0.17 --help (Debian), --interface wsgi; started for real in both layouts (tests/servers_test.go). django-prodserver's UvicornWSGIServer passes the WSGI app name and --interface=wsgi.",
			Options:        uvicornOptions(),
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindWSGI, c.WSGI)
				if err != nil {
					return nil, err
				}
				cmd := newCommand("uvicorn").set("interface", "wsgi")
				return uvicornCommand(b, c, cmd).positional(t), nil
			},
		},
	}
}

// ConnectionsPerThread sizes gunicorn's --worker-connections for gthread
// workers: a process holds at most this many clients per thread, i.e. one
// waiting (or idle keep-alive) connection per busy thread; gunicorn's default
// is 1000 per process. gthread keeps a keep-alive connection with the
// process that accepted it, and a burst of new connections (a load
// balancer's pool, a busy page's assets) can land on one process, which then
// serves them all on one core while its siblings idle. With the cap, a full
// process stops accepting and closes surplus idle connections, so clients
// spread out. Measured with wrk -c32 against the example app's /page/ on 3
// processes (2 cores, 4-second runs, 8 each): 3 × 8 threads with a cap of
// 32 (4 per thread) still had rounds with 29–31 connections on one process
// at 970–1,040 req/s, against 1,700–1,970 when spread; with 16 (2 per
// thread) no process held more than 15 and every round served 1,370–1,870
// (median ~1,760). With 3 × 4 threads and no cap, rounds with all 32 on one
// process served ~850; with wrk -c64, more clients than the caps add up to,
// capped processes still served 1,430–1,770 against 820–1,490 uncapped.
const ConnectionsPerThread = 2

// gunicornCommand renders gunicorn for a target; the ASGI backend adds its
// worker class.
func gunicornCommand(b *Backend, c *Context, o *options, t string) *command {
	cmd := newCommand("gunicorn")
	if c.ProjectDir != "" {
		cmd.set("chdir", c.ProjectDir)
	}
	cmd.set("bind", anyHost+":"+portWord)
	threads := b.threads(c)
	cmd.setCount(b.WorkersFlag, b.workers(c)).setCount(b.ThreadsFlag, threads)
	if n := o.count(b.ThreadsFlag); n > 0 { // a threads option replaces the flag
		threads = n
	}
	// For gevent and eventlet workers --worker-connections is their whole
	// concurrency: the cap sized for threads would throttle them.
	if f, ok := o.lookup("worker-class"); ok {
		switch f.value {
		case "gthread", "sync", "gunicorn.workers.gthread.ThreadWorker", "gunicorn.workers.sync.SyncWorker":
		default:
			threads = 0
		}
	}
	if b.ThreadsFlag != "" && threads > 1 {
		cmd.setCount("--worker-connections", ConnectionsPerThread*threads)
	}
	return cmd.positional(t)
}

// granian builds the granian backend for one interface (granian-wsgi or
// granian-asgi). Granian is not packaged by Debian: its flags are checked
// against granian/cli.py (emmett-framework/granian, v2.8.1).
func granian(kind Kind) *Backend {
	b := &Backend{
		Name:           "granian-" + string(kind),
		Kind:           kind,
		Summary:        fmt.Sprintf("granian Rust HTTP server, %s interface", kind),
		Program:        "granian",
		Packages:       []string{"granian"},
		StopSignal:     "SIGTERM",
		Web:            true,
		Concurrency:    ConcurrencyAsync,
		WorkersFlag:    "--workers",
		DefaultWorkers: 2,
		ConcurrencyDoc: "--workers = the workers setting, sized at deploy (Heroku's min(2×cores+1, MB/256) for the WSGI interface, one per core for ASGI), else 2; granian reads no WEB_CONCURRENCY.",
		ProjectDirDoc:  "--working-dir=<ProjectDir> (granian >= 2.4): granian puts it first on sys.path before importing the target.",
		Verified:       "not installable here: flags checked against granian/cli.py and granian/_internal.py (emmett-framework/granian 2.8.1; --working-dir since 2.4.0, --runtime-threads since 2.0)",
		Options: []OptionSpec{
			{Name: "interface", Type: TypeString, Doc: "asgi, asginl (no lifespan), wsgi or rsgi"},
			{Name: "host", Type: TypeString, Doc: "address to bind; replaces 0.0.0.0"},
			{Name: "port", Type: TypeString, Doc: "port to bind; replaces $PORT"},
			{Name: "workers", Type: TypeInt, Doc: "worker processes; replaces Context.Workers"},
			{Name: "working-dir", Type: TypeString, Doc: "directory to import from; replaces Context.ProjectDir"},
			{Name: "blocking-threads", Type: TypeInt, Doc: "blocking threads per worker (WSGI request threads; must be 1 for ASGI)"},
			{Name: "runtime-threads", Type: TypeInt, Doc: "Rust runtime threads per worker"},
			{Name: "http", Type: TypeString, Doc: "HTTP version: auto, 1 or 2"},
			{Name: "ws", Type: TypeBool, Negative: "--no-ws", Doc: "websockets"},
			{Name: "loop", Type: TypeString, Doc: "event loop implementation"},
			{Name: "log-level", Type: TypeString, Doc: "log level"},
			{Name: "access-log", Type: TypeBool, Negative: "--no-access-log", Doc: "access log"},
			{Name: "backlog", Type: TypeInt, Doc: "listen backlog"},
			{Name: "url-path-prefix", Type: TypeString, Doc: "URL prefix the app is mounted on"},
			{Name: "respawn-failed-workers", Type: TypeBool, Negative: "--no-respawn-failed-workers", Doc: "restart crashed workers"},
			{Name: "workers-lifetime", Type: TypeString, Doc: "recycle workers after this long"},
			{Name: "workers-kill-timeout", Type: TypeString, Doc: "time workers get to stop before being killed"},
		},
	}
	if kind == KindWSGI {
		b.ThreadsFlag = "--blocking-threads"
		b.Concurrency = ConcurrencyPrefork
		b.ConcurrencyDoc += " --blocking-threads (the WSGI request thread pool) only when the threads setting is above 0."
	} else {
		b.ConcurrencyDoc += " The threads setting is ignored (granian refuses blocking threads > 1 for ASGI)."
	}
	b.build = func(b *Backend, c *Context, o *options) (*command, error) {
		t, err := needTarget(kind, map[Kind]string{KindWSGI: c.WSGI, KindASGI: c.ASGI}[kind])
		if err != nil {
			return nil, err
		}
		cmd := newCommand("granian").set("interface", string(kind))
		cmd.set("host", anyHost).set("port", portWord)
		if c.ProjectDir != "" {
			cmd.set("working-dir", c.ProjectDir)
		}
		cmd.setCount(b.WorkersFlag, b.workers(c)).setCount(b.ThreadsFlag, b.threads(c))
		return cmd.positional(t), nil
	}
	return b
}
