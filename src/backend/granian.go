package backend

import "fmt"

// granian-wsgi and granian-asgi are one program with two interfaces.
func init() {
	register(func() *Backend {
		b := granian(KindWSGI)
		b.Order, b.Detect = 40, Detection{Rank: 40}
		b.DjangoProdserver = DjangoClasses{V2: "granian.GranianWSGIServer", V3: "servers.granian.GranianWSGIServer"}
		b.Examples = Examples{
			Root: "granian --interface=wsgi --host=0.0.0.0 --port=$PORT --workers=2 proj.wsgi:application",
			Sub:  "granian --interface=wsgi --host=0.0.0.0 --port=$PORT --working-dir=src --workers=2 proj.wsgi:application",
		}
		return b
	})
	register(func() *Backend {
		b := granian(KindASGI)
		b.Order, b.Detect = 100, Detection{Rank: 50}
		b.DjangoProdserver = DjangoClasses{V2: "granian.GranianASGIServer", V3: "servers.granian.GranianASGIServer"}
		b.Examples = Examples{
			Root: "granian --interface=asgi --host=0.0.0.0 --port=$PORT --workers=2 proj.asgi:application",
			Sub:  "granian --interface=asgi --host=0.0.0.0 --port=$PORT --working-dir=src --workers=2 proj.asgi:application",
		}
		return b
	})
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
