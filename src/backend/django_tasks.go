package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "django-tasks",
			Aliases:        []string{"db-worker", "django-tasks-db"},
			Kind:           KindWorker,
			Summary:        "django-tasks database-backend worker (db_worker)",
			Program:        "python",
			OneOf:          []string{"django-tasks-db", "django-tasks"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencySingle,
			ConcurrencyDoc: "one task at a time per process; scale with more process instances. The workers and threads settings are ignored.",
			ProjectDirDoc:  manageProjectDirDoc,
			Verified:       "not packaged here: checked against db_worker.py in RealOrangeOne/django-tasks-db 0.12 (and django-tasks 0.8-0.11, where the command lived before the split); --reload is a BooleanOptionalAction defaulting to DEBUG, so --no-reload exists since django-tasks 0.8.0",
			Options: []OptionSpec{
				{Name: "reload", Type: TypeBool, Negative: "--no-reload", Doc: "reload on code changes; rendered --no-reload because it defaults to DEBUG"},
				{Name: "queue-name", Type: TypeString, Doc: "comma-separated queues to process, * for all"},
				{Name: "backend", Type: TypeString, Doc: "task backend alias"},
				{Name: "interval", Type: TypeFloat, Doc: "seconds between polls when idle"},
				{Name: "batch", Type: TypeBool, Doc: "process outstanding tasks, then exit"},
				{Name: "max-tasks", Type: TypeInt, Doc: "tasks before the worker exits"},
				{Name: "worker-id", Type: TypeString, Doc: "unique worker id"},
			},
			Order:            160,
			Detect:           Detection{Queues: []string{"django-tasks"}},
			DjangoProdserver: DjangoClasses{V2: "django_tasks.DjangoTasksWorker", V3: "workers.django_tasks.DjangoTasksWorker"},
			Examples: Examples{
				Root: "python manage.py db_worker --no-reload",
				Sub:  "python src/manage.py db_worker --no-reload",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				return manage(c, "db_worker").word("reload", "--no-reload"), nil
			},
		}
	})
}
