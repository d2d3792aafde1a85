package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "waitress",
			Kind:           KindWSGI,
			Summary:        "waitress pure-Python threaded WSGI server (one process)",
			Program:        "waitress-serve",
			Packages:       []string{"waitress"},
			StopSignal:     "SIGINT", // no SIGTERM handler: TERM drops requests in flight; INT drains them,
			TermForm:       true,     // under TermOnly: SIGTERM mapped to KeyboardInterrupt, which drains (docs/k3s.md)
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
				{Name: "trusted-proxy", Type: TypeString, Doc: "peer whose proxy headers are trusted (rendered *: only Dokku's proxy reaches the container)"},
				{Name: "trusted-proxy-headers", Type: TypeString, Doc: "the proxy headers trusted, space-separated (rendered x-forwarded-proto: one word is all a Procfile carries)"},
				{Name: "url-prefix", Type: TypeString, Doc: "SCRIPT_NAME the app is mounted under"},
				{Name: "ident", Type: TypeString, Doc: "Server header value"},
				{Name: "expose-tracebacks", Type: TypeBool, Negative: "--no-expose-tracebacks", Doc: "show tracebacks to clients (never in production)"},
				{Name: "log-socket-errors", Type: TypeBool, Negative: "--no-log-socket-errors", Doc: "log premature client disconnects"},
				{Name: "ipv6", Type: TypeBool, Negative: "--no-ipv6", Doc: "IPv6 sockets for wildcard listens"},
			},
			Order:            20,
			Detect:           Detection{Rank: 30},
			DjangoProdserver: DjangoClasses{V2: "waitress.WaitressServer", V3: "servers.waitress.WaitressServer"},
			Examples: Examples{
				Root: "waitress-serve --listen=0.0.0.0:$PORT --threads=4 --trusted-proxy=* --trusted-proxy-headers=x-forwarded-proto proj.wsgi:application",
				Sub:  `python -c sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));sys.exit(__import__("waitress.runner").runner.run()) src --listen=0.0.0.0:$PORT --threads=4 --trusted-proxy=* --trusted-proxy-headers=x-forwarded-proto proj.wsgi:application`,
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindWSGI, c.WSGI)
				if err != nil {
					return nil, err
				}
				cmd := newCommand("waitress-serve")
				switch run := `sys.exit(__import__("waitress.runner").runner.run())`; {
				case c.TermOnly && c.ProjectDir != "":
					cmd = newCommand(c.Python, "-c", termShim+pathShim+run, c.ProjectDir)
				case c.TermOnly:
					cmd = newCommand(c.Python, "-c", termShim+`sys=__import__("sys");`+run)
				case c.ProjectDir != "":
					cmd = newCommand(c.Python, "-c", pathShim+run, c.ProjectDir)
				}
				cmd.set("listen", anyHost+":"+portWord)
				cmd.setCount(b.ThreadsFlag, b.threads(c))
				// Dokku's proxy is the only peer and sends X-Forwarded-Proto:
				// trusting it makes request.is_secure() true behind https
				// (tests/proxy_test.go). waitress splits the header list on
				// spaces, which no Procfile word carries through herokuish,
				// so X-Forwarded-For (REMOTE_ADDR) is left out.
				cmd.set("trusted-proxy", "*").set("trusted-proxy-headers", "x-forwarded-proto")
				return cmd.positional(t), nil
			},
		}
	})
}
