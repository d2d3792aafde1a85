// Package plan merges everything that says how an app's processes should run
// — the operator's properties, app.json's prodserver section, settings.py's
// PRODUCTION_PROCESSES, detection, global defaults and the user's Procfile —
// into one plan: each process's backend, who decided it, its rendered
// command and its scale. It is pure: callers do the I/O.
package plan

import (
	"fmt"

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

// validProcName is a DNS label: what every Dokku scheduler accepts.
func validProcName(name string) error {
	if name == "" || len(name) > 63 {
		return fmt.Errorf("process name %q must be 1-63 characters", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("process name %q may hold only lowercase letters, digits and '-'", name)
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' {
		return fmt.Errorf("process name %q may not start or end with '-'", name)
	}
	return nil
}

// ValidProcName is validProcName for commands.
func ValidProcName(name string) error { return validProcName(name) }
