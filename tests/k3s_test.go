package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestSchedulerRecorded: the app's scheduler (scheduler:set's `selected`,
// the app's, else the global one, else docker-local) is recorded in
// deploy.json and shown by prodserver:processes and prodserver:report.
func TestSchedulerRecorded(t *testing.T) {
	cases := []struct {
		name, app, global, want, from string
	}{
		{"default", "", "", "docker-local", "default"},
		{"global k3s", "", "k3s", "k3s", "global"},
		{"app k3s over global", "k3s", "docker-local", "k3s", "app"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			for scope, v := range map[string]string{"shop": c.app, "--global": c.global} {
				if v != "" {
					h.WriteFile(filepath.Join(h.Lib, "config", "scheduler", scope, "selected"), []byte(v))
				}
			}
			deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			b, err := os.ReadFile(filepath.Join(h.Lib, "data", "prodserver", "shop", "deploy.json"))
			if err != nil {
				t.Fatal(err)
			}
			var rec struct{ Scheduler, SchedulerFrom string }
			var raw map[string]any
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			rec.Scheduler, _ = raw["scheduler"].(string)
			rec.SchedulerFrom, _ = raw["scheduler_from"].(string)
			if rec.Scheduler != c.want || rec.SchedulerFrom != c.from {
				t.Errorf("deploy.json scheduler %q from %q, want %q from %q", rec.Scheduler, rec.SchedulerFrom, c.want, c.from)
			}
			if r := h.Dokku("prodserver:processes", "shop"); r.Code != 0 || !strings.Contains(r.Stdout, "scheduler: "+c.want) {
				t.Errorf("processes does not show the scheduler %s: %s", c.want, r)
			}
			if r := h.Dokku("prodserver:report", "shop", "--prodserver-scheduler"); r.Code != 0 || strings.TrimSpace(r.Stdout) != c.want {
				t.Errorf("report --prodserver-scheduler: %s, want %s", r, c.want)
			}
		})
	}
}

// k3sApp selects scheduler-k3s for the app, or globally when global.
func k3sApp(h *harness.Host, app string, global bool) {
	scope := app
	if global {
		scope = "--global"
	}
	h.WriteFile(filepath.Join(h.Lib, "config", "scheduler", scope, "selected"), []byte("k3s"))
}

// TestAutoscaledLeftAlone: on k3s, a process app.json autoscales (non-empty
// triggers) gets no ps-set-scale from prodserver, and processes shows the
// autoscaling; with empty triggers Dokku does not autoscale, so prodserver
// scales the worker as usual; on docker-local autoscaling is inert.
func TestAutoscaledLeftAlone(t *testing.T) {
	const auto = `{"formation": {"worker": {"autoscaling": {"min_quantity": 1, "max_quantity": 4,
	  "triggers": [{"name": "queue", "type": "redis", "metadata": {"listName": "celery"}}]}}}}`
	const empty = `{"formation": {"worker": {"autoscaling": {"min_quantity": 1, "triggers": []}}}}`
	cases := []struct {
		name, appJSON string
		k3s, global   bool
		scaled        bool   // a ps-set-scale names worker=
		shows         string // in processes output; "" for no autoscaling line
	}{
		{"k3s per app", auto, true, false, false, "worker autoscaling (app.json formation): min 1, max 4, 1 trigger(s)"},
		{"k3s globally", auto, true, true, false, "min 1, max 4, 1 trigger(s)"},
		{"k3s empty triggers", empty, true, false, true, ""},
		{"docker-local", auto, false, false, true, "(applies on scheduler-k3s only)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			if c.k3s {
				k3sApp(h, "shop", c.global)
			}
			deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"app.json": c.appJSON})))
			scaled := false
			for _, call := range h.Calls() {
				if strings.Contains(call, "ps-set-scale shop") && strings.Contains(call, "worker=") {
					scaled = true
				}
			}
			if scaled != c.scaled {
				t.Errorf("ps-set-scale for worker: %v, want %v; calls:\n%s", scaled, c.scaled, strings.Join(h.Calls(), "\n"))
			}
			r := h.Dokku("prodserver:processes", "shop")
			if r.Code != 0 {
				t.Fatal(r)
			}
			if c.shows == "" && strings.Contains(r.Stdout, "autoscaling") || c.shows != "" && !strings.Contains(r.Stdout, c.shows) {
				t.Errorf("processes, want %q:\n%s", c.shows, r.Stdout)
			}
		})
	}
}

