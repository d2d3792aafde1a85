package backend

func init() {
	register(func() *Backend {
		return &Backend{
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
			Order:            110,
			Detect:           Detection{Queues: []string{"celery"}},
			DjangoProdserver: DjangoClasses{V2: "celery.CeleryWorker", V3: "workers.celery.CeleryWorker"},
			Examples: Examples{
				Root: "celery --app=proj worker --loglevel=INFO --concurrency=2",
				Sub:  "celery --workdir=src --app=proj worker --loglevel=INFO --concurrency=2",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd, err := celeryCommand(c, "worker")
				if err != nil {
					return nil, err
				}
				cmd.set("loglevel", "INFO").setCount(b.WorkersFlag, b.workers(c))
				return cmd, nil
			},
		}
	})
}
