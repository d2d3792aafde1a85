package backend

// ChainAnd is the one argv word with shell meaning a backend may render, and
// only a KindRelease backend: it separates two commands, the second run only
// if the first succeeded. Dokku runs the release process through the app's
// shell, so the consumer quotes each command on its own and joins them with
// " && " (spec.joinCommand does).
const ChainAnd = "&&"

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "migrate",
			Aliases:        []string{"release"},
			Kind:           KindRelease,
			Summary:        "Django migrations on every deploy (optionally collectstatic too)",
			Program:        "python",
			Packages:       []string{"django"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencyNone,
			ConcurrencyDoc: "runs once per deploy; the workers and threads settings are ignored.",
			ProjectDirDoc:  manageProjectDirDoc,
			Verified:       "manage.py migrate --help and collectstatic --help with python3-django 3.2 (Debian)",
			Options: []OptionSpec{
				{Name: "collectstatic", Type: TypeBool, Control: true, Doc: "also run collectstatic --noinput after a successful migrate (the argv chains them with the word &&)"},
				{Name: "noinput", Aliases: []string{"no-input"}, Type: TypeBool, Doc: "never prompt; rendered"},
				{Name: "database", Type: TypeString, Doc: "database alias to migrate"},
				{Name: "skip-checks", Type: TypeBool, Doc: "skip Django's system checks"},
				{Name: "run-syncdb", Type: TypeBool, Doc: "create tables for apps without migrations"},
			},
			Order: 190,
			Examples: Examples{
				Root: "python manage.py migrate --noinput",
				Sub:  "python src/manage.py migrate --noinput",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				migrate := manage(c, "migrate").on("noinput")
				if collect, _ := o.controlBool("collectstatic"); !collect {
					return migrate, nil
				}
				// Options and Args belong to migrate; collectstatic runs
				// only if migrate succeeded.
				cmd := newCommand(migrate.finish(o, c.Args)...)
				cmd.head = append(cmd.head, ChainAnd, c.Python, c.ManagePy, "collectstatic", "--noinput")
				cmd.final = true
				return cmd, nil
			},
		}
	})
}
