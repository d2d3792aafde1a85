package backend

import (
	"errors"
	"fmt"
	"math"
	"path"
	"regexp"
	"strconv"
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

// command is an argv under construction. head holds the program and words
// options must not replace (celery's global --app, a python -c shim); flags
// are the backend's own flags, each replaceable by an option of the same
// key; tail holds positionals (the application target, queue names).
//
// finish renders head, flags, the remaining options, Args, then tail: the
// target comes last because waitress-serve parses with getopt, which stops
// at the first positional, and every other program accepts it there.
//
// A command marked final already holds its options and Args (the release
// chain applies them to migrate); finish returns its head unchanged.
type command struct {
	head  []string
	flags []flagWords
	tail  []string
	final bool
}

// flagWords is one rendered flag: its option key and its argv words.
type flagWords struct {
	key   string
	words []string
}

// newCommand starts a command with its head words.
func newCommand(head ...string) *command { return &command{head: head} }

// set renders --key=value. The '=' form keeps each flag one argv word and is
// the only form flower's tornado option parser accepts.
func (cmd *command) set(key, value string) *command {
	cmd.flags = append(cmd.flags, flagWords{key, []string{"--" + key + "=" + value}})
	return cmd
}

// setInt renders --key=n.
func (cmd *command) setInt(key string, n int) *command { return cmd.set(key, strconv.Itoa(n)) }

// setCount renders the flag named like "--workers" with n, or nothing when
// the flag is "" or n is 0 (the program's own default then applies).
func (cmd *command) setCount(flag string, n int) *command {
	if flag == "" || n <= 0 {
		return cmd
	}
	return cmd.setInt(strings.TrimPrefix(flag, "--"), n)
}

// on renders a bare --key.
func (cmd *command) on(key string) *command {
	cmd.flags = append(cmd.flags, flagWords{key, []string{"--" + key}})
	return cmd
}

// word renders an arbitrary word under key, for flags whose rendered form is
// not --key (e.g. db_worker's --no-reload under key "reload").
func (cmd *command) word(key, w string) *command {
	cmd.flags = append(cmd.flags, flagWords{key, []string{w}})
	return cmd
}

// slot reserves a place for an option that renders nothing by default but
// must come early when given (uWSGI reads --plugin before the plugin's own
// options, such as --module, are recognised).
func (cmd *command) slot(key string) *command {
	cmd.flags = append(cmd.flags, flagWords{key, nil})
	return cmd
}

// positional appends trailing positionals.
func (cmd *command) positional(words ...string) *command {
	cmd.tail = append(cmd.tail, words...)
	return cmd
}

// finish applies options (replacing rendered flags of the same key in
// place, appending the rest in order) and Args, and returns the argv.
func (cmd *command) finish(o *options, args []string) []string {
	argv := append([]string(nil), cmd.head...)
	if cmd.final {
		return argv
	}
	used := make(map[string]bool)
	for _, f := range cmd.flags {
		if opt, ok := o.lookup(f.key); ok {
			if !used[f.key] {
				argv = append(argv, opt.words...)
				used[f.key] = true
			}
			continue
		}
		argv = append(argv, f.words...)
	}
	for _, opt := range o.flags {
		if !used[opt.key] {
			argv = append(argv, opt.words...)
		}
	}
	argv = append(argv, args...)
	return append(argv, cmd.tail...)
}

// options are a Context's Options, checked and rendered: flags in order
// (the last option of a key wins) and control values for the backend.
type options struct {
	flags   []renderedOption
	control map[string]any
}

// renderedOption is one option's canonical key, normalised value and argv
// words.
type renderedOption struct {
	key   string
	value any
	words []string
}

// lookup returns the rendered option for a canonical key.
func (o *options) lookup(key string) (renderedOption, bool) {
	for _, f := range o.flags {
		if f.key == key {
			return f, true
		}
	}
	return renderedOption{}, false
}

// count returns the whole number a rendered option gives a count flag named
// like "--workers": 0 when no option names it or its value is not a whole
// number from 1 to 1024. An unknown key keeps its raw value, so a numeric
// string counts too.
func (o *options) count(flag string) int {
	f, ok := o.lookup(strings.TrimPrefix(flag, "--"))
	if flag == "" || !ok {
		return 0
	}
	n := 0
	switch v := f.value.(type) {
	case int64:
		n = int(v)
	case string:
		n, _ = strconv.Atoi(strings.TrimSpace(v))
	}
	if n < 1 || n > 1024 {
		return 0
	}
	return n
}

// Counts returns the worker and thread counts opts give the backend's own
// count flags (an option "workers" for --workers, "threads" for --threads,
// spelled with '-' or '_'), 0 for each one they do not give. The options
// are read exactly as Render reads them; options Render would refuse give
// 0 and 0.
func (b *Backend) Counts(opts []Option) (workers, threads int) {
	o, err := parseOptions(b, opts)
	if err != nil {
		return 0, 0
	}
	return o.count(b.WorkersFlag), o.count(b.ThreadsFlag)
}

// controlBool returns a control option's bool value and whether it was set.
func (o *options) controlBool(key string) (value, set bool) {
	v, ok := o.control[key]
	if !ok {
		return false, false
	}
	return v.(bool), true
}

// controlString returns a control option's string value and whether it was set.
func (o *options) controlString(key string) (string, bool) {
	v, ok := o.control[key]
	if !ok {
		return "", false
	}
	return v.(string), true
}

// controlList returns a control option's list value and whether it was set.
func (o *options) controlList(key string) ([]string, bool) {
	v, ok := o.control[key]
	if !ok {
		return nil, false
	}
	return v.([]string), true
}

// parseOptions validates keys and values against the backend's OptionSpecs
// and renders each option to argv words.
func parseOptions(b *Backend, in []Option) (*options, error) {
	o := &options{control: make(map[string]any)}
	for _, opt := range in {
		if !optionKey().MatchString(opt.Key) {
			return nil, fmt.Errorf("%w: option key %q: use letters, digits, '-' and '_', starting with a letter or digit", ErrInvalid, opt.Key)
		}
		key := strings.ReplaceAll(opt.Key, "_", "-")
		spec, known := b.Option(key)
		if !known {
			spec = OptionSpec{Name: key}
		}
		value, err := optionValue(spec, known, opt.Value)
		if err != nil {
			return nil, fmt.Errorf("option %q: %w", opt.Key, err)
		}
		if spec.Control {
			o.control[spec.Name] = value
			continue
		}
		// The last option of a key wins, at its own position.
		for i, f := range o.flags {
			if f.key == spec.Name {
				o.flags = append(o.flags[:i], o.flags[i+1:]...)
				break
			}
		}
		o.flags = append(o.flags, renderedOption{spec.Name, value, optionWords(spec, value)})
	}
	return o, nil
}

// optionValue checks a value's Go type and returns it normalised (int →
// int64). For a known option the value must fit the spec's type, and a
// string spelling of it is converted, because settings written for
// django-prodserver spell every ARGS value as a string ("4", "True"):
// "4" → 4 for an int, "2.5" → 2.5 for a float, "true"/"False" (as
// strconv.ParseBool reads them) → a bool, a number → its decimal string
// for a string, a string → a one-item list.
func optionValue(spec OptionSpec, known bool, v any) (any, error) {
	switch x := v.(type) {
	case int:
		v = int64(x)
	case int64, bool, float64, string, []string:
	default:
		return nil, fmt.Errorf("%w: %s is not an option value (use true or false, a number, a string or a list of strings)", ErrInvalid, describe(v))
	}
	switch x := v.(type) {
	case string:
		if err := checkText("value", x); err != nil {
			return nil, err
		}
	case []string:
		for i, s := range x {
			if err := checkText(fmt.Sprintf("value[%d]", i), s); err != nil {
				return nil, err
			}
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%w: %v is not a renderable number", ErrInvalid, x)
		}
	}
	if !known {
		return v, nil
	}
	if out, ok := convert(spec.Type, v); ok {
		return out, nil
	}
	return nil, fmt.Errorf("%w: %s wants a value of type %s, got %s", ErrInvalid, spec.Name, spec.Type, describe(v))
}

// describe names a value as app.json or settings.py spells it, for an
// error the operator fixes there: Go's type names (%T) mean nothing in
// either file.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > maxShownName {
			x = strings.ToValidUTF8(x[:maxShownName], "") + "…"
		}
		return "the string " + strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []string, []any:
		return "a list"
	case map[string]any, map[string]string:
		return "a dict"
	}
	return "a value of another kind"
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

