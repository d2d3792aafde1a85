package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestScaleStaysAllowed: a managed deploy leaves ps's can-scale as app-json
// set it, so `ps:scale` still works, and a scale the operator chose
// survives the next deploy. Real Dokku 0.38.27 refused ps:scale after every
// prodserver deploy: prodserver called ps-can-scale APP to read the value,
// and that trigger writes false when given none.
func TestScaleStaysAllowed(t *testing.T) {
	cases := []struct {
		name    string
		appJSON string // "" for none
	}{
		{"no app.json", ""},
		{"app.json without formation", `{"prodserver": {"release": "migrate"}}`},
		{"JSONC app.json without formation", "{\n  // comments are fine since Dokku 0.37\n  \"scripts\": {},\n}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			extra := map[string]string{}
			if c.appJSON != "" {
				extra["app.json"] = c.appJSON
			}
			src := tree(t, djangoTree(extra))
			deployOK(t, h, "shop", src)
			if !h.CanScale("shop") {
				t.Fatal("a managed deploy turned ps:scale off (can-scale false)")
			}
			if r := h.PsScale("shop", "worker=2"); r.Code != 0 {
				t.Fatalf("ps:scale worker=2 after a deploy: %s", r)
			}
			deployOK(t, h, "shop", src)
			if !h.CanScale("shop") {
				t.Error("the second deploy turned ps:scale off")
			}
			if n := h.Scale("shop")["worker"]; n != 2 {
				t.Errorf("worker scale after redeploy: %d, want the operator's 2", n)
			}
		})
	}
}

// TestFormationLeftAlone: with app.json's formation, app-json owns the
// scale; prodserver sets none (no worker=1 added) and only warns.
func TestFormationLeftAlone(t *testing.T) {
	cases := []struct{ name, appJSON string }{
		{"JSON", `{"formation": {"web": {"quantity": 2}}}`},
		{"JSONC", "{\"formation\": {\n  \"web\": {\"quantity\": 2}, // two web containers\n},}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"app.json": c.appJSON})))
			if got := h.Scale("shop"); got["web"] != 2 || got["worker"] != 0 || got["beat"] != 0 {
				t.Errorf("scale %v: want web=2 from the formation and no managed process scaled up", got)
			}
			for _, call := range h.Calls() {
				if strings.Contains(call, "ps-set-scale shop true false") {
					t.Errorf("prodserver scaled despite the formation: %s", call)
				}
			}
			if h.CanScale("shop") {
				t.Error("can-scale should be false under a formation (app-json sets it)")
			}
		})
	}
	// A scale in prodserver's own config is not applied, and the deploy
	// says where the scale is set instead.
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	appJSON := `{"formation": {"worker": {"quantity": 3}}, "prodserver": {"processes": {"worker": {"backend": "celery-worker", "scale": 1}}}}`
	d := deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"app.json": appJSON})))
	if n := h.Scale("shop")["worker"]; n != 3 {
		t.Errorf("worker scale %d, want the formation's 3", n)
	}
	if _, stderr := d.Output(); !strings.Contains(stderr, "worker: the scale 1") || !strings.Contains(stderr, "formation sets the scale (3)") {
		t.Errorf("no warning that app.json's scale is not applied: %q", stderr)
	}
}

// TestScaleRepair: hosts that ran the old prodserver have can-scale false
// with no formation; install (and update) restore it once, and say so.
func TestScaleRepair(t *testing.T) {
	for _, trig := range []string{"install", "update"} {
		t.Run(trig, func(t *testing.T) {
			h := harness.New(t)
			for _, app := range []string{"shop", "formed"} {
				h.CreateApp(app)
				limits(h, app)
			}
			deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			deployOK(t, h, "formed", tree(t, djangoTree(map[string]string{"app.json": `{"formation": {"web": {"quantity": 1}}}`})))
			// What the old prodserver left behind: can-scale false, a deploy
			// record, and no sign of the repair (it did not exist then).
			damaged := filepath.Join(h.Lib, "config", "ps", "shop", "can-scale")
			h.WriteFile(damaged, []byte("false"))
			for _, app := range []string{"shop", "formed"} {
				if err := os.Remove(filepath.Join(h.Lib, "config", "prodserver", app, "can-scale-repaired")); err != nil {
					t.Fatalf("the deploy should mark the repair as done: %v", err)
				}
			}

			r := h.Trigger("", trig)
			if r.Code != 0 {
				t.Fatalf("%s: %s", trig, r)
			}
			if !h.CanScale("shop") {
				t.Errorf("%s did not restore ps:scale for shop", trig)
			}
			if !strings.Contains(r.Stdout+r.Stderr, "re-enabled ps:scale for shop") {
				t.Errorf("%s did not say it restored ps:scale: %s", trig, r)
			}
			if h.CanScale("formed") {
				t.Error("the repair overrode an app.json formation")
			}
			// Once: a later false (say, a formation added since) stays.
			h.WriteFile(damaged, []byte("false"))
			if r := h.Trigger("", trig); r.Code != 0 || strings.Contains(r.Stdout+r.Stderr, "re-enabled") {
				t.Errorf("second %s: %s", trig, r)
			}
			if h.CanScale("shop") {
				t.Error("the repair ran twice")
			}
			if _, err := os.Stat(damaged); err != nil {
				t.Fatal(err)
			}
		})
	}
}