// TestK3sSizing: on k3s, with no resource:limit, processes are sized for
// the scheduler's default request (one worker) with a deploy warning, never
// from the host; resource:limit, else resource:reserve, decides otherwise.
func TestK3sSizing(t *testing.T) {
	cases := []struct {
		name     string
		k3s      bool
		limit    [2]string // cpu, memory via resource:limit; "" for none
		reserve  bool      // set 2 CPUs / 1g via resource:reserve instead
		warns    bool
		webShows string
	}{
		{"k3s no limits", true, [2]string{}, false, true, "scheduler-k3s default request"},
		{"k3s limits", true, [2]string{"2", "1g"}, false, false, "resource:limit: 2 CPU, 1024 MB"},
		{"k3s reserve", true, [2]string{}, true, false, "resource:reserve: 2 CPU, 1024 MB"},
		{"docker-local no limits", false, [2]string{}, false, false, "host"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			if c.k3s {
				k3sApp(h, "shop", false)
			}
			if c.limit[0] != "" {
				h.SetResourceLimit("shop", "_default_", "cpu", c.limit[0])
				h.SetResourceLimit("shop", "_default_", "memory", c.limit[1])
			}
			if c.reserve {
				for res, v := range map[string]string{"cpu": "2", "memory": "1g"} {
					h.WriteFile(filepath.Join(h.Lib, "config", "resource", "shop", "_default_.reserve."+res), []byte(v))
				}
			}
			d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			out, errOut := d.Output()
			warned := strings.Contains(out+errOut, "sized for the scheduler's default request (100m CPU, 128Mi)")
			if warned != c.warns {
				t.Errorf("default-request warning %v, want %v:\n%s%s", warned, c.warns, out, errOut)
			}
			r := h.Dokku("prodserver:processes", "shop")
			if r.Code != 0 || !strings.Contains(r.Stdout, c.webShows) {
				t.Errorf("processes does not show sizing from %q:\n%s", c.webShows, r)
			}
		})
	}
}

// TestStartCmdWarns: a deploy warns when ps's start-cmd or
// dockerfile-start-cmd replaces the rendered lines, per scheduler and
// builder as Dokku 0.38.27 picks the command, and not where it is inert.
func TestStartCmdWarns(t *testing.T) {
	cases := []struct {
		name, scheduler, builder, prop string
		warns                          bool
	}{
		{"docker-local herokuish start-cmd", "", "herokuish", "start-cmd", true},
		{"docker-local dockerfile start-cmd inert", "", "dockerfile", "start-cmd", false},
		{"docker-local dockerfile dockerfile-start-cmd", "", "dockerfile", "dockerfile-start-cmd", true},
		{"k3s herokuish start-cmd inert", "k3s", "herokuish", "start-cmd", false},
		{"k3s dockerfile start-cmd", "k3s", "dockerfile", "start-cmd", true},
		{"k3s pack start-cmd", "k3s", "pack", "start-cmd", true},
		{"k3s pack dockerfile-start-cmd inert", "k3s", "pack", "dockerfile-start-cmd", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			if c.scheduler != "" {
				k3sApp(h, "shop", false)
			}
			h.WriteFile(filepath.Join(h.Lib, "config", "builder", "shop", "selected"), []byte(c.builder))
			h.WriteFile(filepath.Join(h.Lib, "config", "ps", "shop", c.prop), []byte("bin/start-everything"))
			d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			out, errOut := d.Output()
			warned := strings.Contains(out+errOut, "ps's "+c.prop+" is set (\"bin/start-everything\")") &&
				strings.Contains(out+errOut, "dokku ps:set shop "+c.prop)
			if warned != c.warns {
				t.Errorf("start-cmd warning %v, want %v:\n%s%s", warned, c.warns, out, errOut)
			}
		})
	}
}
