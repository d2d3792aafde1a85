package tests

import (
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestDeployWithoutLimits (issue 13, "Without limits"): a deploy whose
// sized processes have no resource:limit warns once, naming them and the
// resource:limit command (never a config value); processes shows the host
// fallback with its cap; web's gunicorn never gets more than cap + 1
// processes from the host. Processes with limits, or with explicit counts
// for everything the sizing decides, are not named.
func TestDeployWithoutLimits(t *testing.T) {
	const warning = "resource:limit for "
	src := tree(t, djangoTree(nil)) // web (gunicorn), worker (celery), huey and beat (not sized)
	cases := []struct {
		name  string
		setup func(h *harness.Host)
		names string // the processes the warning names; "" for no warning
	}{
		{"no limits", func(*harness.Host) {}, "no cpu or memory resource:limit for huey, web, worker: "},
		{"limits for every process", func(h *harness.Host) { limits(h, "shop") }, ""},
		{"web limited, worker not", func(h *harness.Host) {
			h.SetResourceLimit("shop", "web", "cpu", "1")
			h.SetResourceLimit("shop", "web", "memory", "768m")
		}, "no cpu or memory resource:limit for huey, worker: "},
		{"memory only", func(h *harness.Host) { h.SetResourceLimit("shop", "_default_", "memory", "1g") }, "no cpu resource:limit for huey, web, worker: "},
		{"explicit workers and threads", func(h *harness.Host) {
			for k, v := range map[string]string{"workers": "3", "threads": "4"} {
				if r := h.Dokku("prodserver:set", "shop", k, v); r.Code != 0 {
					t.Fatal(r)
				}
			}
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			h.SetConfig("shop", map[string]string{"SECRET_KEY": "do-not-print-me"})
			c.setup(h)
			d := deployOK(t, h, "shop", src)
			out, errOut := d.Output()
			all := out + errOut
			if n := strings.Count(all, warning); (c.names == "") != (n == 0) || n > 1 {
				t.Fatalf("%d resource:limit warnings, want %d:\n%s%s", n, map[bool]int{true: 0, false: 1}[c.names == ""], out, errOut)
			}
			if c.names == "" {
				return
			}
			for _, want := range []string{c.names, "dokku resource:limit --cpu 2 --memory 1g shop", fmt.Sprintf("capped at %d", tuning.HostCPUCap)} {
				if !strings.Contains(all, want) {
					t.Errorf("warning lacks %q:\n%s%s", want, out, errOut)
				}
			}
			if strings.Contains(all, "do-not-print-me") {
				t.Errorf("the deploy printed a config value:\n%s%s", out, errOut)
			}
		})
	}

	// processes shows the fallback and its cap, and the render keeps to it.
	h := harness.New(t)
	h.CreateApp("shop")
	d := deployOK(t, h, "shop", src)
	m := regexp.MustCompile(`(?m)^web: gunicorn .*--workers=(\d+) --threads=8 `).FindStringSubmatch(d.Procfile)
	if m == nil {
		t.Fatalf("no sized gunicorn web line:\n%s", d.Procfile)
	}
	if n, _ := strconv.Atoi(m[1]); n > tuning.HostCPUCap+1 || n > runtime.NumCPU()+1 {
		t.Errorf("web has %d processes from the host's %d CPUs, want at most min(CPUs, %d) + 1", n, runtime.NumCPU(), tuning.HostCPUCap)
	}
	shows := fmt.Sprintf("(no cpu resource:limit; the host fallback is capped at %d)", tuning.HostCPUCap)
	if runtime.NumCPU() > tuning.HostCPUCap {
		shows = fmt.Sprintf("CPU, capped at %d (no cpu resource:limit)", tuning.HostCPUCap)
	}
	r := h.Dokku("prodserver:processes", "shop")
	if r.Code != 0 || !strings.Contains(r.Stdout, "from host: ") || !strings.Contains(r.Stdout, shows) {
		t.Errorf("processes does not show the host fallback and its cap %q:\n%s", shows, r)
	}
}
