package subcmd

import (
	"bytes"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// TestExportRoundTripEveryBackend: for every backend of the catalogue,
// export → import → plan gives the same command and counts: through
// app.json (--format json) always, and through settings.py (--format
// django) in each django-prodserver layout that has a class for it. The
// release process goes through the release value (migrate; the old
// migrate-collectstatic, which runs migrate, exports as migrate).
func TestExportRoundTripEveryBackend(t *testing.T) {
	for _, b := range backend.All() {
		name := "worker"
		switch {
		case b.Kind == backend.KindWSGI || b.Kind == backend.KindASGI:
			name = "web"
		case b.Kind == backend.KindRelease:
			name = "release"
		}
		procs := []plan.ProcConfig{{Name: name, Backend: b.Name, Workers: 3}}
		release := plan.ReleaseNone
		if b.Kind == backend.KindRelease {
			procs, release = nil, plan.ReleaseMigrateCollectstatic
		}
		op := plan.Operator{Enabled: "true", Release: release}
		first := plan.Make(plan.Inputs{Facts: exportFacts(), Operator: op, Concurrency: fixedSize,
			AppJSON: &plan.Config{Source: plan.SourceAppJSON, Processes: procs}})
		want := first.Process(name)
		if want == nil || !want.Managed {
			t.Fatalf("%s: not planned: %+v %q", b.Name, want, first.Warnings)
		}
		again := func(t *testing.T, in plan.Inputs, src string) {
			t.Helper()
			in.Facts, in.Concurrency = exportFacts(), fixedSize
			in.Operator = plan.Operator{Enabled: "true", Release: plan.ReleaseNone}
			if in.AppJSON != nil && in.AppJSON.Release != "" || b.Kind != backend.KindRelease {
				in.Operator.Release = ""
			}
			got := plan.Make(in).Process(name)
			if got == nil || got.Command != want.Command || got.Workers != want.Workers || got.Threads != want.Threads {
				t.Errorf("round trip changed %s\n got %+v\nwant %+v\nexport:\n%s", name, got, want, src)
			}
		}
		t.Run(b.Name+"/json", func(t *testing.T) {
			var out bytes.Buffer
			old := dokku.Stdout
			dokku.Stdout = &out
			err := exportJSON(first)
			dokku.Stdout = old
			if err != nil {
				t.Fatal(err)
			}
			cfg, found, err := plan.AppJSON(out.Bytes())
			if err != nil || !found {
				t.Fatalf("export is not an app.json prodserver section (found=%v, %v):\n%s", found, err, out.String())
			}
			again(t, plan.Inputs{AppJSON: cfg}, out.String())
		})
		for _, major := range []int{2, 3} {
			if b.DjangoClass(major) == "" {
				continue
			}
			t.Run(b.Name+"/django"+string(rune('0'+major)), func(t *testing.T) {
				src := exportDjango(first, major)
				v, found, err := pyliteral.Lookup([]byte(src), "PRODUCTION_PROCESSES")
				if err != nil || !found {
					t.Fatalf("export is not a readable literal (found=%v, %v):\n%s", found, err, src)
				}
				cfg, warns, err := plan.ProductionProcesses(v)
				if err != nil || len(warns) > 0 {
					t.Fatalf("re-import: %v %q\n%s", err, warns, src)
				}
				again(t, plan.Inputs{Settings: cfg}, src)
			})
		}
	}
}
