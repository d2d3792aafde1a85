package backend

// asgiBackends are the ASGI servers.
func asgiBackends() []*Backend {
	return []*Backend{
		{
			Name:       "uvicorn",
			Kind:       KindASGI,
			Summary:    "uvicorn ASGI server, with its own multi-process supervisor",
			Program:    "uvicorn",
			Packages:   []string{"uvicorn"},
			StopSignal: "SIGTERM",
			Web:        true,
			// One process per container: uvicorn's own --workers supervisor
			// hands its workers a listening socket without IPPROTO_TCP, so
			// asyncio never sets TCP_NODELAY on accepted connections and every
			// keep-alive request after the first waits ~40 ms for a delayed
			// ACK (Linux; Kludex/uvicorn#3149, open as of 2026-11). Measured
			// here with uvicorn 0.17: --workers=2 serves 23 req/s on one
			// connection against 910 for --workers=1. gunicorn-uvicorn sets
			// TCP_NODELAY on its listener and scales across cores instead.
			Concurrency:    ConcurrencySingle,
			WorkersFlag:    "--workers",
			DefaultWorkers: 1,
			ConcurrencyDoc: "--workers = the workers setting, else 1: uvicorn's multi-worker mode loses TCP_NODELAY (uvicorn#3149, ~40 ms per keep-alive request); for several processes use gunicorn-uvicorn, or scale the web process.",
			ProjectDirDoc:  "--app-dir=<ProjectDir>: uvicorn puts it on sys.path before importing the target.",
			Verified:       "uvicorn 0.17 --help (Debian); started for real in both layouts",
			Options:        uvicornOptions(),
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindASGI, c.ASGI)
				if err != nil {
					return nil, err
				}
				return uvicornCommand(b, c, newCommand("uvicorn")).positional(t), nil
			},
		},
		{
			Name:           "gunicorn-uvicorn",
			Aliases:        []string{"uvicorn-worker"},
			Kind:           KindASGI,
			Summary:        "gunicorn supervising uvicorn workers (ASGI)",
			Program:        "gunicorn",
			Packages:       []string{"gunicorn"},
			OneOf:          []string{"uvicorn-worker", "uvicorn"},
			StopSignal:     "SIGTERM",
			Web:            true,
			Concurrency:    ConcurrencyAsync,
			WorkersFlag:    "--workers",
			DefaultWorkers: 2,
			ConcurrencyDoc: "--workers = the workers setting, else 2 (async workers: about one per core); the threads setting is ignored.",
			ProjectDirDoc:  "--chdir=<ProjectDir>, as gunicorn.",
			Verified:       "gunicorn 20.1 --help and uvicorn.workers.UvicornWorker in python3-uvicorn 0.17 (Debian); started for real in both layouts. uvicorn_worker.UvicornWorker (package uvicorn-worker) is not packaged here.",
			Options:        gunicornOptions(),
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindASGI, c.ASGI)
				if err != nil {
					return nil, err
				}
				cmd := gunicornCommand(b, c, o, t)
				// uvicorn.workers is deprecated since uvicorn 0.30 in favour
				// of the separate uvicorn-worker distribution.
				class := "uvicorn.workers.UvicornWorker"
				if _, ok := c.Packages["uvicorn-worker"]; ok {
					class = "uvicorn_worker.UvicornWorker"
				}
				return cmd.set("worker-class", class), nil
			},
		},
		{
			Name:           "hypercorn",
			Kind:           KindASGI,
			Summary:        "hypercorn ASGI server (HTTP/1, HTTP/2)",
			Program:        "hypercorn",
			Packages:       []string{"hypercorn"},
			StopSignal:     "SIGTERM",
			Web:            true,
			Concurrency:    ConcurrencyAsync,
			WorkersFlag:    "--workers",
			DefaultWorkers: 2,
			ConcurrencyDoc: "--workers = the workers setting, else 2 (about one per core); the threads setting is ignored. Its graceful timeout is only 3 s unless --graceful-timeout is given.",
			ProjectDirDoc:  "no directory flag: the target's module part may be a path, and hypercorn inserts its parent directory into sys.path, so a sub-folder renders <ProjectDir>/<module>:<attr> (hypercorn/utils.py load_application, same in 0.13 and 0.17).",
			Verified:       "hypercorn 0.13 --help (Debian); started for real in both layouts",
			Options: []OptionSpec{
				{Name: "bind", Type: TypeList, Doc: "address(es) to listen on; replaces 0.0.0.0:$PORT"},
				{Name: "workers", Type: TypeInt, Doc: "worker processes; replaces Context.Workers"},
				{Name: "worker-class", Type: TypeString, Doc: "asyncio, uvloop or trio"},
				{Name: "graceful-timeout", Type: TypeInt, Doc: "seconds to finish requests after SIGTERM (default 3)"},
				{Name: "keep-alive", Type: TypeInt, Doc: "seconds to keep idle connections open"},
				{Name: "read-timeout", Type: TypeInt, Doc: "seconds before a socket read times out"},
				{Name: "access-logfile", Type: TypeString, Doc: "access log target, - for stdout"},
				{Name: "error-logfile", Type: TypeString, Doc: "error log target, - for stderr"},
				{Name: "log-level", Type: TypeString, Doc: "error log level"},
				{Name: "root-path", Type: TypeString, Doc: "ASGI root_path"},
				{Name: "backlog", Type: TypeInt, Doc: "listen backlog"},
				{Name: "insecure-bind", Type: TypeList, Doc: "extra non-TLS binds"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindASGI, c.ASGI)
				if err != nil {
					return nil, err
				}
				if c.ProjectDir != "" {
					t = c.ProjectDir + "/" + t
				}
				cmd := newCommand("hypercorn").set("bind", anyHost+":"+portWord)
				cmd.setCount(b.WorkersFlag, b.workers(c))
				return cmd.positional(t), nil
			},
		},
		{
			Name:           "daphne",
			Kind:           KindASGI,
			Summary:        "daphne, the Django Channels ASGI server (one process)",
			Program:        "daphne",
			Packages:       []string{"daphne"},
			StopSignal:     "SIGTERM",
			Web:            true,
			Concurrency:    ConcurrencySingle,
			ConcurrencyDoc: "one async process with no workers flag: the workers and threads settings are ignored; scale with more process instances.",
			ProjectDirDoc:  "daphne has no directory flag and only inserts \".\" into sys.path (daphne/cli.py); for a sub-folder it is started as `python -c <path shim> <ProjectDir> ...` which puts ProjectDir first on sys.path and calls daphne.cli.CommandLineInterface.entrypoint.",
			Verified:       "daphne 4.0 --help (Debian); started for real in both layouts",
			Options: []OptionSpec{
				{Name: "bind", Type: TypeString, Doc: "address to bind; replaces 0.0.0.0"},
				{Name: "port", Type: TypeString, Doc: "port to bind; replaces $PORT"},
				{Name: "proxy-headers", Type: TypeBool, Doc: "take the client address from X-Forwarded-For"},
				{Name: "proxy-headers-host", Type: TypeString, Doc: "header holding the client host"},
				{Name: "proxy-headers-port", Type: TypeString, Doc: "header holding the client port"},
				{Name: "http-timeout", Type: TypeInt, Doc: "seconds before an HTTP request times out"},
				{Name: "websocket-timeout", Flag: "--websocket_timeout", Type: TypeInt, Doc: "maximum websocket lifetime in seconds, -1 for none"},
				{Name: "websocket-connect-timeout", Flag: "--websocket_connect_timeout", Type: TypeInt, Doc: "seconds a websocket handshake may take"},
				{Name: "ping-interval", Type: TypeInt, Doc: "idle seconds before a websocket keepalive ping"},
				{Name: "ping-timeout", Type: TypeInt, Doc: "seconds before an unanswered ping closes the socket"},
				{Name: "application-close-timeout", Type: TypeInt, Doc: "seconds the app gets after a client disconnects"},
				{Name: "root-path", Type: TypeString, Doc: "ASGI root_path"},
				{Name: "access-log", Type: TypeString, Doc: "access log file, - for stdout"},
				{Name: "verbosity", Type: TypeInt, Doc: "log verbosity"},
				{Name: "server-name", Type: TypeString, Doc: "Server header value"},
				{Name: "no-server-name", Type: TypeBool, Doc: "send no Server header"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindASGI, c.ASGI)
				if err != nil {
					return nil, err
				}
				cmd := newCommand("daphne")
				if c.ProjectDir != "" {
					cmd = newCommand(c.Python, "-c", pathShim+`__import__("daphne.cli").cli.CommandLineInterface.entrypoint()`, c.ProjectDir)
				}
				cmd.set("bind", anyHost).set("port", portWord).on("proxy-headers")
				return cmd.positional(t), nil
			},
		},
		granian(KindASGI),
	}
}

