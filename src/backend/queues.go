package backend

import (
	"fmt"
	"strings"
)

// manageProjectDirDoc is shared by every manage.py command.
const manageProjectDirDoc = "python <ManagePy>: Python puts manage.py's own directory first on sys.path, so the project imports from any working directory."

// manage starts `python path/to/manage.py <command>`.
func manage(c *Context, command string) *command {
	return newCommand(c.Python, c.ManagePy, command)
}

// rqPoolSince is the first django-rq release with the rqworker-pool command
// (django-rq commit 1a1cd3b, "Add RQPool management command", tag v2.10.1).
const rqPoolSince = "2.10.1"

// queueBackends are the task-queue workers other than Celery, all started
// through manage.py.
func queueBackends() []*Backend {
	return []*Backend{
		{
			Name:           "rq-worker",
			Aliases:        []string{"rq", "django-rq", "rqworker"},
			Kind:           KindWorker,
			Summary:        "django-rq worker (rqworker, or rqworker-pool for several workers)",
			Program:        "python",
			Packages:       []string{"django-rq"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencySingle,
			WorkersFlag:    "--num-workers",
			DefaultWorkers: 1,
			ConcurrencyDoc: "rqworker runs one job at a time. With the workers setting above 1 it renders `rqworker-pool --num-workers=N` when the declared django-rq version is >= " + rqPoolSince + " (the first with rqworker-pool); otherwise rqworker, and the count is left to ps:scale. The bool option pool forces the choice. Queues are positionals from the list option queues, default [default].",
			ProjectDirDoc:  manageProjectDirDoc,
			Verified:       "manage.py rqworker --help with python3-django-rq 2.7 (Debian). rqworker-pool is newer than Debian's django-rq: checked against django_rq/management/commands/rqworker-pool.py (rq/django-rq, v2.10.1 and later)",
			Options: []OptionSpec{
				{Name: "queues", Type: TypeList, Control: true, Doc: "queue names to consume, rendered as positionals; default [default]"},
				{Name: "pool", Type: TypeBool, Control: true, Doc: "true: rqworker-pool (django-rq >= " + rqPoolSince + "); false: rqworker; unset: pool when Workers > 1 and the declared version allows it"},
				{Name: "num-workers", Type: TypeInt, Doc: "rqworker-pool size; replaces Context.Workers"},
				{Name: "worker-class", Type: TypeString, Doc: "RQ worker class"},
				{Name: "queue-class", Type: TypeString, Doc: "RQ queue class"},
				{Name: "job-class", Type: TypeString, Doc: "RQ job class"},
				{Name: "burst", Type: TypeBool, Doc: "exit when the queues are empty"},
				{Name: "with-scheduler", Type: TypeBool, Doc: "also run RQ's scheduler for enqueue_at/enqueue_in jobs"},
				{Name: "name", Type: TypeString, Doc: "worker name (rqworker only)"},
				{Name: "worker-ttl", Type: TypeInt, Doc: "seconds a worker's registration lives"},
				{Name: "max-jobs", Type: TypeInt, Doc: "jobs before the worker exits"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				queues := []string{"default"}
				if q, ok := o.controlList("queues"); ok {
					queues = q
				}
				for _, q := range queues {
					if q == "" || strings.HasPrefix(q, "-") {
						return nil, fmt.Errorf("%w: queue name %q must be non-empty and not start with '-'", ErrInvalid, q)
					}
				}
				n := b.workers(c)
				pool, set := o.controlBool("pool")
				if !set {
					pool = n > 1 && minVersionAtLeast(c.Packages["django-rq"], rqPoolSince)
				}
				if !pool {
					return manage(c, "rqworker").positional(queues...), nil
				}
				cmd := manage(c, "rqworker-pool").setCount(b.WorkersFlag, n)
				return cmd.positional(queues...), nil
			},
		},
		{
			Name:           "django-q",
			Aliases:        []string{"django-q2", "qcluster"},
			Kind:           KindWorker,
			Summary:        "Django Q / Django Q2 cluster (qcluster)",
			Program:        "python",
			OneOf:          []string{"django-q2", "django-q"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencySettings,
			ConcurrencyDoc: "qcluster takes its worker count from Q_CLUSTER[\"workers\"] in settings (default: CPU count); it has no flag, so the workers and threads settings are ignored.",
			ProjectDirDoc:  manageProjectDirDoc,
			Verified:       "manage.py qcluster --help with python3-django-q 1.3.9 (Debian); django-q2's qcluster checked in django_q/management/commands/qcluster.py (django-q2/django-q2)",
			Options: []OptionSpec{
				{Name: "run-once", Type: TypeBool, Doc: "start, process once and stop"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				return manage(c, "qcluster"), nil
			},
		},
		{
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
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				return manage(c, "db_worker").word("reload", "--no-reload"), nil
			},
		},
		{
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
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd := manage(c, "rundramatiq")
				if c.ProjectDir != "" {
					cmd.set("path", c.ProjectDir)
				}
				cmd.setCount(b.WorkersFlag, b.workers(c)).setCount(b.ThreadsFlag, b.threads(c))
				return cmd, nil
			},
		},
		{
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
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				return manage(c, "run_huey").setCount(b.WorkersFlag, b.workers(c)), nil
			},
		},
	}
}
