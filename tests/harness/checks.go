package harness

import (
	"os"
	"path/filepath"
	"strings"
)

// The checks plugin, as far as prodserver relies on it (Dokku v0.38.27):
// where `checks:disable APP PROC` keeps its list, how
// scheduler-docker-local decides from it that a process type deploys
// without zero downtime, and the operator's checks:disable / checks:enable
// that tests use to seed an operator's own entries.

// commonPropertyFunctions stands in for the three property helpers of
// plugins/common/property-functions the checks plugin calls, which run
// plugins/common/src/prop/prop.go: get-with-default
// (common.PropertyGetDefault: the file's content when it exists, else the
// default, printed with a newline unless empty), set (common.PropertyWrite:
// a 0755 folder, the value with no newline, mode 0600) and del
// (common.PropertyDelete: a missing file is not an error).
const commonPropertyFunctions = `#!/usr/bin/env bash
fn-plugin-property-get-default() {
  declare PLUGIN="$1" APP="$2" KEY="$3" DEFAULT="$4"
  local f="$DOKKU_LIB_ROOT/config/$PLUGIN/$APP/$KEY" v
  if [[ -e "$f" ]]; then v="$(<"$f")"; else v="$DEFAULT"; fi
  [[ -n "$v" ]] && printf '%s\n' "$v"
  return 0
}
fn-plugin-property-write() {
  declare PLUGIN="$1" APP="$2" KEY="$3" VALUE="$4"
  local d="$DOKKU_LIB_ROOT/config/$PLUGIN/$APP"
  mkdir -p "$d" && chmod 0755 "$d"
  printf '%s' "$VALUE" >"$d/$KEY" && chmod 0600 "$d/$KEY"
}
fn-plugin-property-delete() {
  declare PLUGIN="$1" APP="$2" KEY="$3"
  rm -f "$DOKKU_LIB_ROOT/config/$PLUGIN/$APP/$KEY"
}
`

// commonFunctions stands in for the helpers of plugins/common/functions
// the checks plugin uses. The list helpers behave as Dokku's do, quirks
// included: is_val_in_list splits on the delimiter only;
// remove_val_from_list deletes every occurrence of the value as a
// SUBSTRING (removing beat from "celerybeat,beat" leaves "celery"), then
// squeezes doubled delimiters and trims one at each end; add_val_to_list
// appends delimiter and value, even to an empty list. verify_app_name
// stands in for `common --quiet verify-app-name` (the app's folder exists).
const commonFunctions = `#!/usr/bin/env bash
dokku_log_info1() { echo "-----> $*"; }
dokku_log_fail() { echo " !     $*" 1>&2; exit "${DOKKU_FAIL_EXIT_CODE:-1}"; }
verify_app_name() {
  [[ -n "$1" && -d "$DOKKU_ROOT/$1" ]] || DOKKU_FAIL_EXIT_CODE=20 dokku_log_fail "App $1 does not exist"
}
is_val_in_list() {
  local value="$1" list="$2" delimiter="${3:-,}"
  local IFS="$delimiter" found=false val
  for val in $list; do [[ "$val" == "$value" ]] && found=true; done
  echo "$found"
}
remove_val_from_list() {
  local value="$1" list="$2" delimiter="${3:-,}"
  list="${list//$value/}"
  list="${list//$delimiter$delimiter/$delimiter}"
  list="${list/#$delimiter/}"
  list="${list/%$delimiter/}"
  echo "$list"
}
add_val_to_list() {
  local value="$1" list="$2" delimiter="${3:-,}"
  echo "$list$delimiter$value"
}
`

// checksFunctions stands in for plugins/checks/functions
// is_app_proctype_checks_disabled, which
// plugins/scheduler-docker-local/bin/scheduler-deploy-process calls for
// each process type it deploys: true when the `disabled` property is
// exactly _all_ or lists the type.
const checksFunctions = `#!/usr/bin/env bash
source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
source "$PLUGIN_CORE_AVAILABLE_PATH/common/property-functions"
is_app_proctype_checks_disabled() {
  local APP="$1" PROCTYPE="$2" status=false
  local DISABLED
  DISABLED="$(fn-plugin-property-get-default "checks" "$APP" "disabled" "")"
  if [[ "$DISABLED" == "_all_" ]] || [[ "$(is_val_in_list "$PROCTYPE" "$DISABLED")" == "true" ]]; then
    status=true
  fi
  echo "$status"
}
`

