package plan

import (
	"reflect"
	"testing"
)

func TestReconcileStopFirst(t *testing.T) {
	cases := []struct {
		name           string
		current        string
		claimed, want  []string
		value          string
		write          bool
		claims         []string
		added, removed []string
		yours          []string
	}{
		{name: "nothing", current: "", value: ""},
		{name: "add beat", want: []string{"beat"}, value: "beat", write: true, claims: []string{"beat"}, added: []string{"beat"}},
		{name: "operator's entries kept, beat appended", current: "web,worker", want: []string{"beat"},
			value: "web,worker,beat", write: true, claims: []string{"beat"}, added: []string{"beat"}},
		{name: "already ours", current: "worker,beat", claimed: []string{"beat"}, want: []string{"beat"},
			value: "worker,beat", claims: []string{"beat"}},
		{name: "operator's own beat is theirs", current: "beat", want: []string{"beat"}, value: "beat", yours: []string{"beat"}},
		{name: "all: nothing to add or own", current: "_all_", claimed: []string{"beat"}, want: []string{"beat"}, value: "_all_", yours: []string{"beat"}},
		{name: "all: nothing removed", current: "_all_", claimed: []string{"beat"}, value: "_all_"},
		{name: "beat gone: ours removed, operator's kept", current: "worker,beat,web", claimed: []string{"beat"},
			value: "worker,web", write: true, removed: []string{"beat"}},
		{name: "last entry removed deletes", current: "beat", claimed: []string{"beat"}, value: "", write: true, removed: []string{"beat"}},
		{name: "substring neighbour survives", current: "celerybeat,beat", claimed: []string{"beat"},
			value: "celerybeat", write: true, removed: []string{"beat"}},
		{name: "claimed but removed by checks:enable: re-added", current: "worker", claimed: []string{"beat"}, want: []string{"beat"},
			value: "worker,beat", write: true, claims: []string{"beat"}, added: []string{"beat"}},
		{name: "claimed, gone, not wanted: claim dropped", current: "worker", claimed: []string{"beat"}, value: "worker"},
		{name: "trailing newline of a hand edit", current: "worker\n", want: []string{"beat"},
			value: "worker,beat", write: true, claims: []string{"beat"}, added: []string{"beat"}},
		{name: "empty entries dropped only on write", current: "worker,,web", value: "worker,web"},
		{name: "two singletons, one swapped", current: "beat", claimed: []string{"beat"}, want: []string{"scheduler"},
			value: "scheduler", write: true, claims: []string{"scheduler"}, added: []string{"scheduler"}, removed: []string{"beat"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ReconcileStopFirst(c.current, c.claimed, c.want)
			if got.Value != c.value || got.Write != c.write {
				t.Errorf("value %q write %v, want %q %v", got.Value, got.Write, c.value, c.write)
			}
			for _, f := range []struct {
				what      string
				got, want []string
			}{{"claimed", got.Claimed, c.claims}, {"added", got.Added, c.added}, {"removed", got.Removed, c.removed}, {"yours", got.Yours, c.yours}} {
				if len(f.got) != 0 || len(f.want) != 0 {
					if !reflect.DeepEqual(f.got, f.want) {
						t.Errorf("%s %q, want %q", f.what, f.got, f.want)
					}
				}
			}
		})
	}
}

func TestChecksListHas(t *testing.T) {
	for _, c := range []struct {
		v, proc string
		want    bool
	}{
		{"_all_", "beat", true}, {"web,beat", "beat", true}, {"celerybeat", "beat", false},
		{" beat", "beat", false}, {"", "beat", false}, {"_all_,web", "beat", false},
	} {
		if got := ParseChecksList(c.v).Has(c.proc); got != c.want {
			t.Errorf("%q has %s: %v, want %v", c.v, c.proc, got, c.want)
		}
	}
}
