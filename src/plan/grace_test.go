package plan

import (
	"strings"
	"testing"
)

// TestK3sGrace: on scheduler-k3s a pod is killed 30 s after SIGTERM
// (Kubernetes' default terminationGracePeriodSeconds; the chart sets none)
// whatever ps's stop-timeout-seconds says, so prodserver renders its
// graceful timeouts for 30 s there, says that stop-timeout-seconds does not
// apply, and warns when a graceful timeout the command carries (an option
// or prodserver:args) does not end before the pod is killed.
func TestK3sGrace(t *testing.T) {
	cases := []struct {
		name      string
		scheduler string
		stop      int
		from      string
		web       string
		args      []string
		wantFlag  string // in the web command
		warnGrace bool   // the "does not end before" warning
		warnStop  bool   // the "stop-timeout-seconds does not apply" warning
	}{
		{name: "k3s default", scheduler: "k3s", web: "hypercorn", wantFlag: "--graceful-timeout=25"},
		{name: "k3s stop-timeout 120 ignored", scheduler: "k3s", stop: 120, from: "app", web: "hypercorn", wantFlag: "--graceful-timeout=25", warnStop: true},
		{name: "k3s stop-timeout 10 ignored", scheduler: "k3s", stop: 10, from: "global", web: "hypercorn", wantFlag: "--graceful-timeout=25", warnStop: true},
		{name: "docker-local stop-timeout 120", stop: 120, from: "app", web: "hypercorn", wantFlag: "--graceful-timeout=110"},
		{name: "k3s gunicorn args 60", scheduler: "k3s", web: "gunicorn", args: []string{"--graceful-timeout=60"}, wantFlag: "--graceful-timeout=60", warnGrace: true},
		{name: "k3s gunicorn args split 45", scheduler: "k3s", web: "gunicorn", args: []string{"--graceful-timeout", "45"}, wantFlag: "--graceful-timeout 45", warnGrace: true},
		{name: "k3s gunicorn args 20 fits", scheduler: "k3s", web: "gunicorn", args: []string{"--graceful-timeout=20"}, wantFlag: "--graceful-timeout=20"},
		{name: "k3s uvicorn 30", scheduler: "k3s", web: "uvicorn", args: []string{"--timeout-graceful-shutdown=30"}, wantFlag: "--timeout-graceful-shutdown=30", warnGrace: true},
		{name: "docker-local gunicorn args 60 unchecked", web: "gunicorn", args: []string{"--graceful-timeout=60"}, wantFlag: "--graceful-timeout=60"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := Inputs{Facts: djangoFacts(), Scheduler: c.scheduler, StopTimeout: c.stop, StopTimeoutFrom: c.from,
				Operator: Operator{Backends: map[string]string{"web": c.web}, Args: map[string][]string{"web": c.args}}}
			pl := Make(in)
			web := pl.Process("web")
			if web == nil || !strings.Contains(web.Command+" ", " "+c.wantFlag+" ") {
				t.Fatalf("web = %+v, want %s in it", web, c.wantFlag)
			}
			all := strings.Join(pl.Warnings, "\n")
			if got := strings.Contains(all, "does not end before scheduler-k3s kills the pod"); got != c.warnGrace {
				t.Errorf("grace warning %v, want %v: %q", got, c.warnGrace, pl.Warnings)
			}
			if got := strings.Contains(all, "stop-timeout-seconds does not apply on scheduler-k3s"); got != c.warnStop {
				t.Errorf("stop-timeout warning %v, want %v: %q", got, c.warnStop, pl.Warnings)
			}
		})
	}
}
