package dokku

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// PsProperty reads a property of Dokku's ps plugin the way Dokku's
// common.PropertyGetDefault does (plugins/common/properties.go, v0.38.27):
// the raw content of $DOKKU_LIB_ROOT/config/ps/<app>/<key>, or def when the
// file does not exist. It is a read of Dokku's files, never a trigger call:
// some ps triggers write what they are named after (ps-can-scale).
func PsProperty(app, key, def string) (string, error) {
	return PluginProperty("ps", app, key, def)
}

// CanScale reports whether `ps:scale` is allowed for app, as Dokku decides
// it (plugins/ps/functions.go canScaleApp: the can-scale property, default
// "true", compared with common.ToBool, which accepts only "true").
// app-json sets it in its post-release-builder: false when app.json's
// formation gives quantities, true otherwise.
func CanScale(app string) (bool, error) {
	v, err := PsProperty(app, "can-scale", "true")
	return v == "true", err
}

// DefaultStopTimeout is ps's stop-timeout-seconds when neither the app nor
// the global scope sets it (plugins/ps/ps.go DefaultProperties, v0.38.27).
const DefaultStopTimeout = 30

// StopTimeout is ps's stop-timeout-seconds for app as Dokku computes it
// (plugins/ps/report.go reportComputedStopTimeoutSeconds, v0.38.27): the
// app's value, else the global one, else 30. Dokku passes it to `docker
// container stop --time` (scheduler-docker-local), which SIGKILLs the old
// container that long after SIGTERM, so every graceful timeout must end
// before it. from says which scope gave it ("app", "global", "default").
// A value that is not a whole number of seconds is an error naming the
// property; seconds is then the default.
func StopTimeout(app string) (seconds int, from string, err error) {
	for _, s := range []struct{ scope, from string }{{app, "app"}, {GlobalApp, "global"}} {
		v, err := PsProperty(s.scope, "stop-timeout-seconds", "")
		if err != nil {
			return DefaultStopTimeout, "default", err
		}
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		n, convErr := strconv.Atoi(v)
		if convErr != nil || n < 0 {
			return DefaultStopTimeout, "default", fmt.Errorf("ps property stop-timeout-seconds (%s) is %s, not a whole number of seconds; fix it with dokku ps:set %s stop-timeout-seconds 30", s.from, Printable(v), map[string]string{"app": app, "global": "--global"}[s.from])
		}
		return n, s.from, nil
	}
	return DefaultStopTimeout, "default", nil
}

// PluginProperty reads another Dokku plugin's property the way
// common.PropertyGetDefault does (plugins/common/properties.go, v0.38.27):
// the raw content of $DOKKU_LIB_ROOT/config/<plugin>/<app>/<key>, or def
// when the file does not exist (builder's selected and build-dir,
// builder-dockerfile's dockerfile-path).
func PluginProperty(plugin, app, key, def string) (string, error) {
	if app != GlobalApp {
		if err := ValidateAppName(app); err != nil {
			return "", err
		}
	}
	if err := validKey(plugin); err != nil {
		return "", err
	}
	if err := validKey(key); err != nil {
		return "", err
	}
	// The same bounded, regular-file-only read as prodserver's own
	// properties: another plugin's property file is Dokku state too.
	b, err := safefile.Read(filepath.Join(LibRoot(), "config", plugin, app, key), MaxProperty)
	if errors.Is(err, fs.ErrNotExist) {
		return def, nil
	}
	if err != nil {
		return "", fmt.Errorf("reading %s property %s of %s: %w", plugin, key, app, err)
	}
	return string(b), nil
}
