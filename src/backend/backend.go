// Package backend is prodserver's catalogue of production servers and
// workers for Django apps. Each Backend is a small piece of data (what it
// needs, how it scales, how it stops, which options it knows) plus one
// function that turns a Context into an exec-form argv.
//
// A backend is one file, <name>.go, whose init registers its entry: the
// facts above, its detection hints, its django-prodserver classes and its
// golden Examples. Every list other packages need (detection order, queue
// workers, the django-prodserver table) is derived from the entries in
// catalogue.go, so adding a backend touches its file and its test only.
// render.go checks a Context, command.go builds the argv, options.go reads
// typed options and version.go reads version specifiers.
//
// Every rendered argv follows the rules Dokku imposes on a Procfile line
// (see docs/dokku-contract.md): one command, no shell, the only expansion is
// the literal word fragment $PORT, web processes bind 0.0.0.0:$PORT, the
// working directory is changed only through the program's own flag, and
// concurrency is always rendered explicitly. Quoting for the Procfile is the
// procfile package's job; this package returns argv words only.
//
// Context.Settings is deliberately not rendered: Django reads
// DJANGO_SETTINGS_MODULE from the app's environment, and a --settings flag
// would silently override what the operator set with config:set. An
// operator who wants it on a manage.py command can pass the option settings.
package backend

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Kind says what role a backend plays in an app, so the spec package can
// pick sensible process names, scale and routing.
type Kind string

// The kinds of backend. Web kinds (wsgi, asgi) listen on $PORT.
const (
	// KindWSGI serves a Django WSGI application over HTTP.
	KindWSGI Kind = "wsgi"
	// KindASGI serves a Django ASGI application over HTTP (and websockets).
	KindASGI Kind = "asgi"
	// KindWorker consumes a task queue.
	KindWorker Kind = "worker"
	// KindScheduler enqueues periodic tasks; usually a singleton.
	KindScheduler Kind = "scheduler"
	// KindRelease runs once per deploy (Dokku's release process).
	KindRelease Kind = "release"
	// KindPassthrough hands the decision to another tool (django-prodserver).
	KindPassthrough Kind = "passthrough"
)

// Concurrency names a backend's concurrency model, so package tuning
// can decide how to size Context.Workers and Context.Threads for it.
type Concurrency string

// The concurrency models.
const (
	// ConcurrencyPrefork runs N worker processes, each handling one request or
	// task at a time (gunicorn sync, uWSGI, celery prefork, dramatiq).
	// Threads, where supported, multiply it.
	ConcurrencyPrefork Concurrency = "prefork"
	// ConcurrencyPreforkThreaded runs N worker processes, each serving
	// requests on T threads (gunicorn's gthread worker): the threads overlap
	// a request's waits (database, cache, upstream APIs) and keep client
	// connections alive, so fewer processes are needed than for sync
	// workers. With T = 1 it is ConcurrencyPrefork.
	ConcurrencyPreforkThreaded Concurrency = "prefork-threaded"
	// ConcurrencyAsync runs N processes each with an event loop (uvicorn,
	// hypercorn, granian ASGI); about one process per core.
	ConcurrencyAsync Concurrency = "async"
	// ConcurrencyThreads runs one process with T threads (waitress, huey).
	ConcurrencyThreads Concurrency = "threads"
	// ConcurrencySingle runs one process doing one thing at a time; scale it
	// with more process instances (daphne, rqworker, db_worker).
	ConcurrencySingle Concurrency = "single"
	// ConcurrencyProxied is an async server whose process count depends on
	// how Dokku's nginx reaches it (standalone uvicorn): one process when
	// nginx keeps upstream connections alive (proxy-keepalive set), one per
	// core when nginx opens a new connection per request (docs/benchmarks.md).
	ConcurrencyProxied Concurrency = "proxied"
	// ConcurrencySettings takes its concurrency from the app's Django settings
	// (django-q's Q_CLUSTER["workers"], django-prodserver's ARGS); prodserver
	// cannot set it on the command line.
	ConcurrencySettings Concurrency = "settings"
	// ConcurrencyNone is for processes that are not sized at all (beat, release).
	ConcurrencyNone Concurrency = "none"
)

