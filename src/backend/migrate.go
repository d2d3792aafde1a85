package backend

// ChainAnd is the shell's "run the next command if this one succeeded". No
// backend renders it, and a release backend refuses it in Args: Dokku runs
// the release line through the app's shell only when the image has no
// ENTRYPOINT (plugins/app-json/functions.go constructScript), and what a
// chained collectstatic writes there is never committed to the image.
const ChainAnd = "&&"

func init() {
	register(func() *Backend {
		return &Backend{
			Name:           "migrate",
			Aliases:        []string{"release"},
			Kind:           KindRelease,
			Summary:        "Django migrations on every deploy",
			Program:        "python",
			Packages:       []string{"django"},
			StopSignal:     "SIGTERM",
			Concurrency:    ConcurrencyNone,
			ConcurrencyDoc: "runs once per deploy; the workers and threads settings are ignored.",
			ProjectDirDoc:  manageProjectDirDoc,
			Verified:       "manage.py migrate --help and collectstatic --help with python3-django 3.2 (Debian)",
			Options: []OptionSpec{
				{Name: "collectstatic", Type: TypeBool, Control: true, Doc: "ignored, with a deploy warning: Dokku does not keep the release container's files, so collectstatic belongs in the build (the buildpack, a Dockerfile RUN line) or app.json's scripts.dokku.predeploy"},
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
				return manage(c, "migrate").on("noinput"), nil
			},
		}
	})
}
