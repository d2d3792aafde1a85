package backend

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "celery-flower",
			Aliases:        []string{"flower"},
			Kind:           KindWorker,
			Summary:        "Flower, the Celery monitoring web UI",
			Program:        "celery",
			Packages:       []string{"celery", "flower"},
			StopSignal:     "SIGTERM",
			Web:            true,
			Concurrency:    ConcurrencySingle,
			ConcurrencyDoc: "one process; the workers and threads settings are ignored.",
			ProjectDirDoc:  celeryProjectDirDoc,
			Verified:       "flower is not installed here: flags checked against flower/command.py (`celery flower` with tornado options) and flower/options.py (mher/flower); tornado options need the --key=value form rendered here",
			Options: []OptionSpec{
				{Name: "address", Type: TypeString, Doc: "address to bind; replaces 0.0.0.0"},
				{Name: "port", Type: TypeString, Doc: "port to bind; replaces $PORT"},
				{Name: "basic-auth", Type: TypeString, Doc: "comma-separated user:password pairs"},
				{Name: "url-prefix", Type: TypeString, Doc: "URL prefix flower is served under"},
				{Name: "persistent", Type: TypeBool, Negative: "--persistent=False", Doc: "keep state in --db between restarts"},
				{Name: "db", Type: TypeString, Doc: "state database file"},
				{Name: "max-tasks", Type: TypeInt, Doc: "tasks kept in memory"},
			},
			Order: 130,
			// django-prodserver 2.x has no flower backend; its 2.x-style path is read too.
			DjangoProdserver: DjangoClasses{V3: "servers.flower.CeleryFlower", Also: []string{"flower.CeleryFlower"}},
			Examples: Examples{
				Root: "celery --app=proj flower --address=0.0.0.0 --port=$PORT",
				Sub:  "celery --workdir=src --app=proj flower --address=0.0.0.0 --port=$PORT",
			},
			build: func(b *Backend, c *Context, o *options) (*command, error) {
				cmd, err := celeryCommand(c, "flower")
				if err != nil {
					return nil, err
				}
				return cmd.set("address", anyHost).set("port", portWord), nil
			},
		}
	})
}