// Backend is one entry of the catalogue: the facts about one way of running
// a Django process, and the function that renders its command.
//
// Backends returned by All and Lookup are fresh values; changing one does
// not change the catalogue.
type Backend struct {
	// Name is the catalogue key, e.g. "gunicorn".
	Name string
	// Aliases are other names Lookup accepts, e.g. "celery" for celery-worker.
	Aliases []string
	// Kind is the role the backend plays.
	Kind Kind
	// Summary is one line for listings and reports.
	Summary string
	// Program is the executable the rendered argv starts with in the root
	// layout ("python" stands for Context.Python).
	Program string
	// Packages are the Python distributions the backend needs, all of them,
	// as normalised PEP 503 names.
	Packages []string
	// OneOf lists alternative distributions of which at least one is needed
	// (e.g. django-q2 or the original django-q); empty when there is no choice.
	OneOf []string
	// Singleton is true when more than one instance must never run
	// (celery beat would fire every schedule twice).
	Singleton bool
	// StopSignal is the signal that stops the process gracefully; Dokku must
	// be told (docker-args-process-deploy --stop-signal) when it is not SIGTERM.
	StopSignal string
	// TermForm says the backend renders, under Context.TermOnly, a command
	// that stops gracefully on SIGTERM although StopSignal is another.
	TermForm bool
	// Web is true when the process listens on 0.0.0.0:$PORT.
	Web bool
	// Concurrency is the concurrency model, which package tuning sizes by.
	Concurrency Concurrency
	// WorkersFlag is the flag Context.Workers is rendered to ("" when the
	// backend has no such flag and Workers is ignored).
	WorkersFlag string
	// ThreadsFlag is the flag Context.Threads is rendered to ("" when ignored).
	ThreadsFlag string
	// DefaultWorkers is rendered when Context.Workers is 0: a render that
	// nothing sized (a deploy sizes every process through package tuning),
	// so it is the one-core answer; 0 means the flag is left out.
	DefaultWorkers int
	// DefaultThreads is rendered when Context.Threads is 0; 0 means the
	// flag is left out (the program's own default applies).
	DefaultThreads int
	// ConcurrencyDoc explains how Workers and Threads map onto the program.
	ConcurrencyDoc string
	// ProjectDirDoc explains how the program is pointed at Context.ProjectDir.
	ProjectDirDoc string
	// Verified says where the rendered flags were checked: the installed
	// program's --help, or the cited documentation/source when the program
	// is not installable here.
	Verified string
	// Options are the options this backend knows, with their types. Unknown
	// option keys are still rendered (the program judges them); known ones
	// are type-checked and can replace a flag the backend renders itself.
	Options []OptionSpec
	// Render turns a Context into an exec-form argv, in this order: the
	// program and fixed words, the backend's own flags (each replaced in
	// place by an option of the same key or alias), the remaining options in
	// order (the last of a key wins), Context.Args as-is, then trailing
	// positionals such as the application target (waitress-serve's getopt
	// stops at the first positional, so the target goes last). Flags are
	// rendered --key=value, one word each. It validates the Context first
	// and never returns a partial argv; errors wrap ErrMissing or ErrInvalid.
	Render func(c Context) ([]string, error)

	// Order is the backend's place in All (lowest first): web servers
	// (WSGI, then ASGI), then workers, schedulers, release and passthrough.
	Order int
	// Detect says when the plan picks this backend from the app's source.
	Detect Detection
	// DjangoProdserver are the django-prodserver classes that mean this
	// backend, for settings.py's PRODUCTION_PROCESSES and the export.
	DjangoProdserver DjangoClasses
	// Examples are the golden argv for the example apps (exampleRoot and
	// exampleSub), as tested; the catalogue's own documentation of output.
	Examples Examples

	// build is the backend-specific part of Render.
	build func(b *Backend, c *Context, o *options) (*command, error)
}

// Detection says when the plan picks a backend for an app that names none.
type Detection struct {
	// Rank orders the web backends of one kind: the plan picks the lowest
	// rank whose packages (Packages and OneOf) the app declares; 0 means
	// this backend is never picked from the packages. Ranks step by 10 so
	// a new backend can slot in between without renumbering the others.
	Rank int
	// MinVersions are the lowest versions of its packages the backend
	// needs (e.g. gunicorn's native asgi worker): it is picked only when
	// the declared specifier guarantees them.
	MinVersions map[string]string
	// Fallback marks the backend picked for its kind when the app declares
	// none of them (the dependency check then says what to add).
	Fallback bool
	// Queues are the task queues (project's Queue* names) this backend is
	// the worker for.
	Queues []string
}

