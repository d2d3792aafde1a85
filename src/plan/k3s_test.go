package plan

import (
	"strings"
	"testing"
)

// TestK3sStopSignals: on scheduler-k3s (every pod gets SIGTERM) waitress is
// rendered in the form that drains on SIGTERM, at the root and in a
// sub-folder, and huey warns naming celery-worker; docker-local keeps the
// plain forms (its stop signal is set per process) and warns about neither.
func TestK3sStopSignals(t *testing.T) {
	cases := []struct {
		name, scheduler, appDir string
		webHas, webLacks        string
		webSignal               string
		hueyWarns               bool
	}{
		{"docker-local", "", "", "waitress-serve --listen", "SIGTERM", "SIGINT", false},
		{"docker-local sub-folder", "docker-local", "src", `sys.path.insert`, "SIGTERM", "SIGINT", false},
		{"k3s", "k3s", "", `signal.signal(signal.SIGTERM,signal.default_int_handler);sys=__import__("sys");sys.exit(__import__("waitress.runner").runner.run())`, "waitress-serve", "SIGTERM", true},
		{"k3s sub-folder", "k3s", "src", `signal.default_int_handler);sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));`, "waitress-serve", "SIGTERM", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := djangoFacts()
			f.Packages["waitress"], f.Packages["huey"] = "", ""
			in := Inputs{Facts: f, Scheduler: c.scheduler, Operator: Operator{AppDir: c.appDir,
				Backends: map[string]string{"web": "waitress", "worker": "huey"}}}
			p := Make(in)
			web := p.Process("web")
			if web == nil || web.Backend != "waitress" {
				t.Fatalf("no waitress web: %+v", p.Processes)
			}
			if !strings.Contains(web.Command, c.webHas) || strings.Contains(web.Command, c.webLacks) {
				t.Errorf("web command %q: want %q, not %q", web.Command, c.webHas, c.webLacks)
			}
			if web.StopSignal != c.webSignal {
				t.Errorf("web stop signal %s, want %s", web.StopSignal, c.webSignal)
			}
			warned := false
			for _, w := range p.Warnings {
				if strings.Contains(w, "worker (huey): scheduler-k3s stops every pod with SIGTERM") && strings.Contains(w, "prodserver:backend <app> worker celery-worker") {
					warned = true
				}
				if strings.Contains(w, "web (waitress)") && strings.Contains(w, "SIGTERM") {
					t.Errorf("waitress warned although its form drains on SIGTERM: %s", w)
				}
			}
			if warned != c.hueyWarns {
				t.Errorf("huey warning %v, want %v: %q", warned, c.hueyWarns, p.Warnings)
			}
		})
	}
}
