package plan

import (
	"strings"
	"testing"
)

// TestStartCmdWarnings: the per-scheduler, per-builder table of which ps
// property replaces the rendered lines (Dokku v0.38.27), both set at once.
func TestStartCmdWarnings(t *testing.T) {
	cases := []struct {
		scheduler, builder string
		warn, note         []string // property names
	}{
		{"docker-local", "herokuish", []string{"start-cmd"}, []string{"dockerfile-start-cmd"}},
		{"docker-local", "dockerfile", []string{"dockerfile-start-cmd"}, []string{"start-cmd"}},
		{"docker-local", "pack", []string{"dockerfile-start-cmd"}, []string{"start-cmd"}},
		{"", "nixpacks", []string{"dockerfile-start-cmd"}, []string{"start-cmd"}},
		{"k3s", "herokuish", nil, []string{"start-cmd", "dockerfile-start-cmd"}},
		{"k3s", "dockerfile", []string{"dockerfile-start-cmd"}, []string{"start-cmd"}},
		{"k3s", "pack", []string{"start-cmd"}, []string{"dockerfile-start-cmd"}},
	}
	names := func(lines []string) []string {
		var out []string
		for _, l := range lines {
			for _, k := range []string{"dockerfile-start-cmd", "start-cmd"} {
				if strings.HasPrefix(l, "ps's "+k+" ") {
					out = append(out, k)
					break
				}
			}
		}
		return out
	}
	for _, c := range cases {
		t.Run(c.scheduler+"/"+c.builder, func(t *testing.T) {
			w, n := StartCmdWarnings(c.scheduler, c.builder, "bin/run", "bin/run-docker")
			if got := names(w); strings.Join(got, ",") != strings.Join(c.warn, ",") {
				t.Errorf("warnings %q, want %v", w, c.warn)
			}
			if got := names(n); strings.Join(got, ",") != strings.Join(c.note, ",") {
				t.Errorf("notes %q, want %v", n, c.note)
			}
			for _, l := range w {
				if !strings.Contains(l, "dokku ps:set <app> ") {
					t.Errorf("warning names no fix: %s", l)
				}
			}
		})
	}
	// Only start-cmd set on k3s with a Dockerfile: it takes effect.
	if w, _ := StartCmdWarnings("k3s", "dockerfile", "bin/run", ""); len(w) != 1 || !strings.Contains(w[0], "start-cmd is set") {
		t.Errorf("k3s dockerfile start-cmd alone: %q", w)
	}
	if w, n := StartCmdWarnings("k3s", "pack", "", ""); w != nil || n != nil {
		t.Errorf("nothing set: %q %q", w, n)
	}
}
