package backend

func init() {
	register(func() *Backend {
		return &Backend{
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
			Order:  90,
			Detect: Detection{Rank: 30},
			Examples: Examples{
				Root: "daphne --bind=0.0.0.0 --port=$PORT --proxy-headers proj.asgi:application",
				Sub:  `python -c sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));__import__("daphne.cli").cli.CommandLineInterface.entrypoint() src --bind=0.0.0.0 --port=$PORT --proxy-headers proj.asgi:application`,
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
		}
	})
}
