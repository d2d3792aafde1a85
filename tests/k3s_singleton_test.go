package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// userKustomization is the example of Dokku's k3s docs ("Integrating
// Kustomize"): every Deployment at 3 replicas.
const userKustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- rendered.yaml
patches:
- patch: |-
    - op: replace
      path: /spec/replicas
      value: 3
  target:
      group: apps
      version: v1
      kind: Deployment
`

// TestK3sSingletonRecreate: on scheduler-k3s, celery beat's Deployment is
// replaced rather than rolled (strategy Recreate) through the app's
// Kustomization, which scheduler-k3s's core-post-extract copies and its
// renderer applies to the chart (checked with `kubectl kustomize` on the
// rendered manifest); the other processes keep the rolling update. A
// Kustomization of the user's is left byte for byte, with a warning that
// names the patch, unless it already sets Recreate.
func TestK3sSingletonRecreate(t *testing.T) {
	cases := []struct {
		name      string
		k3s       bool
		global    bool
		rootPath  string            // scheduler-k3s kustomize-root-path ("" = config/kustomize)
		files     map[string]string // extra source files
		onlyWeb   bool              // a tree with no singleton
		recreate  bool              // beat's Deployment gets strategy Recreate
		warns     bool
		replicas  int // web's replicas after the Kustomization
		written   string
		untouched string // a user file that must stay as it is
	}{
		{name: "k3s per app", k3s: true, recreate: true, replicas: 1, written: "config/kustomize/kustomization.yaml"},
		{name: "k3s globally", k3s: true, global: true, recreate: true, replicas: 1, written: "config/kustomize/kustomization.yaml"},
		{name: "k3s kustomize-root-path", k3s: true, rootPath: "deploy/k8s", recreate: true, replicas: 1, written: "deploy/k8s/kustomization.yaml"},
		{name: "user's kustomization kept, warned", k3s: true, files: map[string]string{"config/kustomize/kustomization.yaml": userKustomization},
			warns: true, replicas: 3, untouched: "config/kustomize/kustomization.yaml"},
		{name: "user's kustomization with Recreate", k3s: true, files: map[string]string{"config/kustomize/kustomization.yaml": userKustomization +
			"- target:\n    kind: Deployment\n    name: shop-beat\n  patch: |-\n    - op: add\n      path: /spec/strategy\n      value: {type: Recreate}\n"},
			recreate: true, replicas: 3, untouched: "config/kustomize/kustomization.yaml"},
		{name: "k3s no singleton", k3s: true, onlyWeb: true, replicas: 1},
		{name: "docker-local", replicas: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.EnableSchedulerK3s()
			h.CreateApp("shop")
			limits(h, "shop")
			if c.k3s {
				k3sApp(h, "shop", c.global)
			}
			if c.rootPath != "" {
				h.WriteFile(filepath.Join(h.Lib, "config", "scheduler-k3s", "shop", "kustomize-root-path"), []byte(c.rootPath))
			}
			files := djangoTree(c.files)
			if c.onlyWeb {
				files = webOnlyTree()
			}
			d := deployOK(t, h, "shop", tree(t, files))
			out, errOut := d.Output()
			warned := strings.Contains(errOut, "beat runs twice during a scheduler-k3s rolling update") && strings.Contains(errOut, "name: shop-beat")
			if warned != c.warns {
				t.Errorf("singleton warning %v, want %v:\n%s%s", warned, c.warns, out, errOut)
			}
			for _, p := range []string{"config/kustomize/kustomization.yaml", "deploy/k8s/kustomization.yaml"} {
				_, err := os.Stat(filepath.Join(d.Work, p))
				// scheduler-k3s's core-post-extract also copies a custom
				// root to config/kustomize (common.CorePostExtract).
				want := p == c.written || p == c.untouched || (c.rootPath != "" && p == "config/kustomize/kustomization.yaml")
				if exists := err == nil; exists != want {
					t.Errorf("%s in the source tree: %v", p, exists)
				}
			}
			if c.untouched != "" {
				if b, _ := os.ReadFile(filepath.Join(d.Work, c.untouched)); string(b) != c.files[c.untouched] {
					t.Errorf("the user's %s was changed:\n%s", c.untouched, b)
				}
			}
			if !c.k3s {
				if d.K3s != nil {
					t.Errorf("a docker-local deploy rendered a k3s release")
				}
				return
			}
			if d.K3sErr != nil {
				t.Fatal(d.K3sErr)
			}
			if _, err := os.Stat(filepath.Join(h.Lib, "data", "scheduler-k3s", "shop", "kustomization")); (err == nil) != (c.written != "" || c.untouched != "") {
				t.Errorf("scheduler-k3s keeps a kustomization after the deploy: %v", err == nil)
			}
			beat, hasBeat := d.K3s.Deployments["shop-beat"]
			if got := beat.Spec.Strategy.Type == "Recreate"; got != c.recreate {
				t.Errorf("shop-beat strategy %q (Recreate %v, want %v):\n%s", beat.Spec.Strategy.Type, got, c.recreate, d.K3s.Manifest)
			}
			if hasBeat && (beat.Spec.Replicas == nil || *beat.Spec.Replicas != c.replicas) {
				t.Errorf("shop-beat replicas %v, want %d (the scale, or the user's patch)", beat.Spec.Replicas, c.replicas)
			}
			for _, name := range d.K3s.Names() {
				if dep := d.K3s.Deployments[name]; name != "shop-beat" && dep.Spec.Strategy.Type != "" {
					t.Errorf("%s strategy %q, want the chart's rolling update", name, dep.Spec.Strategy.Type)
				}
			}
			if web := d.K3s.Deployments["shop-web"]; web.Spec.Replicas == nil || *web.Spec.Replicas != c.replicas {
				t.Errorf("shop-web replicas %v, want %d", web.Spec.Replicas, c.replicas)
			}
		})
	}
}

// TestK3sKustomizationIdempotent: prodserver's core-post-extract run again
// on the same source tree (a rebuild) leaves its kustomization.yaml as it
// was, one patch per singleton.
func TestK3sKustomizationIdempotent(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	k3sApp(h, "shop", false)
	d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	path := filepath.Join(d.Work, "config", "kustomize", "kustomization.yaml")
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if r := h.Trigger(d.Work, "core-post-extract", "shop", d.Work, "0123abcd"); r.Code != 0 {
		t.Fatal(r)
	}
	again, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(first) || strings.Count(string(again), "name: shop-beat") != 1 {
		t.Errorf("second run changed the kustomization:\n%s\nthen:\n%s", first, again)
	}
}

// webOnlyTree is a Django project with no task queue: no singleton.
func webOnlyTree() map[string]string {
	files := djangoTree(nil)
	delete(files, "shop/celery.py")
	files["shop/__init__.py"] = ""
	files["shop/settings.py"] = "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.contenttypes']\nWSGI_APPLICATION = 'shop.wsgi.application'\n"
	files["requirements.txt"] = "Django==4.2.7\ngunicorn==21.2.0\n"
	return files
}
