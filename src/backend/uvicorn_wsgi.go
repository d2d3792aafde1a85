package backend

func init() {
	register(func() *Backend {
		return &Backend{
			// django-prodserver's UvicornWSGIServer: uvicorn serving the
			// WSGI application through its WSGI interface.
			Name:       "uvicorn-wsgi",
			Kind:       KindWSGI,
			Summary:    "uvicorn serving the WSGI application (--interface=wsgi, django-prodserver's UvicornWSGIServer)",
			Program:    "uvicorn",
			Packages:   []string{"uvicorn"},
			StopSignal: "SIGTERM",
			Web:        true,
			// One process: uvicorn's --workers supervisor loses TCP_NODELAY
			// (uvicorn#3149). Unlike the uvicorn entry it is not sized by the
			// proxy: the WSGI interface was not measured behind nginx.
			// Requests run on the WSGI adapter's thread pool (uvicorn's own
			// WSGIMiddleware, or a2wsgi when installed), which has no flag.
			Concurrency:      ConcurrencySingle,
			WorkersFlag:      "--workers",
			DefaultWorkers:   1,
			ConcurrencyDoc:   "--workers = Context.Workers, else 1: uvicorn's multi-worker mode loses TCP_NODELAY on kept-alive connections (uvicorn#3149; not measured behind the proxy for the WSGI interface); requests run on the WSGI adapter's thread pool, which has no flag, so Context.Threads is ignored. For several processes use gunicorn, or scale the web process.",
			ProjectDirDoc:    "--app-dir=<ProjectDir>, as uvicorn.",
			Verified:         "uvicorn 0.17 --help (Debian), --interface wsgi; started for real in both layouts (tests/servers_test.go). django-prodserver's UvicornWSGIServer passes the WSGI app name and --interface=wsgi.",
			Options:          uvicornOptions(),
			Order:            50,
			DjangoProdserver: DjangoClasses{V2: "uvicorn.UvicornWSGIServer", V3: "servers.uvicorn.UvicornWSGIServer"},
			Examples: Examples{
				Root: "uvicorn --interface=wsgi --host=0.0.0.0 --port=$PORT --workers=1 --proxy-headers --forwarded-allow-ips=* proj.wsgi:application",
				Sub:  "uvicorn --interface=wsgi --app-dir=src --host=0.0.0.0 --port=$PORT --workers=1 --proxy-headers --forwarded-allow-ips=* proj.wsgi:application",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindWSGI, c.WSGI)
				if err != nil {
					return nil, err
				}
				cmd := newCommand("uvicorn").set("interface", "wsgi")
				return uvicornCommand(b, c, cmd).positional(t), nil
			},
		}
	})
}
