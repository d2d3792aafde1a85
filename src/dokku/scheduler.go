package dokku

import (
	"fmt"
	"strings"
)

// DefaultScheduler is the scheduler of an app that selects none
// (plugins/scheduler/scheduler.go DefaultProperties, v0.38.27).
const DefaultScheduler = "docker-local"

// Scheduler is the app's scheduler as Dokku selects it: the scheduler
// plugin's `selected` property of the app, else the global one, else
// docker-local (plugins/scheduler/triggers.go TriggerSchedulerDetect, and
// plugins/scheduler-k3s/triggers.go TriggerCorePostExtract, which reads the
// same two files in the same trigger prodserver renders in; v0.38.27).
// from is "app", "global" or "default". It reads Dokku's property files,
// never a trigger: this runs inside every deploy.
func Scheduler(app string) (name, from string, err error) {
	if err := ValidateAppName(app); err != nil {
		return "", "", err
	}
	for _, s := range []struct{ scope, from string }{{app, "app"}, {GlobalApp, "global"}} {
		v, err := PluginProperty("scheduler", s.scope, "selected", "")
		if err != nil {
			return DefaultScheduler, "default", fmt.Errorf("the scheduler property selected (%s): %w", s.from, err)
		}
		if v = strings.TrimSpace(v); v != "" {
			return v, s.from, nil
		}
	}
	return DefaultScheduler, "default", nil
}