// DjangoClasses are django-prodserver backend classes, as the path after
// "django_prodserver.backends.".
type DjangoClasses struct {
	// V2 is the class in django-prodserver 2.x's layout, V3 in 3.x's
	// (servers.*, workers.*); "" when that release has none.
	V2, V3 string
	// Also are further paths read as this backend but never written.
	Also []string
}

// Examples are a backend's golden argv, words joined by single spaces (no
// rendered word holds a space), for manage.py at the source root and under
// src/.
type Examples struct {
	Root, Sub string
}

// OptionType is the value type an option accepts.
type OptionType string

// The option types, matching the Go types Option.Value may hold.
const (
	// TypeBool holds a bool: true renders the bare flag, false the Negative
	// form or nothing.
	TypeBool OptionType = "bool"
	// TypeInt holds an int64 (or int).
	TypeInt OptionType = "int"
	// TypeFloat holds a float64 (an int64 is accepted too).
	TypeFloat OptionType = "float"
	// TypeString holds a string.
	TypeString OptionType = "string"
	// TypeList holds a []string and repeats the flag once per item.
	TypeList OptionType = "list"
)

// OptionSpec describes one option a backend knows: its type, the flag it
// renders to, and whether it replaces a flag the backend renders by itself.
type OptionSpec struct {
	// Name is the canonical option key with dashes, e.g. "max-requests".
	Name string
	// Type is the value type the option accepts.
	Type OptionType
	// Doc says what the option does, in one line.
	Doc string
	// Aliases are other keys naming the same option, e.g. "processes" for
	// uWSGI's "workers"; an alias replaces the same rendered flag.
	Aliases []string
	// Flag is the flag as the program spells it, when that is not "--"+Name
	// (daphne's --websocket_timeout); "" means "--"+Name.
	Flag string
	// Negative is the argv word rendered for false (e.g. "--no-proxy-headers");
	// "" means false renders nothing.
	Negative string
	// Control marks an option read by the backend itself (e.g. migrate's
	// collectstatic, rq's queues); it is never rendered as a flag.
	Control bool
}

// catalogue holds one constructor per backend, each registered by the
// backend's own file, so adding a backend touches that file alone.
var catalogue []func() *Backend

// register adds a backend constructor to the catalogue; it is called from
// each backend file's init.
func register(f func() *Backend) { catalogue = append(catalogue, f) }

// All returns the whole catalogue in a stable order, by Order: web servers
// first (WSGI, then ASGI), then workers, schedulers, release and
// passthrough.
func All() []*Backend {
	all := make([]*Backend, 0, len(catalogue))
	for _, f := range catalogue {
		b := f()
		b.Render = b.render
		all = append(all, b)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Order < all[j].Order })
	return all
}

// UnknownError is returned by Lookup for a name not in the catalogue. It
// carries the valid names and the closest one so a CLI can suggest it.
type UnknownError struct {
	// Name is what was asked for.
	Name string
	// Closest is the catalogue name nearest to Name, or "" when none is near
	// enough to be a likely typo (see closeness).
	Closest string
	// Valid are all catalogue names, in catalogue order.
	Valid []string
	// kinds are the kinds of Valid, index for index, to list them grouped.
	kinds []Kind
}

// Error names the closest match, if there is one, then every valid name
// grouped by kind, so an operator with no typo to fix sees which names
// fit which process. A name longer than maxShownName bytes is shown cut,
// so a megabyte of app.json cannot become a megabyte of deploy output.
func (e *UnknownError) Error() string {
	name := e.Name
	if len(name) > maxShownName {
		name = strings.ToValidUTF8(name[:maxShownName], "") + "…"
	}
	var groups []string
	byKind := map[Kind][]string{}
	for i, n := range e.Valid {
		k := Kind("other")
		if i < len(e.kinds) {
			k = e.kinds[i]
		}
		if byKind[k] == nil {
			groups = append(groups, string(k))
		}
		byKind[k] = append(byKind[k], n)
	}
	listed := make([]string, len(groups))
	for i, k := range groups {
		listed[i] = k + ": " + strings.Join(byKind[Kind(k)], ", ")
	}
	if e.Closest == "" {
		return fmt.Sprintf("unknown backend %q; valid backends: %s", name, strings.Join(listed, "; "))
	}
	return fmt.Sprintf("unknown backend %q (did you mean %q?); valid backends: %s",
		name, e.Closest, strings.Join(listed, "; "))
}