// uvicornOptions are the uvicorn flags prodserver knows, shared by the ASGI
// and the WSGI-interface backends (checked against uvicorn 0.17 --help).
func uvicornOptions() []OptionSpec {
	return []OptionSpec{
		{Name: "host", Type: TypeString, Doc: "address to bind; replaces 0.0.0.0"},
		{Name: "port", Type: TypeString, Doc: "port to bind; replaces $PORT"},
		{Name: "workers", Type: TypeInt, Doc: "worker processes; replaces Context.Workers"},
		{Name: "app-dir", Type: TypeString, Doc: "directory to import from; replaces Context.ProjectDir"},
		{Name: "proxy-headers", Type: TypeBool, Negative: "--no-proxy-headers", Doc: "trust X-Forwarded-* from forwarded-allow-ips"},
		{Name: "forwarded-allow-ips", Type: TypeString, Doc: "proxy IPs trusted for proxy headers (rendered *: only Dokku's proxy reaches the container)"},
		{Name: "root-path", Type: TypeString, Doc: "ASGI root_path for an app mounted under a prefix"},
		{Name: "lifespan", Type: TypeString, Doc: "auto, on or off"},
		{Name: "log-level", Type: TypeString, Doc: "log level"},
		{Name: "access-log", Type: TypeBool, Negative: "--no-access-log", Doc: "access log"},
		{Name: "server-header", Type: TypeBool, Negative: "--no-server-header", Doc: "Server response header"},
		{Name: "date-header", Type: TypeBool, Negative: "--no-date-header", Doc: "Date response header"},
		{Name: "limit-concurrency", Type: TypeInt, Doc: "connections before answering 503"},
		{Name: "limit-max-requests", Type: TypeInt, Doc: "requests before a worker restarts"},
		{Name: "timeout-keep-alive", Type: TypeInt, Doc: "seconds to keep idle connections open"},
		{Name: "backlog", Type: TypeInt, Doc: "listen backlog"},
		{Name: "http", Type: TypeString, Doc: "HTTP implementation"},
		{Name: "loop", Type: TypeString, Doc: "event loop implementation"},
		{Name: "ws", Type: TypeString, Doc: "websocket implementation"},
		{Name: "header", Type: TypeList, Doc: "extra default response headers, Name:Value"},
	}
}

// uvicornCommand is the start of every uvicorn line: the import directory,
// the address Dokku routes to, one process unless told otherwise (see the
// uvicorn entry's Concurrency) and the proxy headers Dokku's proxy sends.
func uvicornCommand(b *Backend, c *Context, cmd *command) *command {
	if c.ProjectDir != "" {
		cmd.set("app-dir", c.ProjectDir)
	}
	cmd.set("host", anyHost).set("port", portWord)
	cmd.setCount(b.WorkersFlag, b.workers(c))
	return cmd.on("proxy-headers").set("forwarded-allow-ips", "*")
}
