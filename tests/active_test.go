package tests

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/deploy"
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

// TestDeployTriggersImplemented: every trigger the small binary hands to
// libexec/deploy is one the deploy binary implements.
func TestDeployTriggersImplemented(t *testing.T) {
	impl := map[string]bool{}
	for _, n := range deploy.TriggerNames() {
		impl[n] = true
	}
	for _, n := range store.DeployTriggers {
		if !impl[n] {
			t.Errorf("%s is handed to libexec/deploy, which does not implement it", n)
		}
	}
	if len(impl) != len(store.DeployTriggers) {
		t.Errorf("deploy binary implements %v, triggers hands it %v", deploy.TriggerNames(), store.DeployTriggers)
	}
}
