// Package project tells what an app's source tree is: whether it is a
// Django project, where manage.py and the settings module are, which WSGI /
// ASGI application it serves, whether it needs an ASGI server, which Celery
// app and task queues it uses and which Python packages it declares.
//
// prodserver runs this on every `git push` (core-post-extract) to detect the
// processes an app needs when neither the operator nor the app declared
// them. It improves on fly.io's Django scanner: dependencies are parsed and
// PEP 503 normalised (never substring-matched), split settings are followed
// through `from .base import *`, several candidates are resolved
// deterministically with a warning (never "last match wins"), the walk is
// bounded and skips dependency trees, and nothing the app ships is ever
// executed. Every detection step is a small function returning a plain fact;
// Scan only reads files.
package project

import "github.com/dokku-prodserver/dokku-prodserver/src/facts"

// Options are the operator's overrides, which win over what is detected.
type Options struct {
	// SettingsModule is the app's DJANGO_SETTINGS_MODULE config value, ""
	// when unset. It wins over manage.py's default because that is what
	// Django itself does at run time.
	SettingsModule string
	// AppDir is the operator's override of the folder holding manage.py
	// (slash-separated, relative to the root), "" to detect it.
	AppDir string
	// Installed is what the build's own install commands ask for (a
	// Dockerfile's `pip install -r`, `uv sync --group`, `poetry install
	// --with`); nil means a builder's default install.
	Installed *Installed
	// OnRead, when set, is called with every directory listed (with a
	// trailing "/", "/" alone for the root) and every file read, relative to
	// the root. Tests and benchmarks use it to prove that ignored folders
	// (node_modules, .venv, .git...) are never looked into.
	OnRead func(rel string)
	// Excluded, when set, says a path (slash-separated, relative to the
	// root; dir for a folder) is not in what the build holds: a Dockerfile
	// build's .dockerignore. The scan treats such a path as absent.
	Excluded func(rel string, dir bool) bool
	// Getenv, when set, is the environment the app runs with, for the
	// variables its settings read to choose a module (DJANGO_ENV): the
	// value, where it comes from ("app config", "Dockerfile ENV") and
	// whether it is set.
	Getenv func(name string) (value, from string, ok bool)
}

// The scanner fills facts.Facts; these aliases keep its code and its
// callers reading project.Facts and the constants by their old names.
type (
	Facts = facts.Facts
	Stats = facts.Stats
)

// Queue, settings-source and scheduler names, owned by package facts.
const (
	QueueCelery         = facts.QueueCelery
	QueueRQ             = facts.QueueRQ
	QueueDjangoQ        = facts.QueueDjangoQ
	QueueDjangoQ2       = facts.QueueDjangoQ2
	QueueHuey           = facts.QueueHuey
	QueueDramatiq       = facts.QueueDramatiq
	QueueDjangoTasks    = facts.QueueDjangoTasks
	SettingsFromOption  = facts.SettingsFromOption
	SettingsFromManage  = facts.SettingsFromManage
	SettingsFromWSGI    = facts.SettingsFromWSGI
	SettingsFromGuessed = facts.SettingsFromGuessed
	DatabaseScheduler   = facts.DatabaseScheduler
	PersistentScheduler = facts.PersistentScheduler
)

// Installed is what a build installs beyond a builder's defaults, read by
// the deploy edge from the Dockerfile. A requirements file, group or extra
// it names counts as installed; when Requirements is set, the files it
// does not name (nor include) count as not installed.
type Installed struct {
	// Requirements are the -r files, as repository paths.
	Requirements []string
	// Packages are distributions installed by name (`pip install gunicorn`).
	Packages []string
	// Groups are dependency groups (PEP 735, Poetry), Extras the extras.
	Groups, Extras       []string
	AllGroups, AllExtras bool
	// Dev says the dev group is installed (uv sync without --no-dev).
	Dev bool
	// By names the command, for the deploy's notes ("Dockerfile line 7").
	By string
}
