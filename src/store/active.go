package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// recordFile is the deploy record package deploy writes in the app's data
// folder; its presence means the last deploy was managed.
const recordFile = "deploy.json"

// RecordPath is where the app's last deploy record lives.
func RecordPath(app string) string { return filepath.Join(dokku.DataDir(app), recordFile) }

// HasDeployRecord reports whether the app's current deploy is managed, so
// post-release-builder and docker-args-process-deploy have work to do.
func HasDeployRecord(app string) bool {
	if dokku.ValidateAppName(app) != nil {
		return false
	}
	_, err := os.Stat(RecordPath(app))
	return err == nil
}

// ForgetDeploy drops the last deploy's record when this deploy manages
// nothing, so later triggers do not act on a stale plan.
func ForgetDeploy(app string) {
	if dokku.ValidateAppName(app) == nil {
		os.Remove(RecordPath(app))
	}
}

// Active answers, cheaply and conservatively, whether core-post-extract may
// have anything to do for app with its source extracted at dir: it must
// never say no where the full detection would act (tests hold it to that
// on every fixture), but it may say yes where detection then finds nothing.
// Yes means: not disabled, and the operator configured the app, or its
// app.json mentions prodserver, or the tree looks like a Python project.
func Active(app, dir string) bool {
	if dokku.ValidateAppName(app) != nil {
		return false
	}
	if r, err := Resolve(app, "enabled"); err == nil && r.Computed == "false" {
		return false
	}
	if dokku.HasState(app) || appJSONMentions(app, dir) {
		return true
	}
	return looksPython(dir)
}

// appJSONMentions looks for "prodserver" in the app.json app-json copied for
// this deploy, else the one in the source root.
func appJSONMentions(app, dir string) bool {
	paths := []string{filepath.Join(dir, "app.json")}
	if copied := AppJSONCopy(app); copied != "" {
		paths = append(paths, copied)
	}
	for _, p := range paths {
		b, err := safefile.Read(p, MaxAppJSON)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			// A symlink, device, FIFO or huge file (an app.json symlinked
			// to /dev/zero was read until the trigger ran out of memory):
			// the full run refuses it with a warning.
			return true
		}
		if strings.Contains(string(b), `"prodserver"`) {
			return true
		}
	}
	return false
}

// MaxAppJSON is the most of an app.json the deploy reads.
const MaxAppJSON = 4 << 20

// AppJSONCopy is the app.json Dokku's app-json plugin copied for this
// deploy (honouring its appjson-path property), "" outside a deploy.
func AppJSONCopy(app string) string {
	pid := os.Getenv("DOKKU_PID")
	if pid == "" {
		return ""
	}
	return filepath.Join(dokku.LibRoot(), "data", "app-json", app, "app.json."+pid)
}

// pythonMarkers are files whose presence at the root (or, for manage.py,
// in src/ or a first-level folder) makes a tree worth a full look.
var pythonMarkers = []string{"manage.py", "requirements.txt", "pyproject.toml", "Pipfile", "Pipfile.lock",
	"poetry.lock", "uv.lock", "setup.py", "setup.cfg", "requirements", "runtime.txt", ".python-version"}

func looksPython(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		name := e.Name()
		for _, m := range pythonMarkers {
			if name == m {
				return true
			}
		}
		if strings.HasPrefix(name, "requirements") && strings.HasSuffix(name, ".txt") {
			return true
		}
	}
	// manage.py one level down (src/, backend/...), as detection looks.
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && e.Type()&os.ModeSymlink == 0 || strings.HasPrefix(name, ".") || name == "node_modules" {
			continue
		}
		if _, err := os.Lstat(filepath.Join(dir, name, "manage.py")); err == nil {
			return true
		}
	}
	return false
}
