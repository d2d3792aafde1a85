package backend

func init() {
	register(func() *Backend {
		return &Backend{
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
			Order:            150,
			Detect:           Detection{Queues: []string{"django-q", "django-q2"}},
			DjangoProdserver: DjangoClasses{V2: "django_q2.DjangoQ2Worker", V3: "workers.django_q2.DjangoQ2Worker"},
			Examples: Examples{
				Root: "python manage.py qcluster",
				Sub:  "python src/manage.py qcluster",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				return manage(c, "qcluster"), nil
			},
		}
	})
}
