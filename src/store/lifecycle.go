package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
)

// TriggerInstall prepares the plugin's state folders (run as root by
// `plugin:install`, for every plugin, on every install: it must be
// idempotent and quick) and hands them to Dokku's system user.
func TriggerInstall() error {
	for _, d := range []string{dokku.ConfigDir(dokku.GlobalApp), dokku.DataDir("")} {
		if err := dokku.MkdirAll(d); err != nil {
			return err
		}
	}
	return nil
}

// CheckInstallName fails when the plugin folder's name sorts after "ps".
// plugn runs a trigger's plugins in byte order of their folder names, and
// ps copies the Procfile in its own core-post-extract: a prodserver that
// runs later rewrites a file that no longer deploys, and ps records
// Procfile.<PID>.missing without a word. The folder name is the --name of
// plugin:install.
func CheckInstallName(pluginDir string) error {
	name := filepath.Base(pluginDir)
	if name < "ps" {
		return nil
	}
	return fmt.Errorf("prodserver is installed as %q, which Dokku runs after its ps plugin, so the Procfile prodserver writes would never deploy; reinstall it under a name that sorts before \"ps\": dokku plugin:uninstall %s && dokku plugin:install <url> --name prodserver", name, name)
}

// ScaleRepairCandidates lists the apps prodserver has deployed whose ps
// can-scale property is "false" and that have not had the one-time repair
// (deploy.RepairScaleAll): the cheap check install runs on every
// plugin:install before starting the deploy binary.
func ScaleRepairCandidates() []string {
	entries, err := os.ReadDir(dokku.DataDir(""))
	if err != nil {
		return nil
	}
	var apps []string
	for _, e := range entries {
		app := e.Name()
		if !e.IsDir() || dokku.ValidateAppName(app) != nil || !HasDeployRecord(app) {
			continue
		}
		if done, _ := dokku.PropertyGet(app, "can-scale-repaired"); done != "" {
			continue
		}
		if can, err := dokku.CanScale(app); err == nil && !can {
			apps = append(apps, app)
		}
	}
	return apps
}

// TriggerUninstall is what `plugin:uninstall prodserver` does (Dokku fires
// `uninstall NAME` at every enabled plugin, plugins/plugin/functions
// uninstall_plugin, before removing the folder). It keeps prodserver's
// settings and deploy records: a release tarball is upgraded by uninstall
// and install, and must not lose them. It says where they are and how to
// forget them, and names the apps that keep the start commands of their
// last deploy until rebuilt, when the repository's own Procfile applies
// again.
func TriggerUninstall() error {
	var apps []string
	if entries, err := os.ReadDir(dokku.DataDir("")); err == nil {
		for _, e := range entries {
			if e.IsDir() && HasDeployRecord(e.Name()) {
				apps = append(apps, e.Name())
			}
		}
	}
	config, data := filepath.Dir(dokku.ConfigDir(dokku.GlobalApp)), dokku.DataDir("")
	dokku.LogInfo1("prodserver: keeping its settings and deploy records for a reinstall")
	dokku.LogVerbose(fmt.Sprintf("to forget them: rm -rf %s %s", config, data))
	for _, app := range apps {
		dokku.LogVerbose(fmt.Sprintf("%s keeps the start commands of its last deploy until rebuilt: dokku ps:rebuild %s", app, app))
	}
	// Entries prodserver added to checks:disable stay: the singleton
	// keeps stopping before its new container starts, which is safe.
	if entries, err := os.ReadDir(dokku.DataDir("")); err == nil {
		for _, e := range entries {
			if claims, _ := dokku.ReadLines(StopFirstPath(e.Name())); e.IsDir() && len(claims) > 0 {
				dokku.LogVerbose(fmt.Sprintf("%s keeps %s in checks:disable (added by prodserver, so it never runs twice); to undo: dokku checks:enable %s %s", e.Name(), strings.Join(claims, ","), e.Name(), strings.Join(claims, ",")))
			}
		}
	}
	return nil
}

// TriggerPostDelete removes a deleted app's properties and data.
func TriggerPostDelete(app string) error { return dokku.DestroyAppState(app) }

// TriggerPostAppRenameSetup moves an app's state to its new name.
func TriggerPostAppRenameSetup(oldApp, newApp string) error {
	return dokku.RenameAppState(oldApp, newApp)
}

// TriggerPostAppCloneSetup copies an app's state to its clone.
func TriggerPostAppCloneSetup(oldApp, newApp string) error {
	return dokku.CloneAppState(oldApp, newApp)
}

// TriggerReport is the `report` trigger behind `dokku report APP`.
func TriggerReport(app string) error {
	return CommandReport(app, "stdout", "")
}