// checksDisable stands in for plugins/checks/subcommands/disable: with no
// types it writes _all_ to disabled and deletes skipped; with types
// (comma-separated) it adds each missing one to disabled, removes each
// from skipped, drops _all_ from disabled, and deletes a list left empty.
const checksDisable = `#!/usr/bin/env bash
set -eo pipefail
source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
source "$PLUGIN_CORE_AVAILABLE_PATH/common/property-functions"
[[ "$1" == "checks:disable" ]] && shift 1
APP="$1"
verify_app_name "$APP"
PROCTYPES="${2:-_all_}"
DISABLED="$(fn-plugin-property-get-default "checks" "$APP" "disabled" "")"
SKIPPED="$(fn-plugin-property-get-default "checks" "$APP" "skipped" "")"
if [[ "$PROCTYPES" == "_all_" ]]; then
  dokku_log_info1 "Disabling zero downtime for app ($APP)"
  fn-plugin-property-write "checks" "$APP" "disabled" "$PROCTYPES"
  fn-plugin-property-delete "checks" "$APP" "skipped"
  exit 0
fi
dokku_log_info1 "Disabling zero downtime for app's ($APP) proctypes ($PROCTYPES)"
OIFS="$IFS" IFS=,
for PROCTYPE in $PROCTYPES; do
  IFS="$OIFS"
  [[ "$(is_val_in_list "$PROCTYPE" "$DISABLED")" == "false" ]] && DISABLED="$(add_val_to_list "$PROCTYPE" "$DISABLED")"
  [[ "$(is_val_in_list "$PROCTYPE" "$SKIPPED")" == "true" ]] && SKIPPED="$(remove_val_from_list "$PROCTYPE" "$SKIPPED")"
done
DISABLED="$(remove_val_from_list "_all_" "$DISABLED")"
if [[ -z "$DISABLED" ]]; then fn-plugin-property-delete "checks" "$APP" "disabled"; else fn-plugin-property-write "checks" "$APP" "disabled" "$DISABLED"; fi
if [[ -z "$SKIPPED" ]]; then fn-plugin-property-delete "checks" "$APP" "skipped"; else fn-plugin-property-write "checks" "$APP" "skipped" "$SKIPPED"; fi
`

// checksEnable stands in for plugins/checks/subcommands/enable: with no
// types it deletes disabled and skipped; with types it removes each from
// both lists (remove_val_from_list, substring quirk included) and deletes
// a list left empty.
const checksEnable = `#!/usr/bin/env bash
set -eo pipefail
source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
source "$PLUGIN_CORE_AVAILABLE_PATH/common/property-functions"
[[ "$1" == "checks:enable" ]] && shift 1
APP="$1"
verify_app_name "$APP"
PROCTYPES="${2:-_all_}"
DISABLED="$(fn-plugin-property-get-default "checks" "$APP" "disabled" "")"
SKIPPED="$(fn-plugin-property-get-default "checks" "$APP" "skipped" "")"
if [[ "$PROCTYPES" == "_all_" ]]; then
  dokku_log_info1 "Enabling zero downtime for app's ($APP)"
  fn-plugin-property-delete "checks" "$APP" "disabled"
  fn-plugin-property-delete "checks" "$APP" "skipped"
  exit 0
fi
dokku_log_info1 "Enabling zero downtime for app's ($APP) proctypes ($PROCTYPES)"
OIFS="$IFS" IFS=,
for PROCTYPE in $PROCTYPES; do
  DISABLED="$(remove_val_from_list "$PROCTYPE" "$DISABLED")"
  SKIPPED="$(remove_val_from_list "$PROCTYPE" "$SKIPPED")"
done
IFS="$OIFS"
if [[ -z "$DISABLED" ]]; then fn-plugin-property-delete "checks" "$APP" "disabled"; else fn-plugin-property-write "checks" "$APP" "disabled" "$DISABLED"; fi
if [[ -z "$SKIPPED" ]]; then fn-plugin-property-delete "checks" "$APP" "skipped"; else fn-plugin-property-write "checks" "$APP" "skipped" "$SKIPPED"; fi
`

