package dockerfile

import (
	"path"
	"strings"
)

// Supervisor is a process supervisor the final stage starts.
type Supervisor struct {
	// Name is the program (s6-overlay's /init, supervisord, honcho,
	// circusd, runsvdir, s6-svscan).
	Name string
	// InEntrypoint says it is the ENTRYPOINT: Dokku passes every Procfile
	// line to it as arguments (scheduler-docker-local runs
	// `docker container create … $IMAGE $START_CMD`), so it runs in every
	// container. In CMD, the Procfile line replaces it.
	InEntrypoint bool
	Line         int
}

// supervisors are the programs that start several services themselves.
var supervisors = map[string]string{
	"supervisord": "supervisord", "supervisor": "supervisord",
	"honcho": "honcho", "circusd": "circusd", "runsvdir": "runsvdir",
	"s6-svscan": "s6-svscan", "foreman": "foreman", "forego": "forego",
	"overmind": "overmind", "hivemind": "hivemind",
}

// Supervisor returns the supervisor the final stage's ENTRYPOINT or CMD
// starts, false when there is none. A shell form is searched word by
// word (`/bin/sh -c "exec supervisord -n"`).
func (im *Image) Supervisor() (Supervisor, bool) {
	if im == nil {
		return Supervisor{}, false
	}
	if name := supervisorIn(im.Entrypoint); name != "" {
		return Supervisor{Name: name, InEntrypoint: true, Line: im.EntrypointLine}, true
	}
	if name := supervisorIn(im.Cmd); name != "" {
		return Supervisor{Name: name, Line: im.CmdLine}, true
	}
	return Supervisor{}, false
}

func supervisorIn(argv []string) string {
	var words []string
	for _, a := range argv {
		words = append(words, strings.Fields(a)...)
	}
	for i, w := range words {
		w = strings.Trim(w, `"'`)
		// s6-overlay's entrypoint is /init (also /package/admin/s6-overlay/command/init).
		if w == "/init" || strings.HasSuffix(w, "/s6-overlay/command/init") {
			return "s6-overlay /init"
		}
		if name, ok := supervisors[path.Base(w)]; ok {
			return name
		}
		// `python -m supervisor.supervisord`, `python -m honcho start`.
		if w == "-m" && i+1 < len(words) {
			mod, _, _ := strings.Cut(words[i+1], ".")
			if name, ok := supervisors[mod]; ok {
				return name
			}
		}
	}
	return ""
}

// EntrypointTrap says why the final stage's ENTRYPOINT cannot run the
// command Dokku gives each process, "" when it can (none, or a wrapper
// such as tini, gosu or a docker-entrypoint.sh that execs its arguments).
// A shell form runs `/bin/sh -c '<entrypoint>'` and drops every argument;
// an exec form that starts a Python program (python, gunicorn, celery…)
// gets the Procfile line appended to its own words.
func (im *Image) EntrypointTrap() string {
	if im == nil || len(im.Entrypoint) == 0 {
		return ""
	}
	if _, ok := im.Supervisor(); ok {
		return "" // warned about on its own
	}
	if im.EntrypointShell {
		return "shell"
	}
	base := path.Base(im.Entrypoint[0])
	if strings.HasPrefix(base, "python") || programs[base] {
		return "program"
	}
	return ""
}

// programs are servers and tools that take their own arguments, never a
// command to run.
var programs = map[string]bool{
	"gunicorn": true, "uvicorn": true, "daphne": true, "hypercorn": true, "granian": true,
	"waitress-serve": true, "uwsgi": true, "celery": true, "django-admin": true, "manage.py": true,
}
