// Package dokku is prodserver's Dokku-compatible plumbing: environment, app
// names, properties, data folders, log lines, reports and plugn calls. Dokku's
// own plugins/common module cannot be fetched here, so this package keeps the
// same on-disk layout and output formats that Dokku and its users rely on.
package dokku

import (
	"os"
	"path/filepath"
)

// Version is prodserver's version, stamped at build time from plugin.toml.
var Version = "dev"

// PluginName is the name prodserver is installed under; it names its
// property and data folders and prefixes its commands and report flags.
const PluginName = "prodserver"

// NotImplementedExit is DOKKU_NOT_IMPLEMENTED_EXIT: the exit code that tells
// Dokku a plugin's `commands` did not recognise a command, so it keeps looking.
const NotImplementedExit = 10

// GlobalApp is the pseudo-app name Dokku uses for global properties.
const GlobalApp = "--global"

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// Root is DOKKU_ROOT, where every app has a folder.
func Root() string { return getenv("DOKKU_ROOT", "/home/dokku") }

// LibRoot is DOKKU_LIB_ROOT, where plugins keep config and data.
func LibRoot() string { return getenv("DOKKU_LIB_ROOT", "/var/lib/dokku") }

// PluginPath is PLUGIN_PATH, the folder holding available/ and enabled/.
func PluginPath() string { return getenv("PLUGIN_PATH", filepath.Join(LibRoot(), "plugins")) }

// SystemUser and SystemGroup own every file Dokku's plugins write, because
// subcommands and triggers run as that user while `install` runs as root.
func SystemUser() string { return getenv("DOKKU_SYSTEM_USER", "dokku") }

// SystemGroup is DOKKU_SYSTEM_GROUP; see SystemUser.
func SystemGroup() string { return getenv("DOKKU_SYSTEM_GROUP", "dokku") }

// Quiet reports whether DOKKU_QUIET_OUTPUT asks for informational output to be
// suppressed.
func Quiet() bool { return os.Getenv("DOKKU_QUIET_OUTPUT") != "" }

// ConfigDir is $DOKKU_LIB_ROOT/config/prodserver/<app>, where properties live.
func ConfigDir(app string) string { return filepath.Join(LibRoot(), "config", PluginName, app) }

// DataDir is $DOKKU_LIB_ROOT/data/prodserver/<app>, for per-app records.
func DataDir(app string) string { return filepath.Join(LibRoot(), "data", PluginName, app) }
