package backend

// celeryProjectDirDoc is shared by every celery subcommand.
const celeryProjectDirDoc = "--workdir=<ProjectDir>, a global option before --app: celery changes directory eagerly, then imports the app with the current directory on sys.path."

// celeryCommand starts `celery [--workdir=dir] --app=app <sub>`. The global
// options must come before the subcommand (celery 5 refuses -A after it), so
// they are head words that options do not replace.
func celeryCommand(c *Context, sub string) (*command, error) {
	app, err := needCeleryApp(c.CeleryApp)
	if err != nil {
		return nil, err
	}
	cmd := newCommand("celery")
	if c.ProjectDir != "" {
		cmd.head = append(cmd.head, "--workdir="+c.ProjectDir)
	}
	cmd.head = append(cmd.head, "--app="+app, sub)
	return cmd, nil
}

// celeryBackends are Celery's worker, beat scheduler and flower monitor.
func celeryBackends() []*Backend {
	return []*Backend{
		{
			Name:           "celery-worker",
			Aliases:        []string{"celery"},
			Kind:           KindWorker,
			Summary:        "Celery worker consuming the app's task queues",
			Program:        "celery",
			Packages:       []string{"celery"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencyPrefork,
			WorkersFlag:    "--concurrency",
			DefaultWorkers: 2,
			ConcurrencyDoc: "--concurrency = the workers setting, else 2: celery's own default is the host's CPU count, which over-subscribes a CPU-limited container. SIGTERM is a warm shutdown: running tasks finish first.",
			ProjectDirDoc:  celeryProjectDirDoc,
			Verified:       "celery 5.2 --help and celery worker --help (Debian); --workdir tried for real with an app under src/",
			Options: []OptionSpec{
				{Name: "concurrency", Type: TypeInt, Doc: "pool size; replaces Context.Workers"},
				{Name: "loglevel", Type: TypeString, Doc: "log level, rendered INFO"},
				{Name: "pool", Type: TypeString, Doc: "prefork, threads, solo, gevent or eventlet"},
				{Name: "queues", Type: TypeString, Doc: "comma-separated queues to consume"},
				{Name: "exclude-queues", Type: TypeString, Doc: "comma-separated queues not to consume"},
				{Name: "hostname", Type: TypeString, Doc: "node name, e.g. worker1@%h"},
				{Name: "prefetch-multiplier", Type: TypeInt, Doc: "messages prefetched per process"},
				{Name: "max-tasks-per-child", Type: TypeInt, Doc: "recycle a child after this many tasks"},
				{Name: "max-memory-per-child", Type: TypeInt, Doc: "recycle a child above this many KiB"},
				{Name: "time-limit", Type: TypeFloat, Doc: "hard task time limit in seconds"},
				{Name: "soft-time-limit", Type: TypeFloat, Doc: "soft task time limit in seconds"},
				{Name: "autoscale", Type: TypeString, Doc: "MAX,MIN pool autoscaling"},
				{Name: "task-events", Type: TypeBool, Doc: "send task events (for flower)"},
				{Name: "without-gossip", Type: TypeBool, Doc: "do not subscribe to other workers' events"},
				{Name: "without-mingle", Type: TypeBool, Doc: "do not synchronise with other workers at startup"},
				{Name: "without-heartbeat", Type: TypeBool, Doc: "send no heartbeats"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd, err := celeryCommand(c, "worker")
				if err != nil {
					return nil, err
				}
				cmd.set("loglevel", "INFO").setCount(b.WorkersFlag, b.workers(c))
				return cmd, nil
			},
		},
		{
			Name:           "celery-beat",
			Aliases:        []string{"beat"},
			Kind:           KindScheduler,
			Summary:        "Celery beat, the periodic task scheduler (exactly one instance)",
			Program:        "celery",
			Packages:       []string{"celery"},
			Singleton:      true,
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencyNone,
			ConcurrencyDoc: "one process, never more: a second beat fires every schedule twice. The workers and threads settings are ignored.",
			ProjectDirDoc:  celeryProjectDirDoc,
			Verified:       "celery 5.2 beat --help (Debian); django_celery_beat.schedulers.DatabaseScheduler in python3-django-celery-beat 2.4",
			Options: []OptionSpec{
				{Name: "loglevel", Type: TypeString, Doc: "log level, rendered INFO"},
				{Name: "scheduler", Type: TypeString, Doc: "scheduler class; rendered as django-celery-beat's DatabaseScheduler when that package is declared"},
				{Name: "schedule", Type: TypeString, Doc: "schedule database file for the default scheduler"},
				{Name: "max-interval", Type: TypeInt, Doc: "maximum seconds between schedule checks"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd, err := celeryCommand(c, "beat")
				if err != nil {
					return nil, err
				}
				cmd.set("loglevel", "INFO")
				if c.BeatScheduler != "" {
					cmd.set("scheduler", c.BeatScheduler)
				} else if _, ok := c.Packages["django-celery-beat"]; ok {
					cmd.set("scheduler", "django_celery_beat.schedulers:DatabaseScheduler")
				}
				return cmd, nil
			},
		},
		{
			Name:           "celery-flower",
			Aliases:        []string{"flower"},
			Kind:           KindWorker,
			Summary:        "Flower, the Celery monitoring web UI",
			Program:        "celery",
			Packages:       []string{"celery", "flower"},
			StopSignal:     "SIGTERM",
			Web:            true,
			Concurrency:    ConcurrencySingle,
			ConcurrencyDoc: "one process; the workers and threads settings are ignored.",
			ProjectDirDoc:  celeryProjectDirDoc,
			Verified:       "flower is not installed here: flags checked against flower/command.py (`celery flower` with tornado options) and flower/options.py (mher/flower); tornado options need the --key=value form rendered here",
			Options: []OptionSpec{
				{Name: "address", Type: TypeString, Doc: "address to bind; replaces 0.0.0.0"},
				{Name: "port", Type: TypeString, Doc: "port to bind; replaces $PORT"},
				{Name: "basic-auth", Type: TypeString, Doc: "comma-separated user:password pairs"},
				{Name: "url-prefix", Type: TypeString, Doc: "URL prefix flower is served under"},
				{Name: "persistent", Type: TypeBool, Negative: "--persistent=False", Doc: "keep state in --db between restarts"},
				{Name: "db", Type: TypeString, Doc: "state database file"},
				{Name: "max-tasks", Type: TypeInt, Doc: "tasks kept in memory"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd, err := celeryCommand(c, "flower")
				if err != nil {
					return nil, err
				}
				return cmd.set("address", anyHost).set("port", portWord), nil
			},
		},
	}
}
