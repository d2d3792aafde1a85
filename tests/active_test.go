package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestActiveNeverMissesDjango holds the triggers binary's quick check to
// its promise: wherever full detection finds a Django project, Active says
// there may be work (else a deploy would silently skip prodserver).
func TestActiveNeverMissesDjango(t *testing.T) {
	t.Setenv("DOKKU_LIB_ROOT", t.TempDir())
	t.Setenv("DOKKU_ROOT", t.TempDir())
	var trees []string
	layouts, _ := filepath.Glob(filepath.Join(harness.RepoRoot(), "tests", "fixtures", "layouts", "*"))
	for _, l := range layouts {
		if fi, err := os.Stat(l); err == nil && fi.IsDir() {
			trees = append(trees, l)
		}
	}
	trees = append(trees, filepath.Join(harness.RepoRoot(), "tests", "fixtures", "djangoapp"))
	for _, files := range []map[string]string{
		djangoTree(nil),
		{"backend/manage.py": "import os\n", "backend/requirements.txt": "Django\n"},
		{"src/manage.py": "import os\n"},
		{"requirements/base.txt": "django\n", "requirements.txt": "-r requirements/base.txt\n"},
		{"pyproject.toml": "[project]\nname='x'\ndependencies=['Django']\n"},
	} {
		trees = append(trees, tree(t, files))
	}
	if len(trees) < 15 {
		t.Fatalf("only %d trees to check", len(trees))
	}
	for _, dir := range trees {
		f, err := project.Scan(dir, project.Options{})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if f.Django && !store.Active("app", dir) {
			t.Errorf("%s: detection finds Django but Active says nothing to do", dir)
		}
	}
	// And the quick check does say no for the common non-Python apps.
	for name, files := range map[string]map[string]string{
		"node":   {"package.json": "{}", "node_modules/x/manage.py": ""},
		"go":     {"go.mod": "module x\n"},
		"static": {"index.html": ""},
	} {
		if store.Active("app", tree(t, files)) {
			t.Errorf("%s: Active says yes", name)
		}
	}
}

// TestEveryTriggerAnswered: the built triggers binary dispatches every
// entry of store.Triggers (called without arguments it names the count it
// needs, never "does not implement"), and --names, which the build links
// from, lists exactly that table.
func TestEveryTriggerAnswered(t *testing.T) {
	h := harness.New(t)
	bin := filepath.Join(h.Plugin, "triggers")
	out, err := exec.Command(bin, "--names").Output()
	if err != nil {
		t.Fatalf("triggers --names: %v", err)
	}
	var want []string
	for _, tr := range store.Triggers {
		want = append(want, tr.Name)
	}
	if got := strings.Fields(string(out)); !reflect.DeepEqual(got, want) {
		t.Errorf("triggers --names = %q, want store.Triggers %q", got, want)
	}
	// libexec/deploy (named after the trigger, as triggers execs it)
	// implements exactly the entries marked Deploy.
	deployBin := filepath.Join(h.Plugin, "libexec", "deploy")
	for _, tr := range store.Triggers {
		if tr.MinArgs > 0 {
			msg, _ := exec.Command(bin, tr.Name).CombinedOutput()
			if !strings.Contains(string(msg), fmt.Sprintf("trigger %s needs %d arguments", tr.Name, tr.MinArgs)) {
				t.Errorf("triggers %s with no arguments: %q", tr.Name, msg)
			}
		} // install and update (no arguments) run for real
		cmd := exec.Command(deployBin)
		cmd.Args = []string{tr.Name}
		msg, _ := cmd.CombinedOutput()
		implemented := !strings.Contains(string(msg), "does not implement")
		if implemented != tr.Deploy {
			t.Errorf("libexec/deploy as %s (Deploy=%v): %q", tr.Name, tr.Deploy, msg)
		}
	}
}
