// Package facts is what package project found in an app's source tree, as
// plain data: the plan decides from it and deploy.json keeps it. It is
// apart from project, which reads the disk, so the plan links no I/O.
package facts

import "github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"

// Queue names reported in Facts.Queues, one per task queue integration
// prodserver can run a worker for.
const (
	QueueCelery      = "celery"
	QueueRQ          = "rq"
	QueueDjangoQ     = "django-q"
	QueueDjangoQ2    = "django-q2"
	QueueHuey        = "huey"
	QueueDramatiq    = "dramatiq"
	QueueDjangoTasks = "django-tasks"
)

// Where Facts.Settings came from.
const (
	SettingsFromOption  = "option"    // project.Options.SettingsModule
	SettingsFromManage  = "manage.py" // os.environ.setdefault in manage.py
	SettingsFromWSGI    = "wsgi"      // os.environ.setdefault in wsgi.py / asgi.py
	SettingsFromGuessed = "guessed"   // a settings.py / settings package found by looking
)

// DatabaseScheduler is django-celery-beat's scheduler, which beat must be
// told to use (`--scheduler`) when the app keeps its schedule in the
// database.
const DatabaseScheduler = "django_celery_beat.schedulers:DatabaseScheduler"

// PersistentScheduler is celery's default scheduler, named explicitly when
// django-celery-beat is declared but not installed as a Django app, so that
// DatabaseScheduler (which then crashes at start) is never inferred.
const PersistentScheduler = "celery.beat:PersistentScheduler"