// names maps every name, then every alias not already a name, to its
// constructor, in catalogue order, built once: Lookup runs once per
// Procfile line, and building the whole catalogue each time made planning
// a 100,000-line Procfile take seconds (issue 15). Each call still gets a
// fresh *Backend.
var names = sync.OnceValue(func() map[string]func() *Backend {
	all := All()
	byName := make(map[string]func() *Backend, len(catalogue))
	for _, f := range catalogue {
		byName[f().Name] = f
	}
	m := map[string]func() *Backend{}
	for _, b := range all {
		m[b.Name] = byName[b.Name]
	}
	for _, b := range all {
		for _, a := range b.Aliases {
			if _, taken := m[a]; !taken {
				m[a] = byName[b.Name]
			}
		}
	}
	return m
})

// maxShownName bounds the part of an unknown name that Lookup compares and
// an error shows: every catalogue name is far shorter.
const maxShownName = 64

// ErrUnknown is matched by errors.Is for every *UnknownError.
var ErrUnknown = errors.New("unknown backend")

// Is makes errors.Is(err, ErrUnknown) true.
func (e *UnknownError) Is(target error) bool { return target == ErrUnknown }

// Lookup finds a backend by name or alias. Names are matched without regard
// to case, and '_' is read as '-', so "Celery_Worker" finds celery-worker.
// An unknown name returns an *UnknownError naming the closest match, when
// one is close enough (closeness) to be what was meant.
func Lookup(name string) (*Backend, error) {
	key := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "_", "-")
	if f, ok := names()[key]; ok {
		b := f()
		b.Render = b.render
		return b, nil
	}
	all := All()
	e := &UnknownError{Name: name}
	if len(key) > maxShownName {
		key = key[:maxShownName] // edit distance is quadratic
	}
	best := -1
	for _, b := range all {
		e.Valid = append(e.Valid, b.Name)
		e.kinds = append(e.kinds, b.Kind)
		for _, candidate := range append([]string{b.Name}, b.Aliases...) {
			if d, ok := closeness(key, candidate); ok && (best < 0 || d < best) {
				best, e.Closest = d, b.Name
			}
		}
	}
	return nil, e
}

// closeness scores how near a typed key is to a candidate name (lower is
// nearer) and says whether it is near enough to suggest. A suggestion must
// look like a typo of the name, or the name cut short or run on, because an
// unrelated suggestion ("none" -> daphne) misleads more than the list does:
//   - candidate starts with the key (3+ bytes): "granian" means a granian-*;
//   - they share a 5-byte prefix: "migrations" means migrate;
//   - else the edit distance, counting a swap of neighbours as one edit,
//     is at most a third of the key's length (at least 1, at most 3).
func closeness(key, candidate string) (int, bool) {
	if len(key) >= 3 && strings.HasPrefix(candidate, key) {
		return 1, true
	}
	d := swapDistance(key, candidate)
	if commonPrefix(key, candidate) >= 5 {
		return min(d, 2), true
	}
	return d, d <= min(max(1, len(key)/3), 3)
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// MissingPackages lists what the app lacks to run this backend: each
// distribution of Packages not in pkgs, and "a|b" when none of OneOf is.
// pkgs is keyed by normalised name, as Context.Packages is.
func (b *Backend) MissingPackages(pkgs map[string]string) []string {
	var missing []string
	for _, p := range b.Packages {
		if _, ok := pkgs[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(b.OneOf) > 0 {
		found := false
		for _, p := range b.OneOf {
			if _, ok := pkgs[p]; ok {
				found = true
			}
		}
		if !found {
			missing = append(missing, strings.Join(b.OneOf, "|"))
		}
	}
	sort.Strings(missing)
	return missing
}

// Option returns the spec of a known option by key or alias, normalising
// '_' to '-'; ok is false for unknown keys.
func (b *Backend) Option(key string) (spec OptionSpec, ok bool) {
	key = strings.ReplaceAll(key, "_", "-")
	for _, s := range b.Options {
		if s.Name == key {
			return s, true
		}
		for _, a := range s.Aliases {
			if a == key {
				return s, true
			}
		}
	}
	return OptionSpec{}, false
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (backend names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// swapDistance is the optimal string alignment distance: Levenshtein, with a
// swap of two neighbouring bytes counted as one edit, as typists make it
// ("huye" is one slip from huey, not two).
func swapDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
