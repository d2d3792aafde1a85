package tests

import (
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

// TestServersWaitressK3s starts Debian's waitress in the form prodserver
// renders for scheduler-k3s (which stops every pod with SIGTERM), in both
// layouts: it answers, and SIGTERM stops it cleanly (exit 0, as its SIGINT
// drain does). The docker-local form is started too, to show the test can
// fail: plain waitress-serve dies by SIGTERM instead of exiting 0.
func TestServersWaitressK3s(t *testing.T) {
	for _, l := range serversLayouts {
		for _, sched := range []string{"k3s", "docker-local"} {
			t.Run(l.name+"/"+sched, func(t *testing.T) {
				realserver.Require(t, "waitress-serve", "python3-waitress")
				a := newServersApp(t, "redis://127.0.0.1:1/0", l.sub)
				facts, err := project.Scan(a.root, project.Options{})
				if err != nil {
					t.Fatal(err)
				}
				pl := plan.Make(plan.Inputs{Facts: facts, Scheduler: sched, Concurrency: serversRoom.Sizer(),
					Operator: plan.Operator{Enabled: "true", Backends: map[string]string{"web": "waitress"}}})
				p := pl.Process("web")
				if p == nil || p.Backend != "waitress" {
					t.Fatalf("no waitress web process: %+v", pl.Processes)
				}
				if k3s := strings.Contains(p.Command, "SIGTERM,signal.default_int_handler"); k3s != (sched == "k3s") {
					t.Fatalf("%s line %q: SIGTERM form %v", sched, p.Command, k3s)
				}
				t.Logf("LINE web (%s): %s", sched, p.Command)
				port := strconv.Itoa(realserver.FreePort(t))
				proc := realserver.Start(t, serversArgv(t, p.Command, port), a.root, append([]string{"PORT=" + port}, a.env...))
				status, body := proc.WaitHTTP(t, "http://127.0.0.1:"+port+"/", serversStart)
				if status != 200 || body != "ok" {
					t.Fatalf("GET / = %d %q; output:\n%s", status, body, serversTail(proc.Output()))
				}
				took := proc.Stop(t, syscall.SIGTERM, serversStop)
				clean := proc.ExitCode() == 0
				t.Logf("STOP waitress (%s) on SIGTERM: exit %d after %s", sched, proc.ExitCode(), took)
				if clean != (sched == "k3s") {
					t.Errorf("%s form on SIGTERM: exit %d, clean=%v; output:\n%s", sched, proc.ExitCode(), clean, serversTail(proc.Output()))
				}
			})
		}
	}
}