// writeChecksStandIn installs the common helpers under
// PLUGIN_CORE_AVAILABLE_PATH/common and the checks plugin's functions and
// subcommands under available/checks (enabled, as on every Dokku host; it
// answers none of the triggers prodserver's deploys run).
func (h *Host) writeChecksStandIn() {
	write := func(path, body string, mode os.FileMode) {
		must(h.t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(h.t, os.WriteFile(path, []byte(body), mode))
	}
	common := filepath.Join(h.Lib, "core-plugins", "available", "common")
	write(filepath.Join(common, "functions"), commonFunctions, 0o644)
	write(filepath.Join(common, "property-functions"), commonPropertyFunctions, 0o644)
	dir := filepath.Join(h.PluginPath, "available", "checks")
	write(filepath.Join(dir, "plugin.toml"), "[plugin]\ndescription = \"harness stand-in for checks\"\nversion = \"0.0.0\"\n", 0o644)
	write(filepath.Join(dir, "functions"), checksFunctions, 0o644)
	write(filepath.Join(dir, "subcommands", "disable"), checksDisable, 0o755)
	write(filepath.Join(dir, "subcommands", "enable"), checksEnable, 0o755)
	h.Enable("checks")
}

// Checks runs `dokku checks:disable|checks:enable APP [PROCTYPES]` as the
// operator would (the system user), through the stand-in subcommands.
func (h *Host) Checks(command, app string, procs ...string) Result {
	h.t.Helper()
	name, ok := strings.CutPrefix(command, "checks:")
	if !ok || name != "disable" && name != "enable" {
		h.t.Fatalf("harness: %s is not checks:disable or checks:enable", command)
	}
	args := []string{command, app}
	if len(procs) > 0 {
		args = append(args, strings.Join(procs, ","))
	}
	return h.run(h.Root, false, nil, filepath.Join(h.PluginPath, "available", "checks", "subcommands", name), args...)
}

// ChecksDisabledFor is what scheduler-docker-local's
// scheduler-deploy-process decides for proc: "true" when it stops the
// type's running containers before starting the new ones (and runs no
// checks), "false" for a zero-downtime deploy. It runs the checks
// stand-in's is_app_proctype_checks_disabled, as that script sources it.
func (h *Host) ChecksDisabledFor(app, proc string) bool {
	h.t.Helper()
	r := h.run(h.Root, false, nil, "/bin/bash", "-c",
		`source "$PLUGIN_AVAILABLE_PATH/checks/functions" && is_app_proctype_checks_disabled "$1" "$2"`, "checks", app, proc)
	if r.Code != 0 {
		h.t.Fatalf("is_app_proctype_checks_disabled: %s", r)
	}
	return strings.TrimSpace(r.Stdout) == "true"
}

// ChecksProperty is the raw content of the checks plugin's property key
// for app, and whether the file exists.
func (h *Host) ChecksProperty(app, key string) (string, bool) {
	b, err := os.ReadFile(filepath.Join(h.Lib, "config", "checks", app, key))
	if err != nil {
		return "", false
	}
	return string(b), true
}

// SetChecksProperty writes the checks plugin's property key for app as
// fn-plugin-property-write would ("" deletes it), for odd values no
// checks subcommand writes.
func (h *Host) SetChecksProperty(app, key, value string) {
	p := filepath.Join(h.Lib, "config", "checks", app, key)
	if value == "" {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			h.t.Fatal(err)
		}
		return
	}
	h.WriteFile(p, []byte(value))
}
