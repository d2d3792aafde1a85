package backend

// gunicornASGISince is the first gunicorn release whose native ASGI worker
// is stable (added as a beta in 24.0.0; "ASGI Worker: Promoted from beta to
// stable" in the 25.1.0 changelog).
const gunicornASGISince = "25.1"

func init() {
	register(func() *Backend {
		return &Backend{
			Name:        "gunicorn-asgi",
			Kind:        KindASGI,
			Summary:     "gunicorn's native asyncio ASGI worker (-k asgi, gunicorn >= " + gunicornASGISince + ")",
			Program:     "gunicorn",
			Packages:    []string{"gunicorn"},
			StopSignal:  "SIGTERM",
			Web:         true,
			Concurrency: ConcurrencyAsync,
			// The worker runs one event loop per process and takes its
			// in-flight limit from --worker-connections (default 1000);
			// it logs a warning for --threads and ignores them.
			WorkersFlag:    "--workers",
			DefaultWorkers: 2,
			ConcurrencyDoc: "--workers = the workers setting, else 2 (async workers: about one per core); the threads setting is ignored (the asgi worker warns about threads and uses worker-connections).",
			ProjectDirDoc:  "--chdir=<ProjectDir>, as gunicorn.",
			Verified:       "not installable here (Debian has gunicorn 20.1, which lacks the worker): flags checked against gunicorn/config.py and the worker name against gunicorn/workers/__init__.py (\"asgi\": gunicorn.workers.gasgi.ASGIWorker) at benoitc/gunicorn 25.1.0; --asgi-lifespan auto (the default) carries on when Django's ASGI handler refuses the lifespan scope (gunicorn/workers/gasgi.py)",
			Options: append(gunicornOptions(),
				OptionSpec{Name: "asgi-loop", Type: TypeString, Doc: "event loop: auto (uvloop when installed), asyncio or uvloop"},
				OptionSpec{Name: "asgi-lifespan", Type: TypeString, Doc: "lifespan protocol: auto, on or off"},
				OptionSpec{Name: "asgi-disconnect-grace-period", Type: TypeInt, Doc: "seconds an app gets to clean up after a client disconnects"},
				OptionSpec{Name: "root-path", Type: TypeString, Doc: "ASGI root_path for an app mounted under a prefix"},
			),
			Order: 75,
			// Picked for an ASGI app that declares a gunicorn new enough
			// and no uvicorn (gunicorn-uvicorn ranks first), instead of an
			// undeclared uvicorn.
			Detect: Detection{Rank: 15, MinVersions: map[string]string{"gunicorn": gunicornASGISince}},
			Examples: Examples{
				Root: "gunicorn --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=asgi proj.asgi:application",
				Sub:  "gunicorn --chdir=src --bind=0.0.0.0:$PORT --workers=2 --graceful-timeout=25 --forwarded-allow-ips=* --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --worker-class=asgi proj.asgi:application",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindASGI, c.ASGI)
				if err != nil {
					return nil, err
				}
				return gunicornCommand(b, c, o, t).set("worker-class", "asgi"), nil
			},
		}
	})
}
