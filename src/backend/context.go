package backend

// Context is everything a backend needs to know about one process of one app to
// render its start command. It is plain data: the spec package fills it from
// detection, app.json, settings.py and the operator's properties; backends only
// read it. Paths are relative to the app's source root and use forward slashes.
type Context struct {
	// Proc is the Procfile process type, e.g. "web" or "worker".
	Proc string
	// ProjectDir is the folder that holds manage.py ("" means the source root).
	// Python imports of the Django project resolve from here.
	ProjectDir string
	// ManagePy is the path of manage.py from the source root, e.g. "src/manage.py".
	ManagePy string
	// Settings is the Django settings module, e.g. "config.settings.production".
	Settings string
	// WSGI and ASGI are "module:attr" targets, e.g. "proj.wsgi:application".
	WSGI string
	ASGI string
	// CeleryApp is what follows `celery -A`, e.g. "proj" or "proj.celery_app:app".
	CeleryApp string
	// BeatScheduler is the scheduler celery beat must use ("module:Class"),
	// from the project's beat command, CELERY_BEAT_SCHEDULER, the Celery
	// module's beat_scheduler or its installed django_celery_beat; "" lets
	// the backend decide from Packages.
	BeatScheduler string
	// UwsgiPlugin is the Python plugin the image's uWSGI must load first
	// ("python3" for the OS's modular uWSGI; "" when it has Python built in).
	UwsgiPlugin string
	// Packages holds the app's declared Python distributions, keyed by their
	// normalised name (PEP 503: lowercase, runs of -_. become -), valued by the
	// version specifier as declared ("" when none).
	Packages map[string]string
	// Python is the interpreter used for manage.py commands; "" means "python".
	Python string
	// Workers is the process count (or concurrency for task workers) to render;
	// 0 lets the backend pick its documented default.
	Workers int
	// Threads is the thread count per process for threaded servers; 0 = default.
	Threads int
	// MemoryMB is the process's memory limit (tuning.Limits.MemoryMB of
	// resource:limit, else the host's); 0 = unknown. Celery's prefork
	// children are recycled at a share of it.
	MemoryMB int
	// Options are typed options from the app's config or the operator, in order.
	Options []Option
	// Graceful is how many seconds the process may spend finishing its
	// in-flight work after the stop signal: tuning.GracefulTimeout of ps's
	// stop-timeout-seconds, read at deploy; 0 means Dokku's default
	// deadline (30 s), i.e. DefaultGraceful.
	Graceful int
	// Args are the operator's extra arguments (prodserver:args), appended as-is,
	// one argv word each.
	Args []string
	// TermOnly says the platform stops every process with SIGTERM
	// (scheduler-k3s has no per-process stop signal): a backend whose
	// graceful signal is another renders a form that drains on SIGTERM,
	// where the program allows one (TermForm).
	TermOnly bool
}

// Option is one typed command-line option. Value is one of: bool, string,
// int64, float64, []string. true renders a bare flag, false omits it (or the
// program's --no-x form), a list repeats the flag, scalars render --key=value.
type Option struct {
	Key   string
	Value any
}

// DefaultGraceful is tuning.GracefulTimeout(30): the graceful timeout for
// Dokku's default stop-timeout-seconds.
const DefaultGraceful = 25

// graceful is Context.Graceful, else DefaultGraceful.
func (c *Context) graceful() int {
	if c.Graceful > 0 {
		return c.Graceful
	}
	return DefaultGraceful
}