// convert returns v as type t, if it is one or spells one.
func convert(t OptionType, v any) (any, bool) {
	s, isString := v.(string)
	switch t {
	case TypeBool:
		if isString {
			b, err := strconv.ParseBool(strings.TrimSpace(s))
			return b, err == nil
		}
		_, ok := v.(bool)
		return v, ok
	case TypeInt:
		switch x := v.(type) {
		case int64:
			return x, true
		case float64:
			return int64(x), x == math.Trunc(x) && math.Abs(x) < 1<<53
		case string:
			n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
			return n, err == nil
		}
	case TypeFloat:
		switch x := v.(type) {
		case float64:
			return x, true
		case int64:
			return float64(x), true
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
		}
	case TypeString:
		switch x := v.(type) {
		case string:
			return x, true
		case int64:
			return strconv.FormatInt(x, 10), true
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64), true
		}
	case TypeList:
		switch x := v.(type) {
		case []string:
			return x, true
		case string:
			return []string{x}, true
		}
	}
	return nil, false
}

// optionWords renders one option: true → bare flag, false → the spec's
// Negative word or nothing, list → the flag repeated, scalar → --key=value.
func optionWords(spec OptionSpec, v any) []string {
	flag := spec.Flag
	if flag == "" {
		flag = "--" + spec.Name
	}
	switch x := v.(type) {
	case bool:
		if x {
			return []string{flag}
		}
		if spec.Negative != "" {
			return []string{spec.Negative}
		}
		return nil
	case []string:
		words := make([]string, 0, len(x))
		for _, s := range x {
			words = append(words, flag+"="+s)
		}
		return words
	case int64:
		return []string{flag + "=" + strconv.FormatInt(x, 10)}
	case float64:
		return []string{flag + "=" + strconv.FormatFloat(x, 'f', -1, 64)}
	default:
		return []string{flag + "=" + v.(string)}
	}
}

