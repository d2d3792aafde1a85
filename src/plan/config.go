// Package plan merges everything that says how an app's processes should run
// — the operator's properties, app.json's prodserver section, settings.py's
// PRODUCTION_PROCESSES, detection, global defaults and the user's Procfile —
// into one plan: each process's backend, who decided it, its rendered
// command and its scale. It is pure: callers do the I/O.
package plan

import (
	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// Source names who decided a process's command, highest precedence first.
type Source string

// The sources, in precedence order.
const (
	SourceOperator Source = "operator"
	SourceAppJSON  Source = "app.json"
	SourceSettings Source = "settings.py"
	SourceDetected Source = "detected"
	SourceGlobal   Source = "global"
	SourceProcfile Source = "Procfile"
)

// Precedence is the order in which the sources decide a process, highest
// first, and the one place it is written down: candidates and the release
// value both walk it, and the README's "Where a process comes from" list
// quotes it (TestREADMEQuotesPrecedence). A global setting is a default: it
// fills what nothing above says. The user's Procfile lines are not a
// source here; `enabled` decides which of them are kept.
var Precedence = []Source{SourceOperator, SourceAppJSON, SourceSettings, SourceDetected, SourceGlobal}

// ProcConfig is one process as a config source declares it. Zero values mean
// "not said here": a lower-precedence source may fill them in.
type ProcConfig struct {
	Name    string           `json:"name"`
	Backend string           `json:"backend,omitempty"`
	Options []backend.Option `json:"options,omitempty"`
	Args    []string         `json:"args,omitempty"`
	// App is the Celery app (django-prodserver's APP) for celery backends.
	App string `json:"app,omitempty"`
	// Workers overrides the computed concurrency.
	Workers int `json:"workers,omitempty"`
	// Threads overrides the computed threads per process.
	Threads int `json:"threads,omitempty"`
	// Scale is the count a worker gets the first time it appears (0 = 1).
	Scale int `json:"scale,omitempty"`
	// ScaleZero records an explicit app.json "scale": 0 (the process is
	// declared but not started), which Scale's zero value cannot say.
	ScaleZero bool `json:"scale_zero,omitempty"`
}

// Config is what one source (app.json or settings.py) declares.
type Config struct {
	Source    Source       `json:"source"`
	Processes []ProcConfig `json:"processes"`
	// Release is the `release` value: "migrate", "migrate-collectstatic",
	// "none" or a release backend's name (see releaseConfig); "" when the
	// source does not say.
	Release string `json:"release,omitempty"`
	// Warnings are what the source's reader noticed but could resolve
	// (app.json: a key given twice, the last taken); the deploy prints them.
	Warnings []string `json:"warnings,omitempty"`
}

// Proc returns the named process, or nil.
func (c *Config) Proc(name string) *ProcConfig {
	if c == nil {
		return nil
	}
	for i := range c.Processes {
		if c.Processes[i].Name == name {
			return &c.Processes[i]
		}
	}
	return nil
}
