package plan

import (
	"strings"
	"testing"
)

// TestAppJSONDuplicateKeys: a key given twice counts once, the last, as
// Dokku's app.json reader (encoding/json) and Python's json take it, with
// a warning that says so (issue 15); gjson alone took the first.
func TestAppJSONDuplicateKeys(t *testing.T) {
	cases := []struct {
		name, doc   string
		web         string // web's backend, "" for none
		release     string
		warn        string // "" for none
		err         string
		formation   bool
		autoscaling int
	}{
		{name: "prodserver twice", doc: `{"prodserver":{"processes":{"web":"gunicorn"}},"prodserver":{"processes":{"web":"uvicorn"}}}`,
			web: "uvicorn", warn: `app.json has 2 "prodserver" keys; using the last`},
		{name: "prodserver three times, JSONC", doc: "{\"prodserver\":{\"release\":\"none\"},\n// c\n\"prodserver\":{},\"prodserver\":{\"release\":\"migrate\",},}",
			release: "migrate", warn: `app.json has 3 "prodserver" keys`},
		{name: "an earlier prodserver that is wrong", doc: `{"prodserver":[1],"prodserver":{"processes":{"web":"daphne"}}}`,
			web: "daphne", warn: `2 "prodserver" keys`},
		{name: "a later prodserver that is wrong", doc: `{"prodserver":{},"prodserver":[1]}`, err: "prodserver must be an object"},
		{name: "release twice", doc: `{"prodserver":{"release":"none","release":"migrate-collectstatic"}}`,
			release: "migrate-collectstatic", warn: "prodserver.release is given 2 times; using the last"},
		{name: "processes twice", doc: `{"prodserver":{"processes":{"web":"gunicorn"},"processes":{"web":"hypercorn"}}}`,
			web: "hypercorn", warn: "prodserver.processes is given 2 times"},
		{name: "a process twice stays an error", doc: `{"prodserver":{"processes":{"web":"gunicorn","web":"uvicorn"}}}`, err: "prodserver.processes.web is declared twice"},
		{name: "one of each", doc: `{"prodserver":{"release":"none","processes":{"web":"gunicorn"}}}`, web: "gunicorn", release: "none"},
		{name: "formation twice, the last without quantities", doc: `{"formation":{"web":{"quantity":2}},"formation":{"web":{}}}`},
		{name: "formation twice, the last with", doc: `{"formation":{},"formation":{"worker":{"quantity":1,"autoscaling":{"triggers":[{"type":"cpu"}]}}}}`, formation: true, autoscaling: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := HasFormation([]byte(c.doc)); got != c.formation {
				t.Errorf("HasFormation = %v, want %v", got, c.formation)
			}
			if got := len(Autoscaling([]byte(c.doc))); got != c.autoscaling {
				t.Errorf("Autoscaling: %d processes, want %d", got, c.autoscaling)
			}
			cfg, found, err := AppJSON([]byte(c.doc))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !found {
				if c.web != "" || c.release != "" {
					t.Fatal("section not found")
				}
				return
			}
			web := ""
			if p := cfg.Proc("web"); p != nil {
				web = p.Backend
			}
			if web != c.web || cfg.Release != c.release {
				t.Errorf("web %q, release %q; want %q, %q", web, cfg.Release, c.web, c.release)
			}
			got := strings.Join(cfg.Warnings, "\n")
			if c.warn == "" && got != "" || !strings.Contains(got, c.warn) {
				t.Errorf("warnings %q, want %q", cfg.Warnings, c.warn)
			}
		})
	}
}
