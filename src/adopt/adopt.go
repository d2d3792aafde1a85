// Package adopt reads a hand-written Procfile command that starts a
// catalogued server or worker (`gunicorn mysite.wsgi -w 4`, `celery -A proj
// worker`) into what the plan renders from: the backend, its application
// target and the user's flags as typed options. The plan then renders the
// backend with those options, so the user's explicit flags win and what the
// line lacks (the $PORT bind, sized concurrency, graceful stop, proxy and
// log defaults) is filled in.
//
// It is conservative: a line it cannot read word for word (a shell
// operator, an environment prefix, a variable other than $PORT, a wrapper
// program, a config file flag, a flag it cannot tell takes a value) is not
// adopted, and the plan keeps it byte for byte. Parse is pure.
package adopt

import (
	"fmt"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyname"
)

// Line is a user's Procfile command understood as a catalogued backend.
type Line struct {
	// Backend is the catalogue name, e.g. "gunicorn" or "celery-worker".
	Backend string
	// Target is the WSGI or ASGI application, module:attr ("" for workers).
	Target string
	// CeleryApp is celery's -A value ("" for servers).
	CeleryApp string
	// ProjectDir is the import folder the user's line names through a flag
	// the backend renders from its context (celery --workdir, hypercorn's
	// path target); "" keeps the source root, where the line ran before.
	ProjectDir string
	// Options are the user's flags, in order, keyed by the backend's option
	// names (a short flag is read as its long name).
	Options []backend.Option
}

// NotUnderstood says why a line that starts a catalogued program was not
// adopted, so the deploy can name what to change.
type NotUnderstood struct {
	Program string
	Why     string
}

func (e *NotUnderstood) Error() string {
	return fmt.Sprintf("%s line kept as written: %s", e.Program, e.Why)
}

// Parse reads cmd, a Procfile command as procfile.File.Get returns it. It
// returns nil, nil for a line that does not start a catalogued program (a
// script, a wrapper, `python manage.py ...`), and a *NotUnderstood for one
// that does but cannot be read safely.
func Parse(cmd string) (*Line, error) {
	argv, err := procfile.Split(cmd, map[string]string{"PORT": procfile.PortVar})
	if err != nil || len(argv) == 0 {
		return nil, nil
	}
	p, ok := programs[argv[0]]
	if !ok {
		return nil, nil
	}
	fail := func(format string, a ...any) (*Line, error) {
		return nil, &NotUnderstood{Program: argv[0], Why: fmt.Sprintf(format, a...)}
	}
	if strings.Contains(strings.ReplaceAll(cmd, procfile.PortVar, ""), "$") {
		return fail("it uses a variable other than $PORT, which only a shell expands")
	}
	for _, w := range argv {
		if shellWords[w] || strings.ContainsAny(w, "|;&<>`") {
			return fail("%q is shell syntax", w)
		}
	}
	return p.parse(argv)
}

// shellWords are argv words that mean something only to a shell.
var shellWords = map[string]bool{"&&": true, "||": true, ";": true, "|": true, "&": true, ">": true, "<": true, "2>&1": true}

// program knows how one executable spells its flags.
type program struct {
	name string
	// short maps a one-letter flag to its long name.
	short map[byte]string
	// values are long flags outside the catalogue's options that take a
	// value; every other unknown flag is read as a bare switch.
	values []string
	// refused are flags that make the line's meaning depend on something
	// prodserver does not read (a config file) or that break a container
	// (daemonising); a line holding one is kept as written.
	refused []string
	// dir is the flag naming the folder the program imports from, which
	// the backend renders from its context (Context.ProjectDir) at its own
	// place on the line: read into Line.ProjectDir, not kept as a user
	// option, so a rendered line adopted again renders to the same bytes.
	dir   string
	parse func(argv []string) (*Line, error)
}

var programs = map[string]*program{}

func init() {
	for _, p := range []*program{gunicorn, uvicorn, hypercorn, daphne, waitress, uwsgi, celery, granian} {
		programs[p.name] = p
	}
}

