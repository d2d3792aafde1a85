package backend

import (
	"fmt"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyversion"
)

// prodserverRolesSince is the django-prodserver major release that renamed
// `prodserver NAME` to `server NAME` and added `worker NAME` (keeping
// prodserver as a deprecated alias until 4.0).
const prodserverRolesSince = "3"

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "django-prodserver",
			Aliases:        []string{"prodserver"},
			Kind:           KindPassthrough,
			Summary:        "delegate to django-prodserver's PRODUCTION_PROCESSES (manage.py prodserver / server / worker)",
			Program:        "python",
			Packages:       []string{"django-prodserver"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencySettings,
			ConcurrencyDoc: "the process's ARGS in PRODUCTION_PROCESSES decide; the workers and threads settings are ignored.",
			ProjectDirDoc:  manageProjectDirDoc,
			Verified:       "not packaged here: checked against django_prodserver/management/commands/prodserver.py (nanorepublica/django-prodserver 2.4.0: one optional positional process name, no other options); the 3.0 server/worker commands are from the project's docs (docs/servers.md), not its source",
			Options: []OptionSpec{
				{Name: "process", Type: TypeString, Control: true, Doc: "PRODUCTION_PROCESSES key to run; default Context.Proc"},
				{Name: "role", Type: TypeString, Control: true, Doc: "server or worker, for django-prodserver >= 3; default server for the web process, worker otherwise"},
			},
			Order: 200,
			Examples: Examples{
				Root: "python manage.py prodserver web",
				Sub:  "python src/manage.py prodserver web",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				if err := rejectFlags(o, "django-prodserver takes each process's arguments from ARGS in PRODUCTION_PROCESSES"); err != nil {
					return nil, err
				}
				name, ok := o.controlString("process")
				if !ok {
					name = c.Proc
				}
				if name == "" {
					return nil, missing("no process name to look up in PRODUCTION_PROCESSES: give the option process")
				}
				if strings.HasPrefix(name, "-") || strings.ContainsAny(name, " \t") {
					return nil, fmt.Errorf("%w: process name %q must be a PRODUCTION_PROCESSES key", ErrInvalid, name)
				}
				role, set := o.controlString("role")
				if !set {
					role = "worker"
					if c.Proc == "web" {
						role = "server"
					}
				}
				if role != "server" && role != "worker" {
					return nil, fmt.Errorf("%w: role %q must be server or worker", ErrInvalid, role)
				}
				command := "prodserver"
				if pyversion.AtLeast(c.Packages["django-prodserver"], prodserverRolesSince) {
					command = role
				}
				return manage(c, command).positional(name), nil
			},
		}
	})
}
