package spec

import (
	"testing"
)

// TestReleaseValues: every documented `release` value, from the setting or
// from app.json, gives the release line the README promises, and
// ReleaseValue reads the value back from the plan (what export prints).
func TestReleaseValues(t *testing.T) {
	const (
		migrate = "python manage.py migrate --noinput"
		collect = "python manage.py migrate --noinput && python manage.py collectstatic --noinput"
	)
	for _, c := range []struct {
		name      string
		operator  string
		appJSON   string
		want      string // the release command, "" for none
		wantValue string
	}{
		{name: "default", want: migrate, wantValue: "migrate"},
		{name: "setting migrate", operator: "migrate", want: migrate, wantValue: "migrate"},
		{name: "setting migrate-collectstatic", operator: "migrate-collectstatic", want: collect, wantValue: "migrate-collectstatic"},
		{name: "setting none", operator: "none", wantValue: "none"},
		{name: "app.json migrate-collectstatic", appJSON: "migrate-collectstatic", want: collect, wantValue: "migrate-collectstatic"},
		{name: "app.json none", appJSON: "none", wantValue: "none"},
		{name: "setting over app.json", operator: "migrate", appJSON: "migrate-collectstatic", want: migrate, wantValue: "migrate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := Inputs{Facts: djangoFacts(), Operator: Operator{Release: c.operator}}
			if c.appJSON != "" {
				in.AppJSON = &Config{Source: SourceAppJSON, Release: c.appJSON}
			}
			p := Make(in)
			for _, w := range p.Warnings {
				if len(w) >= 8 && w[:8] == "release:" {
					t.Errorf("warning: %s", w)
				}
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
