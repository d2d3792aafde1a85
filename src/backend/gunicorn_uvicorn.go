package backend

func init() {
	register(func() *Backend {
		return &Backend{
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
			Order:          70,
			Detect:         Detection{Rank: 10},
			Examples: Examples{
				Root: "gunicorn --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=uvicorn.workers.UvicornWorker proj.asgi:application",
				Sub:  "gunicorn --chdir=src --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=uvicorn.workers.UvicornWorker proj.asgi:application",
			},
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
		}
	})
}
