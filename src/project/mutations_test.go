package project

import (
	"reflect"
	"strings"
	"testing"
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
		"proj/settings.py": "PRODUCTION_PROCESSES = {'web': {'BACKEND': 'x.Gunicorn'}}\nPRODUCTION_PROCESSES['worker'] = {}\n",
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
