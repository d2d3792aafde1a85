package backend

import (
	"fmt"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyversion"
)

// rqPoolSince is the first django-rq release with the rqworker-pool command
// (django-rq commit 1a1cd3b, "Add RQPool management command", tag v2.10.1).
const rqPoolSince = "2.10.1"

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "rq-worker",
			Aliases:        []string{"rq", "django-rq", "rqworker"},
			Kind:           KindWorker,
			Summary:        "django-rq worker (rqworker; rqworker-pool for several workers on django-rq >= " + rqPoolSince + ")",
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
			Order:  140,
			Detect: Detection{Queues: []string{"rq"}},
			Examples: Examples{
				Root: "python manage.py rqworker default",
				Sub:  "python src/manage.py rqworker default",
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
					pool = n > 1 && pyversion.AtLeast(c.Packages["django-rq"], rqPoolSince)
				}
				if !pool {
					return manage(c, "rqworker").positional(queues...), nil
				}
				cmd := manage(c, "rqworker-pool").setCount(b.WorkersFlag, n)
				return cmd.positional(queues...), nil
			},
		}
	})
}
