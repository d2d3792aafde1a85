package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "celery-beat",
			Aliases:        []string{"beat"},
			Kind:           KindScheduler,
			Summary:        "Celery beat, the periodic task scheduler (exactly one instance)",
			Program:        "celery",
			Packages:       []string{"celery"},
			Singleton:      true,
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencyNone,
			ConcurrencyDoc: "one process, never more: a second beat fires every schedule twice. The workers and threads settings are ignored.",
			ProjectDirDoc:  celeryProjectDirDoc,
			Verified:       "celery 5.2 beat --help (Debian); django_celery_beat.schedulers.DatabaseScheduler in python3-django-celery-beat 2.4",
			Options: []OptionSpec{
				{Name: "loglevel", Type: TypeString, Doc: "log level, rendered INFO"},
				{Name: "scheduler", Type: TypeString, Doc: "scheduler class; rendered as django-celery-beat's DatabaseScheduler when that package is declared"},
				{Name: "schedule", Type: TypeString, Doc: "schedule database file for the default scheduler"},
				{Name: "max-interval", Type: TypeInt, Doc: "maximum seconds between schedule checks"},
			},
			Order:            120,
			DjangoProdserver: DjangoClasses{V2: "celery.CeleryBeat", V3: "workers.celery.CeleryBeat"},
			Examples: Examples{
				Root: "celery --app=proj beat --loglevel=INFO",
				Sub:  "celery --workdir=src --app=proj beat --loglevel=INFO",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd, err := celeryCommand(c, "beat")
				if err != nil {
					return nil, err
				}
				cmd.set("loglevel", "INFO")
				if c.BeatScheduler != "" {
					cmd.set("scheduler", c.BeatScheduler)
				} else if _, ok := c.Packages["django-celery-beat"]; ok {
					cmd.set("scheduler", "django_celery_beat.schedulers:DatabaseScheduler")
				}
				return cmd, nil
			},
		}
	})
}
