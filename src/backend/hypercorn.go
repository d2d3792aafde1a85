package backend

func init() {
	register(func() *Backend {
		return &Backend{
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
			Order:  80,
			Detect: Detection{Rank: 40},
			Examples: Examples{
				Root: "hypercorn --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --access-logfile=- proj.asgi:application",
				Sub:  "hypercorn --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --access-logfile=- src/proj.asgi:application",
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
				// hypercorn's graceful timeout is 3 s: a longer request in
				// flight at SIGTERM was answered 500 (TestStopWebFinishesInFlight).
				// Its access log is off unless given a target.
				cmd.setInt("graceful-timeout", c.graceful()).set("access-logfile", "-")
				return cmd.positional(t), nil
			},
		}
	})
}