// Facts is what project.Scan found. Paths are relative to the scanned root and
// slash-separated; "" for a directory means the root itself. Zero values
// mean "not found". Facts are kept in deploy.json: each JSON key is fixed
// by a tag (the field names 0.1.0 wrote), so renaming a field cannot
// silently change what an older record loads as.
type Facts struct {
	// Django is true when the tree has a manage.py or declares Django.
	Django bool `json:"Django"`
	// ManagePy is the manage.py to run (`python <ManagePy> migrate`).
	ManagePy string `json:"ManagePy"`
	// ProjectDir is the folder Python puts first on sys.path when running
	// manage.py: its own folder, or its target's folder when manage.py is
	// a symlink. Module paths (settings, WSGI, Celery) are relative to it.
	ProjectDir string `json:"ProjectDir"`

	// Settings is the settings module, SettingsSource where it came from
	// (Settings* constants) and SettingsFile its file.
	Settings       string `json:"Settings"`
	SettingsSource string `json:"SettingsSource"`
	SettingsFile   string `json:"SettingsFile"`
	// SettingsFiles are the settings module and the modules it
	// star-imports, in the order their values take precedence.
	SettingsFiles []string `json:"SettingsFiles"`
	// SettingsChoices say which file each settings include built from an
	// environment variable read, and why (the variable's value and where
	// it came from).
	SettingsChoices []string `json:"SettingsChoices,omitempty"`

	// WSGI and ASGI are the application objects as "module:attr", ready
	// for a server's command line.
	WSGI string `json:"WSGI"`
	ASGI string `json:"ASGI"`
	// NeedsASGI says the app must be served by an ASGI server, and
	// ASGIReason why (channels installed, asgi.py without wsgi.py...).
	NeedsASGI  bool   `json:"NeedsASGI"`
	ASGIReason string `json:"ASGIReason"`

	// InstalledApps are the integration apps (channels, django_rq,
	// django_celery_beat...) the settings install. INSTALLED_APPS is often
	// built by an expression (DJANGO_APPS + THIRD_PARTY_APPS), so these are
	// the known labels found as string literals in the settings modules.
	InstalledApps []string `json:"InstalledApps"`

	// CeleryApp is the -A argument for celery ("config.celery_app", or
	// "module:attr" when the attribute is neither app nor celery) and
	// CeleryFile the module's file.
	CeleryApp  string `json:"CeleryApp"`
	CeleryFile string `json:"CeleryFile"`
	// CeleryBeat says the app has periodic tasks (a beat schedule, or
	// django-celery-beat), BeatScheduler the scheduler beat must use when
	// it is not the default one.
	CeleryBeat    bool   `json:"CeleryBeat"`
	BeatScheduler string `json:"BeatScheduler"`

	// DevServerTargets are the Makefile targets whose recipe starts
	// Django's development server (directly or through another target),
	// "" standing for the default goal, so a Procfile `web: make run` is
	// known for the dev server it is (see RunsDevServer).
	DevServerTargets []string `json:"DevServerTargets,omitempty"`

	// Queues are the task queues the app uses (Queue* constants), in a
	// fixed order.
	Queues []string `json:"Queues"`
	// RQQueues are the queue names django-rq's RQ_QUEUES defines, in order:
	// an rq worker started without them consumes only "default" and jobs
	// sent to the others never run.
	RQQueues []string `json:"RQQueues"`

	// Packages are the dependencies a production install gets: PEP 503
	// name -> specifier as declared ("" when none). DevPackages are those
	// declared only for development (dev groups, requirements-dev.txt).
	// Locked are the versions pinned by lock files and constraints files.
	Packages    map[string]string `json:"Packages"`
	DevPackages map[string]string `json:"DevPackages"`
	Locked      map[string]string `json:"Locked"`
	// DependencyFiles are the manifests and lock files read, in order.
	DependencyFiles []string `json:"DependencyFiles"`

	// UwsgiPlugin is the plugin the image's uWSGI must load ("python3")
	// when UwsgiPluginFile (Dockerfile or Aptfile) installs the OS's
	// modular uWSGI; "" for pip's uwsgi, which has Python built in.
	UwsgiPlugin     string `json:"UwsgiPlugin,omitempty"`
	UwsgiPluginFile string `json:"UwsgiPluginFile,omitempty"`

	// ProductionProcesses is settings' PRODUCTION_PROCESSES as a literal
	// (django-prodserver's process config), ProductionProcessesFound
	// whether it is assigned at all and ProductionProcessesErr why it could
	// not be read (not a literal, a syntax error).
	ProductionProcesses      pyliteral.Value `json:"-"`
	ProductionProcessesFound bool            `json:"ProductionProcessesFound"`
	ProductionProcessesErr   error           `json:"-"`
	// ProdserverMajor is the major version of django-prodserver the app
	// declares or locks, 0 when unknown. 2.x and 3.x name their backend
	// classes and commands differently.
	ProdserverMajor int `json:"ProdserverMajor"`

	// Daemons are the long-running processes the project declares for
	// another process manager (supervisord, compose, uWSGI, s6, systemd,
	// Procfile.*), which Dokku does not start: the plan offers each as a
	// Procfile line, or names it in a warning (the daemons setting).
	Daemons []Daemon `json:"Daemons,omitempty"`

	// Warnings explain every guess, ambiguity and unreadable file.
	Warnings []string `json:"Warnings"`
	// Stats say how much of the tree was looked at.
	Stats Stats `json:"Stats"`
}

// Daemon is one long-running process declared outside the Procfile, read
// as the tool that declares it would split it.
type Daemon struct {
	// Name is the Procfile name it is offered under (the program's or
	// service's name, made a valid process name); AltName the name of
	// its manage.py command or program, for when Name is taken.
	Name    string `json:"name"`
	AltName string `json:"alt_name,omitempty"`
	// Declared is the command as written and From where: "file: what".
	Declared string `json:"declared"`
	From     string `json:"from"`
	// Manage holds the words after manage.py when the daemon runs a
	// management command: rendered as the app's own python manage.py.
	Manage []string `json:"manage,omitempty"`
	// Argv is the command's words when it needs no shell; Shell says why
	// it does (`&&`, a redirection, `VAR=x`): rendered through sh -c.
	Argv  []string `json:"argv,omitempty"`
	Shell string   `json:"shell,omitempty"`
	// Unrenderable says why no Procfile line can be written for it (a
	// supervisord or uWSGI placeholder such as %(ENV_X)s): it is named in
	// a warning only.
	Unrenderable string `json:"unrenderable,omitempty"`
}

// Stats count the work Scan did, so tests and benchmarks can check that it
// stays small.
type Stats struct {
	DirsRead  int // directories listed
	FilesRead int // files opened
	Entries   int // directory entries looked at
	Skipped   int // directories not entered (node_modules, .venv, ...)
}
