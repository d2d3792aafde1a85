package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// noBeatTree is djangoTree without anything that makes detection render
// celery beat (no django_celery_beat, no CELERY_BEAT_SCHEDULE).
func noBeatTree() map[string]string {
	return djangoTree(map[string]string{
		"shop/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.contenttypes']\nWSGI_APPLICATION = 'shop.wsgi.application'\n",
		"requirements.txt": "Django==4.2.7\ngunicorn==21.2.0\ncelery[redis]==5.3.4\nhuey==2.5.0\n",
	})
}

// checksDisabled is the checks plugin's disabled value ("" when the
// property file does not exist).
func checksDisabled(h *harness.Host, app string) string {
	v, _ := h.ChecksProperty(app, "disabled")
	return v
}

// TestStopFirstBeatOnly: a docker-local deploy with celery beat puts beat,
// and only beat, in the checks plugin's disabled list before
// scheduler-docker-local deploys it, so its old container stops before the
// new one starts; the deploy says so in one line with the opt-out.
func TestStopFirstBeatOnly(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if v := checksDisabled(h, "shop"); v != "beat" {
		t.Fatalf("checks disabled = %q, want beat", v)
	}
	for proc, want := range map[string]bool{"beat": true, "web": false, "worker": false, "huey": false} {
		if got, ok := d.StopFirst[proc]; !ok || got != want {
			t.Errorf("%s: scheduler-docker-local stops the old container first = %v (deployed %v), want %v", proc, got, ok, want)
		}
	}
	out, _ := d.Output()
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "checks:disable") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "-----> beat: old container stops before the new one starts") ||
		!strings.Contains(lines[0], "dokku prodserver:set shop singleton-stop-first false") {
		t.Errorf("deploy output lines about checks:disable: %q, want one line with the effect and the opt-out\n%s", lines, out)
	}
	// The property is in Dokku's layout: no newline, mode 0600.
	fi, err := os.Stat(filepath.Join(h.Lib, "config", "checks", "shop", "disabled"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("checks property file: %v %v", fi, err)
	}
	if r := h.Dokku("prodserver:report", "shop", "--prodserver-checks-disabled"); r.Code != 0 || r.Stdout != "beat\n" {
		t.Errorf("report --prodserver-checks-disabled: %s", r)
	}
	// A second deploy keeps it and changes nothing.
	d = deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if v := checksDisabled(h, "shop"); v != "beat" || !d.StopFirst["beat"] {
		t.Errorf("second deploy: checks disabled = %q, stop first %v", v, d.StopFirst["beat"])
	}
	// plugin:uninstall keeps the entry (safe) and says how to undo it.
	if r := h.Trigger("", "uninstall", "prodserver"); r.Code != 0 || !strings.Contains(r.Stdout, "shop keeps beat in checks:disable (added by prodserver") || !strings.Contains(r.Stdout, "dokku checks:enable shop beat") {
		t.Errorf("uninstall: %s", r)
	}
}

// TestStopFirstUndoneKeepsOperatorEntries: the operator's own checks:disable
// entries survive prodserver's add and remove; when beat leaves the app,
// prodserver removes beat and nothing else, even next to an entry Dokku's
// own checks:enable would mangle (it removes by substring).
func TestStopFirstUndoneKeepsOperatorEntries(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	if r := h.Checks("checks:disable", "shop", "worker", "celerybeat"); r.Code != 0 {
		t.Fatal(r)
	}
	if v := checksDisabled(h, "shop"); v != "worker,celerybeat" {
		t.Fatalf("stand-in checks:disable wrote %q", v)
	}
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if v := checksDisabled(h, "shop"); v != "worker,celerybeat,beat" {
		t.Fatalf("after deploy with beat: %q", v)
	}
	d := deployOK(t, h, "shop", tree(t, noBeatTree()))
	if v := checksDisabled(h, "shop"); v != "worker,celerybeat" {
		t.Errorf("after beat left: %q, want the operator's worker,celerybeat", v)
	}
	if !d.StopFirst["worker"] || d.StopFirst["web"] {
		t.Errorf("stop first: %v", d.StopFirst)
	}
	if out, _ := d.Output(); !strings.Contains(out, "Zero downtime is back on for beat") {
		t.Errorf("undo not said:\n%s", out)
	}
	if r := h.Dokku("prodserver:report", "shop", "--prodserver-checks-disabled"); r.Stdout != "\n" {
		t.Errorf("report after undo: %s", r)
	}
	// Why prodserver does not undo with `dokku checks:enable APP beat`:
	// Dokku's remove_val_from_list removes by substring.
	h.SetChecksProperty("shop", "disabled", "celerybeat,beat")
	h.Checks("checks:enable", "shop", "beat")
	if v := checksDisabled(h, "shop"); v != "celery" {
		t.Errorf("stand-in checks:enable beat on celerybeat,beat left %q; Dokku 0.38.27 leaves celery", v)
	}
}

