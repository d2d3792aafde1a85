// Package store is prodserver's own state and the work that needs nothing
// else: the settings `prodserver:set` accepts and how they resolve (app,
// global, default), the report, the lifecycle triggers, and the quick
// checks that tell a deploy trigger whether there is anything to do. It
// depends on the dokku package alone, so the triggers binary that runs in
// every deploy stays small and starts fast; the deploy work lives in
// package deploy, in a binary started only when there is work to do.
package store

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyname"
)

// Setting is one `prodserver:set` key: its default, what it means, and how a
// value is checked (and normalised) before it is stored.
type Setting struct {
	Key      string
	Default  string
	Help     string
	Validate func(string) (string, error)
}

// Settings are the keys `prodserver:set` accepts, in report order.
var Settings = []Setting{
	{"enabled", "auto", "auto|true|false: manage declared processes (auto), every renderable process (true), or none", oneOf("auto", "true", "false")},
	{"app-dir", "", "folder holding manage.py, relative to the source root", relPath},
	{"settings-module", "", "Django settings module, e.g. config.settings.production", dottedName},
	{"wsgi", "", "WSGI target, module:attr or Django's dotted form, e.g. proj.wsgi.application", appTarget},
	{"asgi", "", "ASGI target, module:attr or Django's dotted form, e.g. proj.asgi.application", appTarget},
	{"celery-app", "", "Celery app for `celery -A`, e.g. proj or proj.celery:app", celeryApp},
	{"python", "python", "interpreter for manage.py commands", program},
	{"workers", "auto", "process count for servers and workers: auto or 1-1024", count},
	{"threads", "auto", "threads per process for servers that take them (gunicorn, waitress, uWSGI, ...): auto or 1-1024", count},
	{"release", "migrate", "release process: migrate, migrate-collectstatic, or none", oneOf("migrate", "migrate-collectstatic", "none")},
	{"adopt", "true", "true|false: in auto mode, adopt Procfile lines that run a catalogued server (your flags kept, defaults filled in); false keeps them as written", oneOf("true", "false")},
	{"daemons", "add", "add|warn: write a Procfile line (at Dokku's scale 0) for each daemon the project declares for supervisord, compose, uWSGI, s6, systemd or a Procfile.*, or only name it in a warning", oneOf("add", "warn")},
	{"strict", "false", "true: fail the deploy when a backend's Python package is not declared", oneOf("true", "false")},
	{"singleton-stop-first", "true", "true|false: on scheduler-docker-local, stop a singleton's (celery beat) old container before its new one starts (prodserver adds it to checks:disable), so it never runs twice; false keeps Dokku's zero-downtime overlap", oneOf("true", "false")},
}

// LookupSetting finds a setting by key, or returns an error listing them all.
func LookupSetting(key string) (*Setting, error) {
	for i := range Settings {
		if Settings[i].Key == key {
			return &Settings[i], nil
		}
	}
	keys := make([]string, len(Settings))
	near := ""
	for i, s := range Settings {
		keys[i] = s.Key
		if near == "" && len(key) >= 3 && (strings.HasPrefix(s.Key, key) || strings.HasPrefix(key, s.Key)) {
			near = s.Key
		}
	}
	sort.Strings(keys)
	if near != "" {
		// Only a cut-short or run-on key ("worker", "settings"): anything
		// looser suggests keys nobody meant.
		return nil, fmt.Errorf("Invalid key %s (did you mean %s?), valid keys: %s", dokku.Printable(key), near, strings.Join(keys, ", "))
	}
	return nil, fmt.Errorf("Invalid key %s, valid keys: %s", dokku.Printable(key), strings.Join(keys, ", "))
}

func oneOf(values ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		for _, ok := range values {
			if v == ok {
				return v, nil
			}
		}
		return "", fmt.Errorf("must be one of: %s", strings.Join(values, ", "))
	}
}

func dottedName(v string) (string, error) {
	if !pyname.IsDotted(v) {
		return "", fmt.Errorf("must be a dotted Python module name such as config.settings")
	}
	return v, nil
}

// appTarget accepts "module:attr" or Django's dotted "module.attr" form
// (what WSGI_APPLICATION holds) and stores module:attr, which every server
// takes: pyname.Target is the one normaliser, shared with detection.
func appTarget(v string) (string, error) {
	t, ok := pyname.Target(v)
	if !ok {
		return "", fmt.Errorf("must be module:attr such as proj.wsgi:application, or Django's dotted form such as proj.wsgi.application")
	}
	return t, nil
}

