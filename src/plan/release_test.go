package plan

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestReleaseValues: every documented `release` value, from the setting or
// from app.json, gives the release line the README promises, and
// ReleaseValue reads the value back from the plan (what export prints).
// migrate-collectstatic runs migrate alone and warns with the change for
// the source that said it (wantFix): Dokku never commits the release
// container, so collectstatic there lost its files.
func TestReleaseValues(t *testing.T) {
	const migrate = "python manage.py migrate --noinput"
	for _, c := range []struct {
		name      string
		operator  string
		global    string
		appJSON   string
		want      string // the release command, "" for none
		wantValue string
		wantFix   string // the release warning's fix, "" for no warning
	}{
		{name: "default", want: migrate, wantValue: "migrate"},
		{name: "setting migrate", operator: "migrate", want: migrate, wantValue: "migrate"},
		{name: "setting migrate-collectstatic", operator: "migrate-collectstatic", want: migrate, wantValue: "migrate", wantFix: "dokku prodserver:set <app> release migrate"},
		{name: "setting none", operator: "none", wantValue: "none"},
		{name: "app.json migrate-collectstatic", appJSON: "migrate-collectstatic", want: migrate, wantValue: "migrate", wantFix: `"release": "migrate" in app.json's prodserver section`},
		{name: "app.json none", appJSON: "none", wantValue: "none"},
		{name: "setting over app.json", operator: "migrate", appJSON: "migrate-collectstatic", want: migrate, wantValue: "migrate"},
		{name: "app.json over global", global: "none", appJSON: "migrate", want: migrate, wantValue: "migrate"},
		{name: "app.json none over global", global: "migrate-collectstatic", appJSON: "none", wantValue: "none"},
		{name: "global when nothing says", global: "migrate-collectstatic", want: migrate, wantValue: "migrate", wantFix: "dokku prodserver:set --global release migrate"},
		{name: "global none", global: "none", wantValue: "none"},
		{name: "setting over global", operator: "migrate", global: "none", want: migrate, wantValue: "migrate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := Inputs{Facts: djangoFacts(), Operator: Operator{Release: c.operator, GlobalRelease: c.global}}
			if c.appJSON != "" {
				in.AppJSON = &Config{Source: SourceAppJSON, Release: c.appJSON}
			}
			p := Make(in)
			var warned []string
			for _, w := range p.Warnings {
				if strings.HasPrefix(w, "release:") {
					warned = append(warned, w)
				}
			}
			switch {
			case c.wantFix == "" && len(warned) > 0:
				t.Errorf("warnings: %q", warned)
			case c.wantFix != "" && (len(warned) != 1 || !strings.Contains(warned[0], "runs migrate only") ||
				!strings.Contains(warned[0], "RUN python manage.py collectstatic --noinput") || !strings.Contains(warned[0], "scripts.dokku.predeploy") ||
				!strings.Contains(warned[0], c.wantFix)):
				t.Errorf("release warnings %q, want one that says migrate runs alone, where collectstatic belongs, and %q", warned, c.wantFix)
			}
			got := ""
			if r := p.Process("release"); r != nil {
				got = r.Command
			}
			if got != c.want {
				t.Errorf("release command %q, want %q", got, c.want)
			}
			if v := ReleaseValue(p); v != c.wantValue {
				t.Errorf("ReleaseValue = %q, want %q", v, c.wantValue)
			}
		})
	}
}

// TestGlobalReleaseKeepsUserLine: the global release is a default, so like
// detection it fills a missing release line and leaves the user's own.
func TestGlobalReleaseKeepsUserLine(t *testing.T) {
	const user = "release: ./release.sh\n"
	for _, c := range []struct {
		name, enabled, want string
	}{
		{"auto keeps the user's line", "auto", "./release.sh"},
		{"true replaces it", "true", "python manage.py migrate --noinput"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := Make(Inputs{Facts: djangoFacts(), Procfile: []byte(user),
				Operator: Operator{Enabled: c.enabled, GlobalRelease: "migrate-collectstatic"}})
			if r := p.Process("release"); r == nil || r.Command != c.want {
				t.Errorf("release = %+v, want command %q", r, c.want)
			}
		})
	}
}

// TestREADMEQuotesPrecedence: the README's "Where a process comes from"
// list names the sources in Precedence's order, so the documented order
// is the one the plan walks.
func TestREADMEQuotesPrecedence(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	_, section, ok := strings.Cut(string(b), "### Where a process comes from")
	if !ok {
		t.Fatal("README.md has no \"Where a process comes from\" section")
	}
	section, _, _ = strings.Cut(section, "\n#") // to the next heading
	var got []Source
	for _, m := range regexp.MustCompile(`(?m)^\d+\. \*\*([^*]+)\*\*`).FindAllStringSubmatch(section, -1) {
		got = append(got, Source(m[1]))
	}
	if !reflect.DeepEqual(got, Precedence) {
		t.Errorf("README lists %q, Precedence is %q", got, Precedence)
	}
}

// TestNoReleaseWithoutManagePy: Django declared but no manage.py found (a
// library repo, one deeper than the scan looks): detection writes no
// `release: python manage.py migrate` that would fail the release phase.
func TestNoReleaseWithoutManagePy(t *testing.T) {
	f := djangoFacts()
	f.ManagePy = ""
	if r := Make(Inputs{Facts: f}).Process("release"); r != nil {
		t.Errorf("release = %+v with no manage.py", r)
	}
	if r := Make(Inputs{Facts: djangoFacts()}).Process("release"); r == nil {
		t.Error("no release with a manage.py")
	}
}

// TestReleaseCollectstaticOption: the migrate backend's old collectstatic
// option, from app.json's processes, is not a failed parse: the release
// line is migrate alone, with the warning naming where the option is.
func TestReleaseCollectstaticOption(t *testing.T) {
	cfg, found, err := AppJSON([]byte(`{"prodserver": {"processes": {"release": {"backend": "migrate", "options": {"collectstatic": true, "database": "default"}}}}}`))
	if err != nil || !found {
		t.Fatalf("AppJSON: found %v, %v", found, err)
	}
	p := Make(Inputs{Facts: djangoFacts(), AppJSON: cfg})
	r := p.Process("release")
	if r == nil || r.Command != "python manage.py migrate --noinput --database=default" {
		t.Fatalf("release = %+v, want migrate alone with its other option", r)
	}
	var warned []string
	for _, w := range p.Warnings {
		if strings.HasPrefix(w, "release:") {
			warned = append(warned, w)
		}
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "collectstatic option (from app.json)") || !strings.Contains(warned[0], "drop that option from app.json") {
		t.Errorf("warnings %q, want one naming the option and app.json", warned)
	}
}