// TestStopFirstOperatorsBeatIsTheirs: beat disabled by the operator before
// prodserver came is theirs: kept when beat leaves the app.
func TestStopFirstOperatorsBeatIsTheirs(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	h.Checks("checks:disable", "shop", "beat")
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if out, _ := d.Output(); !strings.Contains(out, "beat: zero downtime is off by your checks:disable") {
		t.Errorf("output:\n%s", out)
	}
	deployOK(t, h, "shop", tree(t, noBeatTree()))
	if v := checksDisabled(h, "shop"); v != "beat" {
		t.Errorf("operator's beat entry: %q", v)
	}
	// checks:disable APP (every type): nothing of prodserver's to add or remove.
	h.Checks("checks:disable", "shop")
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	deployOK(t, h, "shop", tree(t, noBeatTree()))
	if v := checksDisabled(h, "shop"); v != "_all_" {
		t.Errorf("_all_ changed to %q", v)
	}
}

// TestStopFirstOptOut: singleton-stop-first false keeps the overlap, and
// set after a deploy it removes what prodserver had added.
func TestStopFirstOptOut(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	h.Checks("checks:disable", "shop", "worker")
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if r := h.Dokku("prodserver:set", "shop", "singleton-stop-first", "false"); r.Code != 0 {
		t.Fatal(r)
	}
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if v := checksDisabled(h, "shop"); v != "worker" || d.StopFirst["beat"] {
		t.Errorf("opt-out: checks disabled %q, beat stops first %v", v, d.StopFirst["beat"])
	}
	r := h.Dokku("prodserver:processes", "shop", "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &rows); err != nil {
		t.Fatalf("processes json: %v\n%s", err, r)
	}
	for _, row := range rows {
		if row["name"] == "beat" && !strings.Contains(row["stop_first"].(string), "singleton-stop-first false") {
			t.Errorf("processes stop_first for beat: %v", row["stop_first"])
		}
		if row["name"] == "worker" && row["stop_first"] != nil {
			t.Errorf("worker is no singleton: %v", row["stop_first"])
		}
	}
	// A fresh app with the opt-out set globally never gets the entry.
	h.CreateApp("blog")
	limits(h, "blog")
	if r := h.Dokku("prodserver:set", "--global", "singleton-stop-first", "false"); r.Code != 0 {
		t.Fatal(r)
	}
	deployOK(t, h, "blog", tree(t, djangoTree(nil)))
	if _, ok := h.ChecksProperty("blog", "disabled"); ok {
		t.Error("global opt-out: checks property written")
	}
}

// TestStopFirstProdserverDisabled: `enabled false` (prodserver manages
// nothing) undoes prodserver's entry at the next deploy, and only that.
func TestStopFirstProdserverDisabled(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	h.Checks("checks:disable", "shop", "web")
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if r := h.Dokku("prodserver:set", "shop", "enabled", "false"); r.Code != 0 {
		t.Fatal(r)
	}
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if v := checksDisabled(h, "shop"); v != "web" {
		t.Errorf("checks disabled %q, want the operator's web", v)
	}
	if out, _ := d.Output(); !strings.Contains(out, "Zero downtime is back on for beat (prodserver had added it to checks:disable; prodserver manages nothing in this deploy)") {
		t.Errorf("output:\n%s", out)
	}
	// Nothing left to undo: the next deploy is silent again.
	d = deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if o, e := d.Output(); strings.Contains(o+e, "prodserver") {
		t.Errorf("disabled app: output %q %q", o, e)
	}
}

