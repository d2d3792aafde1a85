package tests

import (
	"strconv"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// processLine is the Procfile line of proc ("" when there is none).
func processLine(procfile, proc string) string {
	for _, l := range strings.Split(procfile, "\n") {
		if strings.HasPrefix(l, proc+": ") {
			return l
		}
	}
	return ""
}

// TestExportRoundTripCeleryWorkers (issue 15, "Round trip"): a Celery
// worker's `workers: 3` survives prodserver:export → app.json or settings.py
// → a deploy on a fresh host as --concurrency=3. export --format django once
// wrote it as "ARGS": {"workers": "3"}, which rendered --workers=3, an
// option celery does not have.
func TestExportRoundTripCeleryWorkers(t *testing.T) {
	appJSON := `{"prodserver": {"processes": {"web": "gunicorn", "worker": {"backend": "celery-worker", "app": "shop.celery", "workers": 3}}}}`
	reqs := "Django\ngunicorn\ncelery\n"
	for _, format := range []string{"json", "django"} {
		t.Run(format, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			first := processLine(deployOK(t, h, "shop", tree(t, djangoTree(map[string]string{"app.json": appJSON, "requirements.txt": reqs}))).Procfile, "worker")
			if !strings.Contains(first, "--concurrency=3") {
				t.Fatalf("first deploy's worker line %q has no --concurrency=3", first)
			}
			r := h.Dokku("prodserver:export", "shop", "--format", format)
			if r.Code != 0 {
				t.Fatalf("export --format %s: %s", format, r)
			}
			again := djangoTree(map[string]string{"requirements.txt": reqs})
			if format == "json" {
				again["app.json"] = r.Stdout
			} else {
				again["shop/settings.py"] += r.Stdout
			}
			h2 := harness.New(t)
			h2.CreateApp("shop")
			limits(h2, "shop")
			got := processLine(deployOK(t, h2, "shop", tree(t, again)).Procfile, "worker")
			if got != first || strings.Contains(got, "--workers") {
				t.Errorf("worker after the round trip:\n%s\nwant:\n%s\nexport:\n%s", got, first, r.Stdout)
			}
		})
	}
}

// TestEnvLongLineBeforeKey (issue 15, "ENV lines over 1 MiB"): a config
// value over 1 MiB, before WEB_CONCURRENCY in the ENV file, does not hide
// it: the deploy reads the file whole, as Dokku writes it (godotenv since
// 0.38.26, export KEY='value' before), at and past a line scanner's 1 MiB,
// in the app's file and in the global one.
func TestEnvLongLineBeforeKey(t *testing.T) {
	for _, size := range []int{1<<20 - 1, 1 << 20, 1<<20 + 1, 3 << 20} {
		for _, layout := range []string{"current", "legacy", "global"} {
			t.Run(layout+"/"+strconv.Itoa(size), func(t *testing.T) {
				h := harness.New(t)
				h.CreateApp("shop")
				limits(h, "shop")
				kv := map[string]string{"A_PAD": strings.Repeat("a", size), "WEB_CONCURRENCY": "6"}
				switch layout {
				case "current":
					h.SetConfig("shop", kv)
				case "legacy":
					h.SetLegacyConfig("shop", kv)
				case "global":
					h.SetConfig("--global", kv)
				}
				d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
				if web := processLine(d.Procfile, "web"); !strings.Contains(web, "--workers=6 ") {
					t.Errorf("web line %q does not take WEB_CONCURRENCY=6 after a %d-byte line", web, size)
				}
				if out, errOut := d.Output(); strings.Contains(out+errOut, strings.Repeat("a", 64)) {
					t.Errorf("the deploy printed the long config value")
				}
			})
		}
	}
}
