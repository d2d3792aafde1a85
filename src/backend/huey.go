package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "huey",
			Aliases:        []string{"run-huey", "djhuey"},
			Kind:           KindWorker,
			Summary:        "huey consumer through huey.contrib.djhuey (run_huey)",
			Program:        "python",
			Packages:       []string{"huey"},
			StopSignal:     "SIGINT",
			Concurrency:    ConcurrencyThreads,
			WorkersFlag:    "--workers",
			DefaultWorkers: 2,
			ConcurrencyDoc: "one process; --workers = the workers setting (one per core at deploy), else 2. huey's workers are threads by default (--worker-type), but they are its worker count: the workers setting sizes them, the threads setting does not apply. Stops gracefully only on SIGINT: SIGTERM stops at once and loses running tasks.",
			ProjectDirDoc:  manageProjectDirDoc,
			Verified:       "not packaged here: checked against huey/contrib/djhuey/management/commands/run_huey.py and huey/consumer_options.py (coleifer/huey)",
			Options: []OptionSpec{
				{Name: "workers", Type: TypeInt, Doc: "workers; replaces Context.Workers"},
				{Name: "worker-type", Type: TypeString, Doc: "thread, process or greenlet"},
				{Name: "delay", Type: TypeFloat, Doc: "initial polling delay in seconds"},
				{Name: "max-delay", Type: TypeFloat, Doc: "maximum polling delay in seconds"},
				{Name: "backoff", Type: TypeFloat, Doc: "polling back-off factor"},
				{Name: "health-check-interval", Type: TypeFloat, Doc: "seconds between worker health checks"},
				{Name: "disable-health-check", Type: TypeBool, Doc: "do not restart crashed workers"},
				{Name: "flush-locks", Type: TypeBool, Doc: "flush task locks at startup"},
				{Name: "extra-locks", Type: TypeString, Doc: "comma-separated extra locks to flush"},
				{Name: "max-tasks", Type: TypeInt, Doc: "restart a worker after this many tasks"},
				{Name: "scheduler-interval", Type: TypeInt, Doc: "scheduler granularity in seconds"},
				{Name: "no-periodic", Type: TypeBool, Doc: "do not enqueue periodic tasks"},
				{Name: "logfile", Type: TypeString, Doc: "log file"},
				{Name: "quiet", Type: TypeBool, Doc: "minimal logging"},
				{Name: "disable-autoload", Type: TypeBool, Doc: "do not import each app's tasks.py"},
			},
			Order:  180,
			Detect: Detection{Queues: []string{"huey"}},
			Examples: Examples{
				Root: "python manage.py run_huey --workers=2",
				Sub:  "python src/manage.py run_huey --workers=2",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				return manage(c, "run_huey").setCount(b.WorkersFlag, b.workers(c)), nil
			},
		}
	})
}
