package plan

import (
	"reflect"
	"strings"
	"testing"
)

// TestSingletons: only managed singletons with a name Kubernetes accepts
// in a Deployment name are replaced rather than rolled.
func TestSingletons(t *testing.T) {
	cases := []struct {
		name  string
		procs []Process
		want  []string
	}{
		{"none", []Process{{Name: "web", Managed: true}}, nil},
		{"beat", []Process{{Name: "web", Managed: true}, {Name: "beat", Managed: true, Singleton: true}}, []string{"beat"}},
		{"user's line", []Process{{Name: "beat", Singleton: true}}, nil},
		{"not a Deployment name", []Process{{Name: "celery_beat", Managed: true, Singleton: true}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := (&Plan{Processes: c.procs}).Singletons(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Singletons() = %q, want %q", got, c.want)
			}
		})
	}
}

// TestHasRecreate: a user's kustomization counts as already replacing
// APP-PROC only when it names that Deployment exactly and says Recreate.
func TestHasRecreate(t *testing.T) {
	cases := []struct {
		name, file string
		want       bool
	}{
		{"ours", string(Kustomization("shop", []string{"beat"})), true},
		{"no Recreate", "patches:\n- target:\n    name: shop-beat\n", false},
		{"other deployment", "name: shop-beat2\ntype: Recreate\n", false},
		{"prefix", "name: myshop-beat\ntype: Recreate\n", false},
		{"empty", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := HasRecreate([]byte(c.file), "shop", "beat"); got != c.want {
				t.Errorf("HasRecreate = %v, want %v", got, c.want)
			}
		})
	}
}

// TestKustomization: the file starts with the marker, keeps the rendered
// chart as its resource, and has one patch per singleton.
func TestKustomization(t *testing.T) {
	k := string(Kustomization("shop", []string{"beat", "scheduler"}))
	if !strings.HasPrefix(k, KustomizeMarker+"\n") || !strings.Contains(k, "resources:\n- rendered.yaml\n") {
		t.Errorf("kustomization:\n%s", k)
	}
	for _, n := range []string{"shop-beat", "shop-scheduler"} {
		if strings.Count(k, "name: "+n+"\n") != 1 {
			t.Errorf("want one patch for %s:\n%s", n, k)
		}
	}
}
