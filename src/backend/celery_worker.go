package backend

import "strings"

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
				Root: "celery --app=proj worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=1000",
				Sub:  "celery --workdir=src --app=proj worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=1000",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd, err := celeryCommand(c, "worker")
				if err != nil {
					return nil, err
				}
				cmd.set("loglevel", "INFO").setCount(b.WorkersFlag, b.workers(c))
				if !celeryRecycles(o, c.Args) {
					return cmd, nil
				}
				cmd.setInt("max-tasks-per-child", MaxTasksPerChild)
				workers := b.workers(c)
				if n := o.count(b.WorkersFlag); n > 0 { // a concurrency option replaces the flag
					workers = n
				}
				if kib := MemoryPerChildKiB(c.MemoryMB, workers); kib > 0 {
					cmd.setInt("max-memory-per-child", kib)
				}
				return cmd, nil
			},
		}
	})
}

// MaxTasksPerChild and MemoryPerChildKiB recycle a prefork pool's child, so
// a leak in a task (a growing cache, a C extension) is bounded. The parent
// keeps the broker connection and the app it imported, and forks the
// replacement from itself (no import, milliseconds), so even a pool of one
// child keeps consuming: tasks wait in the parent meanwhile, none is lost
// (tests/recycle_test.go). 1000 tasks is gunicorn's MaxRequests: rare
// enough that the fork and the task's fresh database connection cost
// nothing measurable, often enough to bound a slow leak.
const MaxTasksPerChild = 1000

// MinMemoryPerChildMB is the floor of --max-memory-per-child: half of
// tuning.MBPerWorker, above a Django child's resident size after the fork
// (celery compares the child's peak RSS, which starts at its parent's), so
// an operator's high concurrency never turns into a replacement after
// every task.
const MinMemoryPerChildMB = 128

// MemoryPerChildKiB is --max-memory-per-child (celery takes KiB) for a
// container of memoryMB running workers children: an equal share of the
// limit for each child and the parent, so a child that grows past its
// share finishes its task and is replaced before the children together
// drive the container into its memory limit, where the kernel's OOM
// killer would kill a child mid-task (celery reports WorkerLostError). At
// least MinMemoryPerChildMB; 0 (no flag) when the limit is unknown.
func MemoryPerChildKiB(memoryMB, workers int) int {
	if memoryMB <= 0 {
		return 0
	}
	if workers < 1 {
		workers = 1
	}
	mb := memoryMB / (workers + 1)
	if mb < MinMemoryPerChildMB {
		mb = MinMemoryPerChildMB
	}
	return mb * 1024
}

// celeryRecycles says the worker runs the prefork pool, the only one whose
// children can be recycled: solo runs tasks in the worker process itself
// (recycling it is a restart), and threads, gevent and eventlet ignore
// both flags. The pool is the last --pool of an option (an adopted line's
// -P is one) or of prodserver:args; none means prefork, celery's default.
func celeryRecycles(o *options, args []string) bool {
	pool := "prefork"
	if f, ok := o.lookup("pool"); ok {
		pool, _ = f.value.(string)
	}
	for i, a := range args {
		switch {
		case (a == "--pool" || a == "-P") && i+1 < len(args):
			pool = args[i+1]
		case strings.HasPrefix(a, "--pool="):
			pool = strings.TrimPrefix(a, "--pool=")
		case strings.HasPrefix(a, "-P") && len(a) > 2:
			pool = strings.TrimPrefix(strings.TrimPrefix(a, "-P"), "=")
		}
	}
	switch strings.ToLower(strings.TrimSpace(pool)) {
	case "prefork", "processes":
		return true
	}
	return false
}
