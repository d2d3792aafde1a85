package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
)

// PodGrace is how long scheduler-k3s's pods get between SIGTERM and
// SIGKILL: Kubernetes' default terminationGracePeriodSeconds, because the
// chart sets none and nothing in the plugin reads ps's stop-timeout-seconds
// (plugins/scheduler-k3s/templates/chart/deployment.yaml, v0.38.27).
const PodGrace = 30

// stopDeadline is the seconds a stopped process has before it is killed:
// ps's stop-timeout-seconds on docker-local (0 = Dokku's 30), the pod's
// grace on scheduler-k3s. The graceful timeouts rendered end before it.
func stopDeadline(in Inputs) int {
	if in.Scheduler == "k3s" {
		return PodGrace
	}
	return in.StopTimeout
}

// gracefulFlags are the flags by which a server is told how long to drain
// after SIGTERM (gunicorn's and hypercorn's, uvicorn's).
var gracefulFlags = []string{"--graceful-timeout", "--timeout-graceful-shutdown"}

// renderedGraceful is the drain time a command carries (the last of its
// graceful flags, --flag=N or --flag N), 0 when none.
func renderedGraceful(command string) (int, string) {
	words, _ := procfile.Split(command, map[string]string{"PORT": "5000"})
	n, flag := 0, ""
	for i, w := range words {
		for _, f := range gracefulFlags {
			v, ok := strings.CutPrefix(w, f+"=")
			if !ok && w == f && i+1 < len(words) {
				v, ok = words[i+1], true
			}
			if d, err := strconv.Atoi(v); ok && err == nil {
				n, flag = d, f
			}
		}
	}
	return n, flag
}

// checkGrace warns, on scheduler-k3s, when a process's graceful timeout
// does not end before the pod is killed: the drain would be cut short.
func (plan *Plan) checkGrace(in Inputs, p Process) {
	if in.Scheduler != "k3s" {
		return
	}
	if n, flag := renderedGraceful(p.Command); n >= PodGrace {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s (%s): %s=%d does not end before scheduler-k3s kills the pod, %d s after SIGTERM (Kubernetes' default terminationGracePeriodSeconds; the chart sets none), so requests still running are cut off; lower it to %d or less in prodserver:args or the process options", p.Name, p.Backend, flag, n, PodGrace, tuning.GracefulTimeout(PodGrace)))
	}
}

// checkStopTimeout says, on scheduler-k3s, that an operator's ps
// stop-timeout-seconds has no effect there.
func (plan *Plan) checkStopTimeout(in Inputs) {
	if in.Scheduler != "k3s" || in.StopTimeout <= 0 || in.StopTimeout == PodGrace || (in.StopTimeoutFrom != "app" && in.StopTimeoutFrom != "global") {
		return
	}
	plan.Warnings = append(plan.Warnings, fmt.Sprintf("ps's stop-timeout-seconds does not apply on scheduler-k3s (%d s, set %s): pods are killed %d s after SIGTERM, so graceful timeouts are rendered to end within %d s", in.StopTimeout, map[string]string{"app": "for the app", "global": "globally"}[in.StopTimeoutFrom], PodGrace, PodGrace))
}