// rejectFlags is for backends whose program takes no command-line options
// from prodserver (django-prodserver reads them from settings).
func rejectFlags(o *options, why string) error {
	if len(o.flags) == 0 {
		return nil
	}
	keys := make([]string, 0, len(o.flags))
	for _, f := range o.flags {
		keys = append(keys, f.key)
	}
	return fmt.Errorf("%w: options %s cannot be passed: %s", ErrInvalid, strings.Join(keys, ", "), why)
}

// minVersionAtLeast reports whether a declared version specifier (as in
// Context.Packages) guarantees a version >= want: its highest lower bound
// (from >=, >, ==, ===, ~=, ^ or ~ clauses) must be at least want. An empty
// or unbounded specifier guarantees nothing.
func minVersionAtLeast(spec, want string) bool {
	if i := strings.IndexByte(spec, ';'); i >= 0 {
		spec = spec[:i] // environment marker
	}
	var best []int
	for _, clause := range strings.Split(spec, ",") {
		clause = strings.TrimSpace(clause)
		var v string
		for _, op := range []string{"===", "==", ">=", "~=", ">", "^", "~"} {
			if strings.HasPrefix(clause, op) {
				v = strings.TrimSpace(clause[len(op):])
				break
			}
		}
		if v == "" {
			continue // <, <=, !=, "*" or a bare word: no lower bound
		}
		if n := parseRelease(v); len(n) > 0 && (best == nil || compareRelease(n, best) > 0) {
			best = n
		}
	}
	return best != nil && compareRelease(best, parseRelease(want)) >= 0
}

// parseRelease reads the leading numeric release segments of a version,
// e.g. "2.10.1rc1" → [2 10 1], "3.*" → [3].
func parseRelease(v string) []int {
	var out []int
	for _, part := range strings.Split(strings.TrimPrefix(v, "v"), ".") {
		end := 0
		for end < len(part) && part[end] >= '0' && part[end] <= '9' {
			end++
		}
		if end == 0 {
			break
		}
		n, err := strconv.Atoi(part[:end])
		if err != nil {
			break
		}
		out = append(out, n)
		if end < len(part) {
			break
		}
	}
	return out
}

// compareRelease compares release segments, missing segments being 0.
func compareRelease(a, b []int) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
