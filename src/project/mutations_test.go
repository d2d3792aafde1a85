package project

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// TestSettingChanges: every way settings.py changes PRODUCTION_PROCESSES
// after (or around) its literal is named; reads and the literal are not.
func TestSettingChanges(t *testing.T) {
	lit := "PRODUCTION_PROCESSES = {'web': {'BACKEND': 'x.Gunicorn'}}\n"
	cases := []struct {
		name, src string
		want      []string
	}{
		{"literal only", lit, nil},
		{"read, not changed", lit + "X = PRODUCTION_PROCESSES['web']\nprint(PRODUCTION_PROCESSES.get('web'))\nif PRODUCTION_PROCESSES == {}: pass\n", nil},
		{"item assigned", lit + "PRODUCTION_PROCESSES['worker'] = {'BACKEND': 'x.Celery'}\n", []string{"PRODUCTION_PROCESSES[...] = …"}},
		{"nested item assigned", lit + "PRODUCTION_PROCESSES['web']['ARGS'] = {'workers': 4}\n", []string{"PRODUCTION_PROCESSES[...] = …"}},
		{"deleted", lit + "del PRODUCTION_PROCESSES['web']\n", []string{"del PRODUCTION_PROCESSES[...]"}},
		{"updated", lit + "PRODUCTION_PROCESSES.update({'beat': {}})\n", []string{"PRODUCTION_PROCESSES.update(…)"}},
		{"popped and set default", lit + "PRODUCTION_PROCESSES.pop('web')\nPRODUCTION_PROCESSES.setdefault('w', {})\n", []string{"PRODUCTION_PROCESSES.pop(…)", "PRODUCTION_PROCESSES.setdefault(…)"}},
		{"in a block", lit + "if DEBUG:\n    PRODUCTION_PROCESSES = {}\n", []string{"PRODUCTION_PROCESSES = … in a block (if, try, def)"}},
		{"merged in a block", lit + "try:\n    PRODUCTION_PROCESSES |= local\nexcept ImportError:\n    pass\n", []string{"PRODUCTION_PROCESSES |= … in a block"}},
		{"item in a function", lit + "def f():\n    PRODUCTION_PROCESSES['x'] = 1\n", []string{"PRODUCTION_PROCESSES[...] = …"}},
		{"another name", lit + "OTHER_PRODUCTION_PROCESSES['x'] = 1\nPRODUCTION_PROCESSES_X.update({})\n", nil},
		{"in a string or comment", lit + "# PRODUCTION_PROCESSES['x'] = 1\nS = \"PRODUCTION_PROCESSES.update()\"\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := settingChanges([]byte(c.src), "PRODUCTION_PROCESSES"); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestScanWarnsSettingChanges: the scan warns, naming the file, when the
// settings change PRODUCTION_PROCESSES after its literal.
func TestScanWarnsSettingChanges(t *testing.T) {
	root := writeTree(t, map[string]string{
		"manage.py":        manage("proj.settings"),
		"proj/__init__.py": "",
		"proj/settings.py": "PRODUCTION_PROCESSES = {'web': {'BACKEND': 'x.Gunicorn'}}\nPRODUCTION_PROCESSES['worker'] = X\n",
		"requirements.txt": "Django\n",
	})
	f := scan(t, root, Options{})
	for _, w := range f.Warnings {
		if strings.Contains(w, "proj/settings.py changes PRODUCTION_PROCESSES after its literal (PRODUCTION_PROCESSES[...] = …)") {
			return
		}
	}
	t.Errorf("no warning: %q", f.Warnings)
}

// TestApplySettingChanges: static changes after the literal are applied to
// its value; the rest are left for the warning.
func TestApplySettingChanges(t *testing.T) {
	lit := "PRODUCTION_PROCESSES = {'web': {'BACKEND': 'g'}}\n"
	cases := []struct{ name, src, want, applied string }{
		{"item", lit + "PRODUCTION_PROCESSES['worker'] = {'BACKEND': 'c'}\n", "web,worker", `PRODUCTION_PROCESSES["worker"] = …`},
		{"del", lit + "del PRODUCTION_PROCESSES['web']\n", "", `del PRODUCTION_PROCESSES["web"]`},
		{"update", lit + "PRODUCTION_PROCESSES.update({'beat': {}})\n", "web,beat", "PRODUCTION_PROCESSES.update(…)"},
		{"pop", lit + "PRODUCTION_PROCESSES.pop('web')\n", "", `PRODUCTION_PROCESSES.pop("web")`},
		{"setdefault", lit + "PRODUCTION_PROCESSES.setdefault('w', {})\n", "web,w", `PRODUCTION_PROCESSES.setdefault("w", …)`},
		{"nested", lit + "PRODUCTION_PROCESSES['web']['ARGS'] = {}\n", "web", `PRODUCTION_PROCESSES["web"]["ARGS"] = …`},
		{"name rhs", lit + "PRODUCTION_PROCESSES['x'] = Y\n", "web", ""},
		{"in block", lit + "if D:\n    PRODUCTION_PROCESSES['x'] = 1\n", "web", ""},
		{"before literal", "PRODUCTION_PROCESSES = {}\nPRODUCTION_PROCESSES['x'] = 1\n" + lit, "web", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, _, err := pyliteral.Lookup([]byte(c.src), "PRODUCTION_PROCESSES")
			if err != nil {
				t.Fatal(err)
			}
			d := v.(*pyliteral.Dict)
			applied, _ := applySettingChanges([]byte(c.src), "PRODUCTION_PROCESSES", d)
			var keys []string
			for _, k := range d.Keys {
				keys = append(keys, k.(string))
			}
			if got := strings.Join(keys, ","); got != c.want {
				t.Errorf("keys %q, want %q", got, c.want)
			}
			if got := strings.Join(applied, ";"); got != c.applied {
				t.Errorf("applied %q, want %q", got, c.applied)
			}
		})
	}
}
