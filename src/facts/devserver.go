package facts

import "strings"

// RunsDevServer reports a command line that starts Django's development
// server, which must never serve production: `manage.py runserver` however
// Python is called (`python -m manage`, `uv run`), `django-admin
// runserver`, `python -m django runserver`, and django-extensions'
// runserver_plus. makeTargets are the Makefile targets whose recipes do
// (Facts.DevServerTargets), so `make run` counts when `run` runs it. It
// reads words only: the line is never parsed as shell.
func RunsDevServer(cmd string, makeTargets []string) bool {
	words := strings.Fields(strings.NewReplacer(`"`, " ", `'`, " ", ";", " ; ", "&&", " && ").Replace(cmd))
	django, runserver := false, false
	for i, w := range words {
		base := w[strings.LastIndexByte(w, '/')+1:]
		switch {
		case base == "runserver_plus":
			return true
		case base == "runserver":
			runserver = true
		case base == "manage.py", base == "django-admin", base == "django-admin.py":
			django = true
		case (base == "manage" || base == "django") && i > 0 && words[i-1] == "-m":
			django = true
		case base == "make" || base == "gmake":
			if makeRunsDevServer(words[i+1:], makeTargets) {
				return true
			}
		}
	}
	return django && runserver
}

// makeRunsDevServer tells a make call (its arguments) whose goal, or the
// default goal when none is named (recorded as ""), is a dev-server target.
func makeRunsDevServer(args, targets []string) bool {
	goal, named := "", false
	for _, a := range args {
		if a == ";" || a == "&&" || a == "|" || a == "||" {
			break
		}
		if strings.HasPrefix(a, "-") || strings.Contains(a, "=") {
			continue // a flag or a variable assignment
		}
		goal, named = a, true
		for _, t := range targets {
			if t == goal {
				return true
			}
		}
	}
	if named {
		return false
	}
	for _, t := range targets {
		if t == goal {
			return true
		}
	}
	return false
}
