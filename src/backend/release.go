package backend

import "strings"

// releaseBackends are the commands for Dokku's release process, which runs
// once per deploy before the new containers start.
func releaseBackends() []*Backend {
	return []*Backend{
		{
			Name:           "migrate",
			Aliases:        []string{"release"},
			Kind:           KindRelease,
			Summary:        "Django migrations on every deploy (optionally collectstatic too)",
			Program:        "python",
			Packages:       []string{"django"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencyNone,
			ConcurrencyDoc: "runs once per deploy; Context.Workers and Threads are ignored.",
			ProjectDirDoc:  manageProjectDirDoc,
			Verified:       "manage.py migrate --help and collectstatic --help with python3-django 3.2 (Debian)",
			Options: []OptionSpec{
				{Name: "collectstatic", Type: TypeBool, Control: true, Doc: "also run collectstatic --noinput after a successful migrate (renders sh -c 'migrate && collectstatic')"},
				{Name: "noinput", Aliases: []string{"no-input"}, Type: TypeBool, Doc: "never prompt; rendered"},
				{Name: "database", Type: TypeString, Doc: "database alias to migrate"},
				{Name: "skip-checks", Type: TypeBool, Doc: "skip Django's system checks"},
				{Name: "run-syncdb", Type: TypeBool, Doc: "create tables for apps without migrations"},
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				migrate := manage(c, "migrate").on("noinput")
				if collect, _ := o.controlBool("collectstatic"); !collect {
					return migrate, nil
				}
				// Dokku runs the release command through the app's shell,
				// so it may chain; sh -c makes that explicit and keeps the
				// argv correct in exec form too. Options and Args belong
				// to migrate; collectstatic only runs if migrate succeeded.
				first := migrate.finish(o, c.Args)
				second := []string{c.Python, c.ManagePy, "collectstatic", "--noinput"}
				script := make([]string, 0, len(first)+len(second)+1)
				for _, w := range first {
					script = append(script, shellWord(w))
				}
				script = append(script, "&&")
				for _, w := range second {
					script = append(script, shellWord(w))
				}
				cmd := newCommand("sh", "-c", strings.Join(script, " "))
				cmd.final = true
				return cmd, nil
			},
		},
	}
}