// celeryApp accepts what `celery -A` takes, stored as given: a module
// ("proj", "proj.celery", where celery finds the app itself) or
// module:attr. No dotted form is converted: for celery, proj.celery names
// a module.
func celeryApp(v string) (string, error) {
	if mod, attr, found := strings.Cut(v, ":"); !pyname.IsDotted(mod) || found && !pyname.IsIdentifier(attr) {
		return "", fmt.Errorf("must be module or module:attr, e.g. proj or proj.celery:app")
	}
	return v, nil
}

func relPath(v string) (string, error) {
	if strings.HasPrefix(v, "/") {
		return "", fmt.Errorf("must be relative to the app's source root")
	}
	for _, part := range strings.Split(strings.TrimSuffix(v, "/"), "/") {
		if part == "" || part == ".." || part == "." && v != "." {
			return "", fmt.Errorf("must be a plain relative folder such as src, without . or .. parts")
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return "", fmt.Errorf("may hold only letters, digits, '.', '_', '-' and '/'")
			}
		}
	}
	return strings.TrimSuffix(v, "/"), nil
}

func program(v string) (string, error) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c == '_' || c == '-' || c == '.' || c == '/' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", fmt.Errorf("must be a program name or path such as python3 or /usr/local/bin/python")
		}
	}
	return v, nil
}

// count validates a count setting (workers, threads): auto or 1-1024.
func count(v string) (string, error) {
	if v == "auto" {
		return v, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1024 {
		return "", fmt.Errorf("must be auto or a whole number from 1 to 1024")
	}
	return strconv.Itoa(n), nil
}

// Resolved is a setting's app value, global value and the value in force.
type Resolved struct {
	App, Global, Computed string
}

// Resolve reads a setting for app: the app's value, else the global one, else
// the default.
func Resolve(app, key string) (Resolved, error) {
	s, err := LookupSetting(key)
	if err != nil {
		return Resolved{}, err
	}
	var r Resolved
	if app != "" {
		if r.App, err = dokku.PropertyGet(app, key); err != nil {
			return r, err
		}
	}
	if r.Global, err = dokku.PropertyGet(dokku.GlobalApp, key); err != nil {
		return r, err
	}
	return s.resolve(app, r)
}

// resolve validates the stored values and picks the one in force.
func (s *Setting) resolve(app string, r Resolved) (Resolved, error) {
	// Stored values are read in their normalised form, so a value stored
	// before prodserver:set normalised it (a dotted wsgi target) means what
	// it would mean if set today.
	for _, v := range []struct {
		who string
		val *string
	}{{app, &r.App}, {"--global", &r.Global}} {
		if *v.val == "" {
			continue
		}
		norm, err := s.Validate(*v.val)
		if err != nil {
			return r, fmt.Errorf("stored property %s of %s is invalid (%v); fix it with prodserver:set", s.Key, v.who, err)
		}
		*v.val = norm
	}
	r.Computed = s.Default
	switch {
	case r.App != "":
		r.Computed = r.App
	case r.Global != "":
		r.Computed = r.Global
	}
	return r, nil
}

// ResolveAll resolves every setting for app, listing each property folder
// once and opening only the files that exist: the report runs for every app
// in `dokku report`, and most apps have no prodserver property at all.
func ResolveAll(app string) (map[string]Resolved, error) {
	appKeys, err := dokku.PropertyKeys(app)
	if err != nil {
		return nil, err
	}
	globalKeys, err := dokku.PropertyKeys(dokku.GlobalApp)
	if err != nil {
		return nil, err
	}
	read := func(scope string, keys []string) (map[string]string, error) {
		m := map[string]string{}
		for _, k := range keys {
			if _, err := LookupSetting(k); err != nil {
				continue // per-process keys and strangers
			}
			v, err := dokku.PropertyGet(scope, k)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	}
	appVals, err := read(app, appKeys)
	if err != nil {
		return nil, err
	}
	globalVals, err := read(dokku.GlobalApp, globalKeys)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Resolved, len(Settings))
	for i := range Settings {
		s := &Settings[i]
		r, err := s.resolve(app, Resolved{App: appVals[s.Key], Global: globalVals[s.Key]})
		if err != nil {
			return nil, err
		}
		out[s.Key] = r
	}
	return out, nil
}
