package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:             "gunicorn",
			Kind:             KindWSGI,
			Summary:          "gunicorn pre-fork WSGI server",
			Program:          "gunicorn",
			Packages:         []string{"gunicorn"},
			StopSignal:       "SIGTERM",
			Web:              true,
			Concurrency:      ConcurrencyPreforkThreaded,
			WorkersFlag:      "--workers",
			ThreadsFlag:      "--threads",
			DefaultWorkers:   2,
			DefaultThreads:   8,
			ConcurrencyDoc:   "--workers = the workers setting and --threads = the threads setting, sized at deploy as min(cores+1, MB/256) processes × 8 threads, else 2 × 8 (one core). More than one thread makes gunicorn run gthread workers, which overlap a request's database waits and keep connections alive; --worker-connections = 2 × threads, so a burst of keep-alive connections cannot pile onto one process. threads 1 renders --threads=1, gunicorn's sync worker, sized by Heroku's min(2×cores+1, MB/256), without --worker-connections.",
			ProjectDirDoc:    "--chdir=<ProjectDir>: gunicorn changes directory and imports from there.",
			Verified:         "gunicorn 20.1 --help (Debian); started for real in both layouts",
			Options:          gunicornOptions(),
			Order:            10,
			Detect:           Detection{Rank: 10, Fallback: true},
			DjangoProdserver: DjangoClasses{V2: "gunicorn.GunicornServer", V3: "servers.gunicorn.GunicornServer"},
			Examples: Examples{
				Root: "gunicorn --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application",
				Sub:  "gunicorn --chdir=src --bind=0.0.0.0:$PORT --workers=2 --threads=8 --worker-connections=16 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 proj.wsgi:application",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindWSGI, c.WSGI)
				if err != nil {
					return nil, err
				}
				return gunicornCommand(b, c, o, t), nil
			},
		}
	})
}

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

// ConnectionsPerThread sizes gunicorn's --worker-connections for gthread
// workers: a process holds at most this many clients per thread, i.e. one
// waiting (or idle keep-alive) connection per busy thread; gunicorn's default
// is 1000 per process. gthread keeps a keep-alive connection with the
// process that accepted it, and a burst of new connections (a load
// balancer's pool, a busy page's assets) can land on one process, which then
// serves them all on one core while its siblings idle. With the cap, a full
// process stops accepting and closes surplus idle connections, so clients
// spread out. A cap of 4 per thread still let rounds pile up; 2 did not
// (docs/benchmarks.md, "Measured by hand").
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
	// Production defaults, each shown by a real-server test: workers drain
	// in-flight requests for less than Dokku's stop-timeout-seconds (the
	// default 30 s is exactly Dokku's deadline, so a long request was
	// SIGKILLed mid-answer); X-Forwarded-Proto from Dokku's proxy, the only
	// peer of the container, is trusted (the default trusts 127.0.0.1
	// only, so request.is_secure() was false behind https); and requests
	// are logged to stdout, which `dokku logs` shows (off by default).
	cmd.setInt("graceful-timeout", c.graceful()).set("forwarded-allow-ips", "*").set("access-logfile", "-")
	// Recycling a lone worker would leave no one serving while its
	// replacement imports the app, so one worker is never recycled.
	workers := b.workers(c)
	if n := o.count(b.WorkersFlag); n > 0 { // a workers option replaces the flag
		workers = n
	}
	if workers > 1 {
		cmd.setInt("max-requests", MaxRequests).setInt("max-requests-jitter", MaxRequestsJitter)
	}
	return cmd.positional(t)
}

// MaxRequests and MaxRequestsJitter recycle a gunicorn worker after about a
// thousand requests, so a leak in the app (a growing cache, a C extension)
// is bounded, while the jitter (up to 10 % more) keeps the workers from
// restarting together. Rendered only with two or more workers: the master
// keeps the listening socket, and the other workers serve while a new one
// imports the app (tests/recycle_test.go).
const (
	MaxRequests       = 1000
	MaxRequestsJitter = 100
)