// TestStopFirstNothingWithoutSingleton: an app without a singleton, and an
// app that is not Django, get no checks property and no output, and
// post-release-builder stays in the small triggers binary (no
// libexec/deploy: the fast path).
func TestStopFirstNothingWithoutSingleton(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	d := deployOK(t, h, "shop", tree(t, noBeatTree()))
	if _, ok := h.ChecksProperty("shop", "disabled"); ok {
		t.Error("no singleton: checks property written")
	}
	if o, _ := d.Output(); strings.Contains(o, "checks:disable") || strings.Contains(o, "Zero downtime") {
		t.Errorf("no singleton: output\n%s", o)
	}
	if _, err := os.Stat(filepath.Join(h.Lib, "data", "prodserver", "shop", "checks-disabled")); err == nil {
		t.Error("no singleton: a claim file was written")
	}

	h.CreateApp("static")
	d = deployOK(t, h, "static", tree(t, map[string]string{"index.html": "<p>hi</p>\n"}))
	for _, s := range d.Steps {
		if s.Trigger == "post-release-builder" && (s.Stdout != "" || s.Stderr != "") {
			t.Errorf("post-release-builder for a non-Django app printed %q %q", s.Stdout, s.Stderr)
		}
	}
	if _, ok := h.ChecksProperty("static", "disabled"); ok {
		t.Error("non-Django app: checks property written")
	}
	// The trigger binary answers alone when there is neither a record nor
	// a claim: run it with libexec/deploy made unrunnable.
	deployBin := filepath.Join(h.Plugin, "libexec", "deploy")
	if err := os.Chmod(deployBin, 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(deployBin, 0o755)
	if r := h.Trigger("", "post-release-builder", "herokuish", "static", "dokku/static:latest"); r.Code != 0 || r.Stdout != "" || r.Stderr != "" {
		t.Errorf("fast path: %s", r)
	}
}

// TestStopFirstOtherSchedulers: on scheduler-k3s (Recreate does it) and on
// a scheduler that does not read checks:disable, nothing is added, and
// moving an app there removes prodserver's entry.
func TestStopFirstOtherSchedulers(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if v := checksDisabled(h, "shop"); v != "beat" {
		t.Fatalf("docker-local: %q", v)
	}
	h.WriteFile(filepath.Join(h.Lib, "config", "scheduler", "shop", "selected"), []byte("nomad"))
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if _, ok := h.ChecksProperty("shop", "disabled"); ok {
		t.Errorf("nomad: prodserver's beat entry kept: %q", checksDisabled(h, "shop"))
	}
	if _, e := d.Output(); !strings.Contains(e, "beat may run twice during a deploy") {
		t.Errorf("nomad: no warning:\n%s", e)
	}

	h.CreateApp("blog")
	limits(h, "blog")
	h.WriteFile(filepath.Join(h.Lib, "config", "scheduler", "blog", "selected"), []byte("k3s"))
	d = deployOK(t, h, "blog", tree(t, djangoTree(nil)))
	if _, ok := h.ChecksProperty("blog", "disabled"); ok {
		t.Error("k3s: checks property written")
	}
	if o, e := d.Output(); strings.Contains(o+e, "checks:disable") {
		t.Errorf("k3s: output mentions checks:disable\n%s\n%s", o, e)
	}
}

// TestStopFirstProcesses: prodserver:processes says how beat is deployed.
func TestStopFirstProcesses(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	r := h.Dokku("prodserver:processes", "shop")
	if r.Code != 0 || !strings.Contains(r.Stdout, "beat: old container stopped before the new one starts: yes: prodserver's checks:disable") {
		t.Errorf("processes:\n%s", r)
	}
	if strings.Contains(r.Stdout, "worker: old container stopped") {
		t.Errorf("worker listed:\n%s", r.Stdout)
	}
}

// TestStopFirstUnreadableProperty: a checks property prodserver cannot
// read (a folder in its place) is a warning naming it; the deploy goes on
// and nothing is written.
func TestStopFirstUnreadableProperty(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	bad := filepath.Join(h.Lib, "config", "checks", "shop", "disabled")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	h.Chown(filepath.Dir(filepath.Dir(bad)))
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	_, e := d.Output()
	if !strings.Contains(e, bad) || !strings.Contains(e, "singletons are not stopped first") || strings.Contains(e, "panic") {
		t.Errorf("warning:\n%s", e)
	}
	if fi, err := os.Stat(bad); err != nil || !fi.IsDir() {
		t.Errorf("the operator's path was replaced: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(h.Lib, "data", "prodserver", "shop", "checks-disabled")); err == nil {
		t.Error("claimed with nothing written")
	}
}
