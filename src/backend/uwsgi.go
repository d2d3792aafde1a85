package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "uwsgi",
			Kind:           KindWSGI,
			Summary:        "uWSGI pre-fork WSGI server speaking HTTP directly",
			Program:        "uwsgi",
			Packages:       []string{"uwsgi"},
			StopSignal:     "SIGTERM",
			Web:            true,
			Concurrency:    ConcurrencyPrefork,
			WorkersFlag:    "--processes",
			ThreadsFlag:    "--threads",
			DefaultWorkers: 3,
			ConcurrencyDoc: "--processes = the workers setting, sized at deploy by Heroku's min(2×cores+1, MB/256) sync-worker formula, else 3 (that formula for one core); --threads only when the threads setting is above 0. --master supervises them; --die-on-term makes SIGTERM stop instead of reload.",
			ProjectDirDoc:  "--chdir=<ProjectDir>: uWSGI changes directory before loading the app and imports from there.",
			Verified:       "uwsgi 2.0.21 --plugin python3 --help (Debian); started for real in both layouts with --plugin=python3 rendered from a Dockerfile naming uwsgi-plugin-python3 (TestServersWeb/uwsgi)",
			Options: []OptionSpec{
				{Name: "http-socket", Type: TypeList, Doc: "address(es) to serve HTTP on; replaces 0.0.0.0:$PORT"},
				{Name: "processes", Aliases: []string{"workers"}, Type: TypeInt, Doc: "worker processes; replaces Context.Workers"},
				{Name: "threads", Type: TypeInt, Doc: "threads per worker"},
				{Name: "chdir", Type: TypeString, Doc: "directory to load the app from; replaces Context.ProjectDir"},
				{Name: "module", Type: TypeString, Doc: "WSGI module:callable; replaces Context.WSGI"},
				{Name: "plugin", Type: TypeList, Doc: "plugins to load, rendered first: a modular uWSGI (Debian's apt package) needs python3; pip's uwsgi has Python built in"},
				{Name: "master", Type: TypeBool, Doc: "run the supervising master process"},
				{Name: "die-on-term", Type: TypeBool, Doc: "stop (not reload) on SIGTERM"},
				{Name: "need-app", Type: TypeBool, Doc: "exit when the app cannot be loaded instead of serving errors"},
				{Name: "enable-threads", Type: TypeBool, Doc: "let app-created Python threads run"},
				{Name: "harakiri", Type: TypeInt, Doc: "seconds before a stuck request's worker is killed"},
				{Name: "max-requests", Type: TypeInt, Doc: "recycle a worker after this many requests"},
				{Name: "buffer-size", Type: TypeInt, Doc: "request header buffer in bytes"},
				{Name: "lazy-apps", Type: TypeBool, Doc: "load the app in each worker instead of the master"},
				{Name: "single-interpreter", Type: TypeBool, Doc: "use one Python interpreter"},
				{Name: "static-map", Type: TypeList, Doc: "mountpoint=directory static file mappings"},
			},
			Order:  30,
			Detect: Detection{Rank: 20},
			Examples: Examples{
				Root: "uwsgi --http-socket=0.0.0.0:$PORT --module=proj.wsgi:application --master --processes=3 --die-on-term --need-app --enable-threads",
				Sub:  "uwsgi --http-socket=0.0.0.0:$PORT --chdir=src --module=proj.wsgi:application --master --processes=3 --die-on-term --need-app --enable-threads",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				t, err := needTarget(KindWSGI, c.WSGI)
				if err != nil {
					return nil, err
				}
				// A plugin option must precede the options it defines:
				// Debian's modular uWSGI rejects --module before
				// --plugin=python3 ("unrecognized option").
				// The OS's uWSGI (found in the Dockerfile or Aptfile) gets
				// its Python plugin rendered; the plugin option replaces it.
				cmd := newCommand("uwsgi").slot("plugin")
				if c.UwsgiPlugin != "" {
					cmd = newCommand("uwsgi").set("plugin", c.UwsgiPlugin)
				}
				cmd.set("http-socket", anyHost+":"+portWord)
				if c.ProjectDir != "" {
					cmd.set("chdir", c.ProjectDir)
				}
				cmd.set("module", t).on("master")
				cmd.setCount(b.WorkersFlag, b.workers(c)).setCount(b.ThreadsFlag, b.threads(c))
				return cmd.on("die-on-term").on("need-app").on("enable-threads"), nil
			},
		}
	})
}
