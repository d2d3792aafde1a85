package store

import (
	"errors"
	"fmt"
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

// PendingRecordPath is where this deploy (DOKKU_PID) keeps its record until
// its containers run: deploy.json.<DOKKU_PID>, as ps keeps
// Procfile.<DOKKU_PID> until its core-post-deploy promotes it. A deploy
// whose build or release fails never reaches core-post-deploy, so
// deploy.json stays the record of the release that is running, which
// ps:restart's docker-args-process-deploy then reads. "" outside a deploy.
func PendingRecordPath(app string) string {
	pid := os.Getenv("DOKKU_PID")
	if pid == "" || strings.Trim(pid, "0123456789") != "" { // $$ of the dokku process
		return ""
	}
	return RecordPath(app) + "." + pid
}

// CurrentRecordPath is the record the running command acts on: this
// deploy's pending record when there is one, else the running release's.
// An empty pending file means this deploy manages nothing.
func CurrentRecordPath(app string) string {
	if p := PendingRecordPath(app); p != "" {
		if _, err := os.Lstat(p); err == nil {
			return p
		}
	}
	return RecordPath(app)
}

// HasDeployRecord reports whether the app's current deploy is managed, so
// post-release-builder and docker-args-process-deploy have work to do.
func HasDeployRecord(app string) bool {
	if dokku.ValidateAppName(app) != nil {
		return false
	}
	fi, err := os.Stat(CurrentRecordPath(app))
	return err == nil && fi.Size() > 0
}

// ForgetDeploy says this deploy manages nothing, so later triggers do not
// act on the previous deploy's plan. Inside a deploy it leaves an empty
// pending record, promoted (deploy.json removed) only when the deploy's
// containers run; outside one it removes deploy.json.
func ForgetDeploy(app string) {
	if dokku.ValidateAppName(app) != nil {
		return
	}
	pending := PendingRecordPath(app)
	if pending == "" {
		os.Remove(RecordPath(app))
		return
	}
	if _, err := os.Lstat(RecordPath(app)); err != nil {
		os.Remove(pending)
		return
	}
	os.WriteFile(pending, nil, 0o600)
}

// PromoteDeploy is core-post-deploy: the deploy's containers run, so its
// pending record becomes deploy.json (an empty one removes deploy.json),
// and pending records of deploys that failed before this point are dropped.
// Outside a deploy with a pending record it does nothing.
func PromoteDeploy(app string) error {
	if dokku.ValidateAppName(app) != nil {
		return nil
	}
	pending := PendingRecordPath(app)
	if pending == "" {
		return nil
	}
	fi, err := os.Lstat(pending)
	if err != nil {
		return nil
	}
	if fi.Size() == 0 {
		os.Remove(RecordPath(app))
		os.Remove(pending)
	} else if err := os.Rename(pending, RecordPath(app)); err != nil {
		return fmt.Errorf("keeping prodserver's deploy record of %s: %w", app, err)
	}
	stale, _ := filepath.Glob(RecordPath(app) + ".*")
	for _, p := range stale {
		os.Remove(p)
	}
	return nil
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

// stopFirstFile lists (one per line) the process types prodserver added to
// the checks plugin's `disabled` property, so that a later deploy removes
// those and nothing of the operator's (package deploy, singletons.go).
const stopFirstFile = "checks-disabled"

// StopFirstPath is where the app's stop-first claims live.
func StopFirstPath(app string) string { return filepath.Join(dokku.DataDir(app), stopFirstFile) }

// HasStopFirstClaim reports cheaply whether prodserver has entries in the
// app's checks `disabled` list to keep or undo: post-release-builder then
// has work even in a deploy prodserver no longer manages.
func HasStopFirstClaim(app string) bool {
	if dokku.ValidateAppName(app) != nil {
		return false
	}
	fi, err := os.Stat(StopFirstPath(app))
	return err == nil && fi.Size() > 0
}
