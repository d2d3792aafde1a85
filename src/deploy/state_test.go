package deploy

import (
	"os"
	"os/user"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

// TestRecordVersions: a record as 0.1.0 wrote it (no version, facts keyed
// by field name, options without kinds) loads with its values and types;
// one from a newer layout is refused with the fix; a saved record loads
// back equal.
func TestRecordVersions(t *testing.T) {
	const v010 = `{"pid": "42", "plan": {"processes": [{"name": "web", "backend": "gunicorn", "source": "app.json",
	  "command": "gunicorn x", "managed": true, "config": {"name": "web", "backend": "gunicorn",
	  "options": [{"Key": "reload-extra-file", "Value": ["a.txt"]}, {"Key": "timeout", "Value": 30}]}}], "changed": true, "active": true},
	  "facts": {"Django": true, "ManagePy": "manage.py", "WSGI": "shop.wsgi:application", "CeleryApp": "shop"},
	  "procfile_path": "Procfile"}`
	cases := []struct {
		name, body, err string
	}{
		{"0.1.0", v010, ""},
		{"newer layout", `{"version": 99, "pid": "1"}`, "written by a newer prodserver"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("DOKKU_LIB_ROOT", t.TempDir())
			// Records are chowned to Dokku's user; this machine may not have one.
			t.Setenv("DOKKU_SYSTEM_USER", currentUser(t))
			t.Setenv("DOKKU_SYSTEM_GROUP", currentGroup(t))
			p := store.RecordPath("shop")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(c.body), 0o600); err != nil {
				t.Fatal(err)
			}
			rec, err := LoadRecord("shop")
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "ps:rebuild shop") {
					t.Fatalf("want an error naming %q and the fix, got %v", c.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Facts == nil || !rec.Facts.Django || rec.Facts.WSGI != "shop.wsgi:application" || rec.Facts.CeleryApp != "shop" {
				t.Errorf("facts: %+v", rec.Facts)
			}
			opts := rec.Plan.Processes[0].Config.Options
			want := []backend.Option{{Key: "reload-extra-file", Value: []string{"a.txt"}}, {Key: "timeout", Value: int64(30)}}
			if !reflect.DeepEqual(opts, want) {
				t.Errorf("options %#v, want %#v", opts, want)
			}
			if err := saveRecord("shop", rec); err != nil {
				t.Fatal(err)
			}
			again, err := LoadRecord("shop")
			if err != nil || again.Version != RecordVersion || !reflect.DeepEqual(again.Plan, rec.Plan) || !reflect.DeepEqual(again.Facts, rec.Facts) {
				t.Errorf("save and load: %+v, %v", again, err)
			}
		})
	}
}

func currentUser(t *testing.T) string {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return u.Username
}

func currentGroup(t *testing.T) string {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		t.Fatal(err)
	}
	return g.Name
}
