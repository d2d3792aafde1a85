package backend

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyname"
)

// Errors a Render may wrap, so callers can tell a missing fact (ask the
// operator to set it) from an invalid value (fix the value).
var (
	// ErrMissing wraps every "a required fact is not known" error, e.g. no
	// WSGI target for gunicorn or no Celery app for celery.
	ErrMissing = errors.New("missing required fact")
	// ErrInvalid wraps every "a value cannot be rendered" error: control
	// characters, malformed targets, bad option keys or types.
	ErrInvalid = errors.New("invalid value")
)

// portWord is the only expansion a rendered argv may contain; Dokku (or
// procfile-util) replaces it with the port the process must listen on.
const portWord = "$PORT"

// anyHost is the address every web backend binds, so Dokku's proxy and its
// port healthcheck reach the process from outside the container.
const anyHost = "0.0.0.0"

var (
	// optionKey is what an option key may look like before '_' becomes '-'.
	optionKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`) })
	// dotted is a Python dotted name, e.g. "config.wsgi".
	dotted = `[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*`
	// celeryApp is what `celery --app` takes: "proj" or "proj.celery:app".
	celeryApp = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^` + dotted + `(?::` + dotted + `)?$`) })
)

// render is Backend.Render: validate the Context, parse options, let the
// backend build its command, then apply options and Args.
func (b *Backend) render(c Context) ([]string, error) {
	if err := normalise(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name, err)
	}
	for i, a := range c.Args {
		if a == ChainAnd && b.Kind == KindRelease {
			return nil, fmt.Errorf("%s: %w: Args[%d] is %q, which would chain a command onto the release process", b.Name, ErrInvalid, i, a)
		}
	}
	o, err := parseOptions(b, c.Options)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name, err)
	}
	cmd, err := b.build(b, &c, o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name, err)
	}
	argv := cmd.finish(o, c.Args)
	for i, w := range argv {
		if err := checkText(fmt.Sprintf("argv[%d]", i), w); err != nil {
			return nil, fmt.Errorf("%s: %w", b.Name, err) // defensive: inputs were checked
		}
	}
	return argv, nil
}

// normalise checks every Context field a backend may render and fills the
// documented defaults: Python "python", ManagePy ProjectDir/manage.py, and
// ProjectDir "." read as the source root.
func normalise(c *Context) error {
	fields := []struct{ name, value string }{
		{"Proc", c.Proc}, {"ProjectDir", c.ProjectDir}, {"ManagePy", c.ManagePy},
		{"Settings", c.Settings}, {"WSGI", c.WSGI}, {"ASGI", c.ASGI},
		{"CeleryApp", c.CeleryApp}, {"Python", c.Python},
	}
	for _, f := range fields {
		if err := checkText(f.name, f.value); err != nil {
			return err
		}
	}
	for i, a := range c.Args {
		if err := checkText(fmt.Sprintf("Args[%d]", i), a); err != nil {
			return err
		}
	}
	if c.Workers < 0 || c.Threads < 0 {
		return fmt.Errorf("%w: Workers (%d) and Threads (%d) must not be negative", ErrInvalid, c.Workers, c.Threads)
	}
	if c.ProjectDir == "." {
		c.ProjectDir = ""
	}
	if err := checkRelPath("ProjectDir", c.ProjectDir); err != nil {
		return err
	}
	if c.ManagePy == "" {
		c.ManagePy = path.Join(c.ProjectDir, "manage.py")
	}
	if err := checkRelPath("ManagePy", c.ManagePy); err != nil {
		return err
	}
	if strings.ContainsAny(c.Python, " \u00a0") {
		return fmt.Errorf("%w: Python %q must be one executable (a path or a name on PATH), not a command line", ErrInvalid, c.Python)
	}
	if c.Python == "" {
		c.Python = "python"
	}
	return nil
}

// checkText rejects control characters (NUL, newline, tab, ...): no
// Procfile line can carry them, and a newline would start a new process.
func checkText(name, s string) error {
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s %q contains control character %U, which no Procfile line can carry", ErrInvalid, name, s, r)
		}
	}
	return nil
}

// checkRelPath accepts "" or a clean relative forward-slash path inside
// the source root. A ':' is refused because hypercorn and uWSGI split
// their arguments on it.
func checkRelPath(name, p string) error {
	if p == "" {
		return nil
	}
	if strings.ContainsAny(p, `:\`) || path.IsAbs(p) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") {
		return fmt.Errorf("%w: %s %q must be a clean relative path inside the source root (forward slashes, no '..', ':' or '\\')", ErrInvalid, name, p)
	}
	return nil
}

// needTarget returns the WSGI or ASGI target, or an error naming what is
// missing or malformed.
func needTarget(kind Kind, t string) (string, error) {
	field := strings.ToUpper(string(kind))
	if t == "" {
		return "", missing("no %s target: set %s_APPLICATION in settings.py, or dokku prodserver:set <app> %s proj.%s:application", field, field, kind, kind)
	}
	// Checked, not converted: settings and detection normalise with the
	// same pyname.Target, so what reaches here is already module:attr.
	if !pyname.IsTarget(t) {
		return "", fmt.Errorf("%w: %s target %q must be module:attr, e.g. \"proj.%s:application\"", ErrInvalid, field, t, kind)
	}
	return t, nil
}

// needCeleryApp returns Context.CeleryApp, or an error when it is missing
// or malformed.
func needCeleryApp(a string) (string, error) {
	if a == "" {
		return "", missing("no Celery app (what follows celery -A): dokku prodserver:set <app> celery-app proj")
	}
	if !celeryApp().MatchString(a) {
		return "", fmt.Errorf("%w: Celery app %q must be a module or module:attr, e.g. \"proj\" or \"proj.celery:app\"", ErrInvalid, a)
	}
	return a, nil
}

// workers is the process count to render: Context.Workers, else the
// backend's documented default.
func (b *Backend) workers(c *Context) int {
	if c.Workers > 0 {
		return c.Workers
	}
	return b.DefaultWorkers
}

// threads is the thread count to render: Context.Threads, else the
// backend's documented default (0: leave the flag out).
func (b *Backend) threads(c *Context) int {
	if c.Threads > 0 {
		return c.Threads
	}
	return b.DefaultThreads
}

// missingError is an ErrMissing error whose text is its message alone:
// the sentinel is for callers' errors.Is, and its words ("missing required
// fact") would tell the operator nothing the message does not.
type missingError struct{ msg string }

func (e *missingError) Error() string { return e.msg }

// Is makes errors.Is(err, ErrMissing) true.
func (e *missingError) Is(target error) bool { return target == ErrMissing }

// missing formats an ErrMissing error that names what the operator sets.
func missing(format string, a ...any) error { return &missingError{fmt.Sprintf(format, a...)} }
