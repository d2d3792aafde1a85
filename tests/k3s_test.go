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