// flags reads argv words into options for backend b, with positionals
// returned apart. A value-taking flag takes the next word unless written
// --key=value; short flags may carry their value attached (-w4).
func (p *program) flags(b *backend.Backend, words []string) (opts []backend.Option, positionals []string, err error) {
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "--" || w == "-" || !strings.HasPrefix(w, "-") {
			if w == "--" {
				return nil, nil, p.refuse("a bare -- ends the flags")
			}
			positionals = append(positionals, w)
			continue
		}
		var key, value string
		hasValue := false
		if strings.HasPrefix(w, "--") {
			key, value, hasValue = strings.Cut(w[2:], "=")
		} else {
			long, ok := p.short[w[1]]
			if !ok {
				return nil, nil, p.refuse("flag %s is not one prodserver knows for %s; write it --long-name=value", w, p.name)
			}
			key = long
			if len(w) > 2 {
				value, hasValue = strings.TrimPrefix(w[2:], "="), true
			}
		}
		key = strings.ReplaceAll(key, "_", "-")
		for _, r := range p.refused {
			if key == r {
				return nil, nil, p.refuse("flag %s is left to you: drop it or move its settings onto the line", w)
			}
		}
		spec, known := b.Option(key)
		takesValue := known && spec.Type != backend.TypeBool || !known && contains(p.values, key)
		if known {
			key = spec.Name
		}
		if !takesValue {
			if hasValue {
				opts = append(opts, backend.Option{Key: key, Value: value})
			} else {
				opts = append(opts, backend.Option{Key: key, Value: true})
			}
			continue
		}
		if !hasValue {
			if i+1 >= len(words) {
				return nil, nil, p.refuse("flag %s has no value", w)
			}
			i++
			value = words[i]
		}
		opts = append(opts, typed(key, known, spec, value))
	}
	return opts, positionals, nil
}

// typed turns a flag's text into the option value Render expects: a list
// option gathers repeated flags, counts become integers.
func typed(key string, known bool, spec backend.OptionSpec, value string) backend.Option {
	if known && spec.Type == backend.TypeList {
		return backend.Option{Key: key, Value: []string{value}}
	}
	return backend.Option{Key: key, Value: value}
}

