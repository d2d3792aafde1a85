package dokku

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The checks plugin's `disabled` property: the process types Dokku deploys
// without zero downtime (`checks:disable APP PROC`). Dokku has no trigger
// that sets it and `checks:set` accepts only wait-to-retire
// (plugins/checks/subcommands/set, v0.38.27), so prodserver writes the
// property file in the layout Dokku's own writer leaves
// (plugins/common/properties.go PropertyWrite: the value with no newline,
// mode 0600, in $DOKKU_LIB_ROOT/config/checks/<app>/, a 0755 folder), which
// scheduler-docker-local reads at deploy through
// plugins/checks/functions is_app_proctype_checks_disabled.
// docs/dokku-contract.md says why this and not `dokku checks:disable`.

// ChecksDisabled reads the checks plugin's `disabled` value for app (""
// when unset), bounded and regular files only, like every Dokku file
// prodserver reads.
func ChecksDisabled(app string) (string, error) {
	if err := ValidateAppName(app); err != nil {
		return "", err
	}
	return PluginProperty("checks", app, "disabled", "")
}

// WriteChecksDisabled stores value as the checks plugin's `disabled`
// property of app, atomically; "" deletes the property, as checks:enable
// does when the list becomes empty (fn-plugin-property-delete).
func WriteChecksDisabled(app, value string) error {
	if err := ValidateAppName(app); err != nil {
		return err
	}
	p := filepath.Join(LibRoot(), "config", "checks", app, "disabled")
	if value == "" {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("deleting the checks property disabled of %s: %w", app, err)
		}
		return nil
	}
	if err := MkdirAll(filepath.Dir(p)); err != nil {
		return err
	}
	if err := WriteFileAtomic(p, []byte(value), 0o600); err != nil {
		return fmt.Errorf("writing the checks property disabled of %s: %w", app, err)
	}
	return nil
}
