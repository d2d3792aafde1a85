package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:       "uvicorn",
			Kind:       KindASGI,
			Summary:    "uvicorn ASGI server, with its own multi-process supervisor",
			Program:    "uvicorn",
			Packages:   []string{"uvicorn"},
			StopSignal: "SIGTERM",
			Web:        true,
			// Sized by how Dokku's nginx reaches it. uvicorn's own --workers
			// supervisor hands its workers a listening socket without
			// IPPROTO_TCP, so asyncio never sets TCP_NODELAY on accepted
			// connections and every keep-alive request after the first waits
			// ~40 ms for a delayed ACK (Linux; Kludex/uvicorn#3149, open as of
			// 2026-11). That only bites when connections are reused: with
			// nginx's proxy-keepalive set, one process; without it nginx opens
			// a new upstream connection per request, and one process per core
			// served more (docs/benchmarks.md).
			Concurrency:      ConcurrencyProxied,
			WorkersFlag:      "--workers",
			DefaultWorkers:   1,
			ConcurrencyDoc:   "--workers = the workers setting, else for the web process one per core when nginx's proxy-keepalive is unset (a new connection per request) and 1 when it is set or the process is not behind the proxy: uvicorn's multi-worker mode loses TCP_NODELAY on kept-alive connections (uvicorn#3149, ~40 ms per request).",
			ProjectDirDoc:    "--app-dir=<ProjectDir>: uvicorn puts it on sys.path before importing the target.",
			Verified:         "uvicorn 0.17 --help (Debian); started for real in both layouts",
			Options:          uvicornOptions(),
			Order:            60,
			Detect:           Detection{Rank: 20, Fallback: true},
			DjangoProdserver: DjangoClasses{V2: "uvicorn.UvicornServer", V3: "servers.uvicorn.UvicornServer"},
			Examples: Examples{
				Root: "uvicorn --host=0.0.0.0 --port=$PORT --workers=1 --proxy-headers --forwarded-allow-ips=* proj.asgi:application",
				Sub:  "uvicorn --app-dir=src --host=0.0.0.0 --port=$PORT --workers=1 --proxy-headers --forwarded-allow-ips=* proj.asgi:application",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindASGI, c.ASGI)
				if err != nil {
					return nil, err
				}
				return uvicornCommand(b, c, newCommand("uvicorn")).positional(t), nil
			},
		}
	})
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
