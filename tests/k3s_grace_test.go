package tests

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestK3sGraceWarns: with scheduler-k3s selected (per app and globally), a
// deploy renders graceful timeouts for the pod's 30 s grace whatever ps's
// stop-timeout-seconds says (and says it does not apply), warns when a
// graceful timeout from prodserver:args does not end before the pod is
// killed, and processes shows the grace; docker-local keeps using
// stop-timeout-seconds.
func TestK3sGraceWarns(t *testing.T) {
	cases := []struct {
		name          string
		k3s, global   bool
		stop          string   // ps stop-timeout-seconds for the app; "" unset
		args          []string // prodserver:args web
		warnStop      bool
		warnGrace     bool
		processesShow string
	}{
		{name: "k3s per app stop-timeout 120", k3s: true, stop: "120", warnStop: true, processesShow: "scheduler-k3s pod grace 30 s"},
		{name: "k3s globally graceful 60", k3s: true, global: true, args: []string{"--graceful-timeout=60"}, warnGrace: true, processesShow: "scheduler-k3s pod grace 30 s"},
		{name: "k3s graceful 20 fits", k3s: true, args: []string{"--graceful-timeout=20"}, processesShow: "drain for 25 s"},
		{name: "docker-local stop-timeout 120", stop: "120", args: []string{"--graceful-timeout=60"}, processesShow: "ps stop-timeout-seconds 120 (app)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			if c.k3s {
				k3sApp(h, "shop", c.global)
			}
			if c.stop != "" {
				h.WriteFile(filepath.Join(h.Lib, "config", "ps", "shop", "stop-timeout-seconds"), []byte(c.stop))
			}
			if c.args != nil {
				if r := h.Dokku("prodserver:args", append([]string{"shop", "web", "--skip-deploy", "--"}, c.args...)...); r.Code != 0 {
					t.Fatal(r)
				}
			}
			d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			out, errOut := d.Output()
			if got := strings.Contains(errOut, "ps's stop-timeout-seconds does not apply on scheduler-k3s (120 s, set for the app)"); got != c.warnStop {
				t.Errorf("stop-timeout warning %v, want %v:\n%s%s", got, c.warnStop, out, errOut)
			}
			if got := strings.Contains(errOut, "--graceful-timeout=60 does not end before scheduler-k3s kills the pod"); got != c.warnGrace {
				t.Errorf("grace warning %v, want %v:\n%s%s", got, c.warnGrace, out, errOut)
			}
			if r := h.Dokku("prodserver:processes", "shop"); r.Code != 0 || !strings.Contains(r.Stdout, c.processesShow) {
				t.Errorf("processes does not show %q:\n%s", c.processesShow, r)
			}
		})
	}
}
