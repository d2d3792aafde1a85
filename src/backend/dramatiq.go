package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "dramatiq",
			Aliases:        []string{"django-dramatiq", "rundramatiq"},
			Kind:           KindWorker,
			Summary:        "Dramatiq workers through django-dramatiq (rundramatiq)",
			Program:        "python",
			Packages:       []string{"django-dramatiq"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencyPrefork,
			WorkersFlag:    "--processes",
			ThreadsFlag:    "--threads",
			DefaultWorkers: 2,
			DefaultThreads: 8,
			ConcurrencyDoc: "--processes = the workers setting, else 2 (dramatiq's own default is the host CPU count, which over-subscribes a container); --threads = the threads setting, else 8 (dramatiq's default, rendered explicitly).",
			ProjectDirDoc:  manageProjectDirDoc + " rundramatiq then execs the dramatiq CLI with --path (default \".\", the source root), so a sub-folder also renders --path=<ProjectDir> for the task modules to import.",
			Verified:       "not packaged here: checked against django_dramatiq/management/commands/rundramatiq.py (Bogdanp/django_dramatiq)",
			Options: []OptionSpec{
				{Name: "processes", Type: TypeInt, Doc: "worker processes; replaces Context.Workers"},
				{Name: "threads", Type: TypeInt, Doc: "threads per process; replaces Context.Threads"},
				{Name: "path", Type: TypeString, Doc: "import path for the dramatiq CLI; replaces Context.ProjectDir"},
				{Name: "queues", Type: TypeString, Doc: "a queue to listen to (more: pass them in Args)"},
				{Name: "worker-shutdown-timeout", Type: TypeInt, Doc: "milliseconds workers get to stop"},
				{Name: "pid-file", Type: TypeString, Doc: "master PID file"},
				{Name: "log-file", Type: TypeString, Doc: "log file"},
				{Name: "skip-logging", Type: TypeBool, Doc: "do not call logging.basicConfig"},
				{Name: "use-gevent", Type: TypeBool, Doc: "gevent concurrency"},
				{Name: "fork-function", Type: TypeList, Doc: "functions to run in forked processes"},
			},
			Order:  170,
			Detect: Detection{Queues: []string{"dramatiq"}},
			Examples: Examples{
				Root: "python manage.py rundramatiq --processes=2 --threads=8",
				Sub:  "python src/manage.py rundramatiq --path=src --processes=2 --threads=8",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd := manage(c, "rundramatiq")
				if c.ProjectDir != "" {
					cmd.set("path", c.ProjectDir)
				}
				cmd.setCount(b.WorkersFlag, b.workers(c)).setCount(b.ThreadsFlag, b.threads(c))
				return cmd, nil
			},
		}
	})
}