func (p *program) refuse(format string, a ...any) error {
	return &NotUnderstood{Program: p.name, Why: fmt.Sprintf(format, a...)}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// mergeLists joins repeated list options (--bind a --bind b) into one
// option at the first one's place, as the program would read them.
func mergeLists(opts []backend.Option) []backend.Option {
	var out []backend.Option
	at := map[string]int{}
	for _, o := range opts {
		if l, ok := o.Value.([]string); ok {
			if i, seen := at[o.Key]; seen {
				out[i].Value = append(out[i].Value.([]string), l...)
				continue
			}
			at[o.Key] = len(out)
		}
		out = append(out, o)
	}
	return out
}

// lookup is backend.Lookup for a name this package knows is catalogued.
func lookup(name string) *backend.Backend {
	b, err := backend.Lookup(name)
	if err != nil {
		panic("adopt: " + name + " is not in the catalogue") // a programming error, caught by the tests
	}
	return b
}

// option returns the value of the last option named key, and removes every
// option of that key from opts.
func take(opts *[]backend.Option, key string) (any, bool) {
	var v any
	found := false
	kept := (*opts)[:0:0]
	for _, o := range *opts {
		if o.Key == key {
			v, found = o.Value, true
			continue
		}
		kept = append(kept, o)
	}
	*opts = kept
	return v, found
}

// server parses a web server line with one positional, the application.
// bareModule is the attribute the program assumes when the target has no
// colon (gunicorn's "application"); "" means the program needs the colon.
func server(p *program, name string, argv []string, bareModule string) (*Line, error) {
	b := lookup(name)
	opts, pos, err := p.flags(b, argv[1:])
	if err != nil {
		return nil, err
	}
	return serverLine(p, b, opts, pos, bareModule)
}

func serverLine(p *program, b *backend.Backend, opts []backend.Option, pos []string, bareModule string) (*Line, error) {
	if len(pos) != 1 {
		return nil, p.refuse("want one application (module:attr) among the words, found %d: %q", len(pos), pos)
	}
	t := pos[0]
	if !strings.Contains(t, ":") && bareModule != "" && pyname.IsDotted(t) {
		t += ":" + bareModule
	}
	if !pyname.IsTarget(t) {
		return nil, p.refuse("application %q is not module:attr", pos[0])
	}
	dir := ""
	if p.dir != "" {
		if v, ok := take(&opts, p.dir); ok {
			dir = fmt.Sprint(v)
		}
	}
	return &Line{Backend: b.Name, Target: t, ProjectDir: dir, Options: mergeLists(opts)}, nil
}

var gunicorn = &program{
	name:  "gunicorn",
	short: map[byte]string{'b': "bind", 'w': "workers", 'k': "worker-class", 't': "timeout", 'c': "config", 'D': "daemon", 'e': "env", 'p': "pid", 'u': "user", 'g': "group", 'm': "umask", 'n': "name", 'R': "enable-stdio-inheritance"},
	values: []string{"log-file", "error-logfile", "access-logformat", "name", "pid", "user", "group", "umask", "env", "pythonpath",
		"log-config", "statsd-host", "statsd-prefix", "limit-request-line", "limit-request-fields", "limit-request-field-size", "backlog",
		"worker-tmp-dir", "proxy-allow-from", "certfile", "keyfile", "ca-certs", "ssl-version", "ciphers", "logger-class", "reload-engine",
		"reload-extra-file", "dogstatsd-tags", "log-syslog-to", "log-syslog-prefix", "log-syslog-facility", "paste", "access-log-format"},
	refused: []string{"config", "daemon", "paste", "print-config", "check-config"},
	dir:     "chdir",
}

var uvicorn = &program{
	name: "uvicorn",
	values: []string{"uds", "fd", "reload-dir", "reload-include", "reload-exclude", "reload-delay", "env-file", "log-config",
		"ws-max-size", "ws-ping-interval", "ws-ping-timeout", "ssl-keyfile", "ssl-certfile", "ssl-keyfile-password", "ssl-version",
		"ssl-cert-reqs", "ssl-ca-certs", "ssl-ciphers", "h11-max-incomplete-event-size", "interface", "timeout-graceful-shutdown", "ws-per-message-deflate"},
	dir: "app-dir",
}

var hypercorn = &program{
	name:  "hypercorn",
	short: map[byte]string{'b': "bind", 'w': "workers", 'k': "worker-class", 'c': "config", 'g': "group", 'u': "user", 'm': "umask", 'p': "pid", 'd': "debug"},
	values: []string{"access-logformat", "ca-certs", "certfile", "ciphers", "keyfile", "pid", "server-name", "statsd-host",
		"statsd-prefix", "umask", "user", "group", "websocket-ping-interval", "quic-bind", "log-config", "access-log", "max-requests", "keyfile-password"},
	refused: []string{"config"},
}

var daphne = &program{
	name:    "daphne",
	short:   map[byte]string{'b': "bind", 'p': "port", 'u': "unix-socket", 'e': "endpoint", 'v': "verbosity", 't': "http-timeout", 's': "server-name"},
	values:  []string{"unix-socket", "fd", "endpoint", "log-fmt"},
	refused: []string{"unix-socket", "fd", "endpoint"},
}

var waitress = &program{
	name: "waitress-serve",
	values: []string{"host", "port", "unix-socket", "unix-socket-perms", "trusted-proxy", "trusted-proxy-count", "trusted-proxy-headers",
		"recv-bytes", "send-bytes", "outbuf-overflow", "outbuf-high-watermark", "inbuf-overflow", "max-request-header-size",
		"max-request-body-size", "asyncore-loop-timeout", "asyncore-use-poll", "cleanup-interval", "server-name"},
	refused: []string{"unix-socket", "call"},
}

var uwsgi = &program{
	name:  "uwsgi",
	short: map[byte]string{'p': "processes", 's': "socket", 'M': "master", 'w': "module", 'H': "home", 'L': "disable-logging"},
	values: []string{"socket", "http", "wsgi-file", "home", "virtualenv", "venv", "pythonpath", "env", "uid", "gid", "listen",
		"max-worker-lifetime", "reload-mercy", "worker-reload-mercy", "stats", "logto", "log-format", "pidfile", "callable", "mount", "route", "hook-master-start"},
	refused: []string{"ini", "yaml", "json", "xml", "daemonize", "socket", "http", "wsgi-file", "mount"},
	dir:     "chdir",
}

var celery = &program{
	name:    "celery",
	short:   map[byte]string{'A': "app", 'c': "concurrency", 'l': "loglevel", 'Q': "queues", 'X': "exclude-queues", 'n': "hostname", 'P': "pool", 'E': "task-events", 'B': "beat", 's': "schedule", 'S': "scheduler", 'O': "optimization", 'D': "detach", 'f': "logfile", 'b': "broker"},
	values:  []string{"logfile", "pidfile", "statedb", "optimization", "schedule-filename", "scheduler", "schedule", "autoscale", "purge", "max-interval", "pool"},
	refused: []string{"detach", "broker", "config", "loader", "result-backend", "pidfile"},
}

var granian = &program{
	name:   "granian",
	values: []string{"threading-mode", "backpressure", "http1-buffer-size", "ssl-certificate", "ssl-keyfile", "pid-file", "process-name", "reload-paths", "log-config", "access-log-fmt", "static-path-route", "static-path-mount"},
	dir:    "working-dir",
}

func init() {
	gunicorn.parse = func(argv []string) (*Line, error) {
		b := lookup("gunicorn")
		opts, pos, err := gunicorn.flags(b, argv[1:])
		if err != nil {
			return nil, err
		}
		for _, o := range opts {
			if s, ok := o.Value.(string); ok && o.Key == "worker-class" {
				switch {
				case strings.HasSuffix(s, "UvicornWorker"):
					b = lookup("gunicorn-uvicorn")
				case s == "asgi": // gunicorn >= 25.1's own ASGI worker
					b = lookup("gunicorn-asgi")
				}
			}
		}
		return serverLine(gunicorn, b, opts, pos, "application")
	}
	uvicorn.parse = func(argv []string) (*Line, error) {
		b := lookup("uvicorn")
		opts, pos, err := uvicorn.flags(b, argv[1:])
		if err != nil {
			return nil, err
		}
		if v, ok := take(&opts, "interface"); ok {
			switch v {
			case "wsgi":
				b = lookup("uvicorn-wsgi")
			case "asgi3", "auto":
			default:
				return nil, uvicorn.refuse("--interface %v is not one prodserver renders", v)
			}
		}
		return serverLine(uvicorn, b, opts, pos, "")
	}
	hypercorn.parse = func(argv []string) (*Line, error) {
		b := lookup("hypercorn")
		opts, pos, err := hypercorn.flags(b, argv[1:])
		if err != nil {
			return nil, err
		}
		// hypercorn takes a path before the module: dir/mod:attr imports
		// from dir, which the backend renders from ProjectDir.
		dir := ""
		if len(pos) == 1 {
			if i := strings.LastIndexByte(pos[0], '/'); i >= 0 {
				dir, pos[0] = pos[0][:i], pos[0][i+1:]
			}
		}
		l, err := serverLine(hypercorn, b, opts, pos, "")
		if l != nil {
			l.ProjectDir = dir
		}
		return l, err
	}
	daphne.parse = func(argv []string) (*Line, error) { return server(daphne, "daphne", argv, "") }
	waitress.parse = func(argv []string) (*Line, error) { return server(waitress, "waitress", argv, "") }
	granian.parse = func(argv []string) (*Line, error) {
		b := lookup("granian-asgi")
		opts, pos, err := granian.flags(b, argv[1:])
		if err != nil {
			return nil, err
		}
		v, _ := take(&opts, "interface")
		switch v {
		case "wsgi":
			b = lookup("granian-wsgi")
		case "asgi":
		default:
			return nil, granian.refuse("--interface=asgi or --interface=wsgi is needed (granian's default is rsgi)")
		}
		return serverLine(granian, b, opts, pos, "")
	}
	uwsgi.parse = func(argv []string) (*Line, error) {
		b := lookup("uwsgi")
		opts, pos, err := uwsgi.flags(b, argv[1:])
		if err != nil {
			return nil, err
		}
		if len(pos) > 0 {
			return nil, uwsgi.refuse("words %q are not flags", pos)
		}
		v, ok := take(&opts, "module")
		if !ok {
			return nil, uwsgi.refuse("no --module=module:callable")
		}
		return serverLine(uwsgi, b, opts, []string{fmt.Sprint(v)}, "application")
	}
	celery.parse = parseCelery
}

// parseCelery reads `celery [-A app] [--workdir dir] worker|beat [flags]`.
// celery 5 takes its global options before the subcommand only.
func parseCelery(argv []string) (*Line, error) {
	l := &Line{}
	i := 1
	for ; i < len(argv) && strings.HasPrefix(argv[i], "-"); i++ {
		key, value, has := strings.Cut(strings.TrimLeft(argv[i], "-"), "=")
		if len(argv[i]) > 2 && argv[i][1] != '-' { // -Aproj
			key, value, has = argv[i][1:2], argv[i][2:], true
		}
		if !has {
			if i+1 >= len(argv) {
				return nil, celery.refuse("flag %s has no value", argv[i])
			}
			i++
			value = argv[i]
		}
		switch key {
		case "A", "app":
			l.CeleryApp = value
		case "workdir":
			l.ProjectDir = value
		default:
			return nil, celery.refuse("global option %s is left to you", argv[i])
		}
	}
	if i >= len(argv) {
		return nil, celery.refuse("no subcommand")
	}
	sub := argv[i]
	switch sub {
	case "worker":
		l.Backend = "celery-worker"
	case "beat":
		l.Backend = "celery-beat"
	default:
		return nil, celery.refuse("subcommand %q is not worker or beat", sub)
	}
	b := lookup(l.Backend)
	opts, pos, err := celery.flags(b, argv[i+1:])
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, celery.refuse("words %q are not flags", pos)
	}
	if v, ok := take(&opts, "app"); ok { // celery 5 refuses it here, but say why
		return nil, celery.refuse("-A %v must come before %s", v, sub)
	}
	if l.CeleryApp == "" {
		return nil, celery.refuse("no -A app")
	}
	l.Options = mergeLists(opts)
	return l, nil
}
