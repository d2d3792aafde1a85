package state

import (
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
