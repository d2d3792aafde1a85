package harness

import (
	"os"
	"path/filepath"
)

// plugnScript follows the `trigger` command of dokku/plugn (the version
// Dokku 0.38.27 pins in contrib/dependencies.json): every enabled plugin that
// has an executable file named after the trigger runs, one at a time, in
// alphabetical order of plugin folder name, sharing stdin and stdout; the
// first non-zero exit stops the rest and becomes plugn's exit code. Each call
// is logged so tests can check order and arguments.
const plugnScript = `#!/usr/bin/env bash
set -o pipefail
if [[ "$1" != trigger ]]; then echo "plugn stand-in: only 'trigger' is implemented" >&2; exit 2; fi
shift
name="$1"; shift
while IFS= read -r plugin <&3; do
  f="$PLUGIN_PATH/enabled/$plugin/$name"
  [[ -f "$f" && -x "$f" ]] || continue
  printf 'trigger %s %s' "$plugin" "$name" >>"$HARNESS_LOG"
  printf ' %q' "$@" >>"$HARNESS_LOG"
  printf '\n' >>"$HARNESS_LOG"
  "$f" "$@" || exit $?
done 3< <(cd "$PLUGIN_PATH/enabled" && LC_ALL=C ls -1)
exit 0
`

// dokkuScript records `dokku ...` calls a plugin makes (ps:rebuild), and
// answers `dokku help [--all]` as Dokku's entry script does (dokku, v0.38.27,
// the help case): every file named "commands" anywhere under
// enabled/ (find -L, so a plugin's source folder named commands is found
// too) is run with "help"; a non-zero exit, or a folder it cannot run,
// fails the listing as bash does. Community plugins' lines go through
// column -s, in both forms, so a comma splits a description.
const dokkuScript = `#!/usr/bin/env bash
if [[ "$1" == help || -z "$1" ]]; then
  set -eo pipefail
  export LC_ALL=C
  all="$(find -L "$PLUGIN_PATH/enabled" -name commands 2>/dev/null || true)"
  echo "Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]"
  echo
  echo "Community plugin commands:"
  echo
  for c in $all; do
    [[ "$(readlink -f "$c")" == */harness-core/* ]] && continue
    "$c" help
  done | sort | column -c2 -t -s,
  exit $?
fi
printf 'dokku' >>"$HARNESS_LOG"
printf ' %q' "$@" >>"$HARNESS_LOG"
printf '\n' >>"$HARNESS_LOG"
exit "${HARNESS_DOKKU_EXIT:-0}"
`

// psScript stands in for Dokku's ps plugin: the triggers prodserver calls
// (ps-get-property, ps-current-scale, ps-can-scale, ps-set-scale) and those
// that run after prodserver's in a deploy (core-post-extract copies and
// checks the Procfile as procfile-util check would; post-release-builder adds
// Procfile types missing from the scale at 0).
const psScript = `#!/usr/bin/env bash
set -eo pipefail
trigger="$(basename "$0")"
app="$1"
data="$DOKKU_LIB_ROOT/data/ps/$app"
config="$DOKKU_LIB_ROOT/config/ps/$app"
procfile_path() {
  local p="Procfile"
  [[ -s "$config/procfile-path" ]] && p="$(<"$config/procfile-path")"
  echo "$p"
}
check_procfile() { # procfile-util check: non-empty, name: command lines, unique names
  local file="$1" n=0 line name
  declare -A seen=()
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%$'\r'}"
    [[ -z "${line//[[:space:]]/}" || "$line" =~ ^[[:space:]]*# ]] && continue
    if [[ ! "$line" =~ ^([A-Za-z0-9_-]+):[[:space:]]*(.+)$ ]]; then
      echo " !     Procfile: invalid line: $line" >&2; return 1
    fi
    name="${BASH_REMATCH[1]}"
    if [[ -n "${seen[$name]}" ]]; then echo " !     Procfile: duplicate process type $name" >&2; return 1; fi
    seen[$name]=1; n=$((n + 1))
  done <"$file"
  if [[ $n -eq 0 ]]; then echo " !     Procfile: no processes" >&2; return 1; fi
}
case "$trigger" in
  core-post-extract)
    mkdir -p "$data"
    src="$2/$(procfile_path)"
    if [[ -f "$src" ]]; then
      check_procfile "$src"
      cp "$src" "$data/Procfile.$DOKKU_PID"
    else
      touch "$data/Procfile.$DOKKU_PID.missing"
    fi ;;
  ps-get-property) # plugins/ps/triggers.go TriggerPsGetProperty: computed
    # values of four properties only; procfile-path is not among them.
    case "$2" in
      stop-timeout-seconds)
        v=""; [[ -f "$config/$2" ]] && v="$(<"$config/$2")"
        [[ -z "$v" && -f "$DOKKU_LIB_ROOT/config/ps/--global/$2" ]] && v="$(<"$DOKKU_LIB_ROOT/config/ps/--global/$2")"
        echo "${v:-30}" ;;
      restart-policy | restore | skip-deploy) [[ -f "$config/$2" ]] && cat "$config/$2"; echo ;;
      *) echo " !     Invalid ps property specified: $2" >&2; exit 1 ;;
    esac ;;
  ps-current-scale) # proc=N lines sorted by type, no trailing newline (as Dokku's)
    if [[ -s "$data/scale" ]]; then printf '%s' "$(LC_ALL=C sort "$data/scale")"; fi ;;
  ps-can-scale) # plugins/ps/triggers.go TriggerPsCanScale: it WRITES the
    # property (common.ToBool: only "true" is true; no value is false) and
    # prints nothing. ps:scale reads it back (plugins/ps/functions.go canScaleApp).
    v=false; [[ "$2" == true ]] && v=true
    mkdir -p "$config"; printf '%s' "$v" >"$config/can-scale" ;;
  ps-set-scale)
    skip="$2" clear="$3"; shift 3
    mkdir -p "$data"
    declare -A scale=()
    keys=()
    if [[ "$clear" != true && -f "$data/scale" ]]; then
      while IFS='=' read -r k v; do [[ -n "$k" ]] && { [[ -z "${scale[$k]+x}" ]] && keys+=("$k"); scale[$k]="$v"; }; done <"$data/scale"
    fi
    for pair in "$@"; do k="${pair%%=*}" v="${pair#*=}"; [[ -z "${scale[$k]+x}" ]] && keys+=("$k"); scale[$k]="$v"; done
    : >"$data/scale.new"
    for k in "${keys[@]}"; do echo "$k=${scale[$k]}" >>"$data/scale.new"; done
    mv "$data/scale.new" "$data/scale" ;;
  post-release-builder)
    app="$2"; data="$DOKKU_LIB_ROOT/data/ps/$app"
    pf="$data/Procfile.$DOKKU_PID"
    [[ -f "$pf" ]] || exit 0
    touch "$data/scale"
    while IFS= read -r line || [[ -n "$line" ]]; do
      line="${line%$'\r'}"
      [[ "$line" =~ ^([A-Za-z0-9_-]+): ]] || continue
      name="${BASH_REMATCH[1]}"
      [[ "$line" =~ ^[[:space:]]*# ]] && continue
      grep -q "^$name=" "$data/scale" || { if [[ "$name" == web ]]; then echo "web=1"; else echo "$name=0"; fi; } >>"$data/scale"
    done <"$pf" ;;
esac
`

// appJSONScript stands in for app-json (plugins/app-json/triggers.go,
// v0.38.27): core-post-extract copies app.json to app.json.$DOKKU_PID;
// post-release-builder runs setScale (functions.go): with formation
// quantities it calls ps-can-scale APP false and ps-set-scale APP true true
// with them, else ps-can-scale APP true. The file is read as JSONC, as
// ReadAppJSON does with hujson (comments and trailing commas dropped).
const appJSONScript = `#!/usr/bin/env bash
set -eo pipefail
d="$DOKKU_LIB_ROOT/data/app-json/$2"
case "$(basename "$0")" in
  core-post-extract)
    d="$DOKKU_LIB_ROOT/data/app-json/$1"
    if [[ -f "$2/app.json" ]]; then
      mkdir -p "$d"
      cp "$2/app.json" "$d/app.json.$DOKKU_PID"
    fi ;;
  post-release-builder)
    f="$d/app.json.$DOKKU_PID"; [[ -f "$f" ]] || f="$d/app.json"
    pairs=""
    if [[ -f "$f" ]]; then
      pairs="$(python3 - "$f" <<'PY'
import json, re, sys
src = open(sys.argv[1]).read()
out, i, n = [], 0, len(src)
while i < n:  # drop comments outside strings, as hujson's Standardize does
    c = src[i]
    if c == '"':
        j = i + 1
        while j < n and src[j] != '"':
            j += 2 if src[j] == '\\' else 1
        out.append(src[i:j + 1]); i = j + 1
    elif src.startswith("//", i):
        i = src.find("\n", i) if src.find("\n", i) >= 0 else n
    elif src.startswith("/*", i):
        i = src.find("*/", i) + 2
    else:
        out.append(c); i += 1
text = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
doc = json.loads(text) if text.strip() else {}
for name, f in (doc.get("formation") or {}).items():
    if isinstance(f, dict) and f.get("quantity") is not None:
        print("%s=%d" % (name, f["quantity"]))
PY
)"
    fi
    if [[ -z "$pairs" ]]; then
      plugn trigger ps-can-scale "$2" true
    else
      plugn trigger ps-can-scale "$2" false
      plugn trigger ps-set-scale "$2" true true $pairs
    fi ;;
esac
`

// resourceScript answers resource-get-property APP PROC limit|reserve
// cpu|memory from the resource plugin's properties
// ($DOKKU_LIB_ROOT/config/resource/APP/PROC.KIND.RES, else _default_),
// where resource:limit stores them: plugins/resource/triggers.go
// TriggerResourceGetProperty and resource.go GetResourceValue (v0.38.27).
const resourceScript = `#!/usr/bin/env bash
app="$1" proc="$2" kind="$3" res="$4"
d="$DOKKU_LIB_ROOT/config/resource/$app"
for p in "$proc" _default_; do
  if [[ -f "$d/$p.$kind.$res" ]]; then cat "$d/$p.$kind.$res"; exit 0; fi
done
`

// configScript answers config-get APP KEY as plugins/config (v0.38.27)
// does: from $DOKKU_LIB_ROOT/config/APP/ENV (godotenv's KEY="value"
// lines), the only file it reads once migrate.go has drained the
// pre-0.38.26 $DOKKU_ROOT/APP/ENV. Tests write it with Host.SetConfig.
const configScript = `#!/usr/bin/env bash
f="$DOKKU_LIB_ROOT/config/$1/ENV"
[[ -f "$f" ]] || exit 0
while IFS= read -r line; do
  if [[ "${line%%=*}" == "$2" ]]; then
    v="${line#*=}"; v="${v#\"}"; v="${v%\"}"
    printf '%s\n' "${v//\\\"/\"}"; exit 0
  fi
done <"$f"
exit 0
`

// writeStandIns installs plugn, dokku and the core plugin stand-ins.
func (h *Host) writeStandIns() {
	write := func(path, body string) {
		must(h.t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(h.t, os.WriteFile(path, []byte(body), 0o755))
	}
	write(filepath.Join(h.Bin, "plugn"), plugnScript)
	write(filepath.Join(h.Bin, "dokku"), dokkuScript)
	standIns := []struct {
		name, script string
		triggers     []string
	}{
		{"app-json", appJSONScript, []string{"core-post-extract", "post-release-builder"}},
		{"ps", psScript, []string{"core-post-extract", "ps-get-property", "ps-current-scale", "ps-can-scale", "ps-set-scale", "post-release-builder"}},
		{"resource", resourceScript, []string{"resource-get-property"}},
		{"config", configScript, []string{"config-get"}},
		// git's receive-app (plugins/git) starts a rebuild; logged by plugn, nothing more.
		{"git", "#!/usr/bin/env bash\nexit 0\n", []string{"receive-app"}},
	}
	for _, s := range standIns {
		dir := filepath.Join(h.PluginPath, "available", s.name)
		write(filepath.Join(dir, "standin"), s.script)
		write(filepath.Join(dir, "plugin.toml"), "[plugin]\ndescription = \"harness stand-in for "+s.name+"\"\nversion = \"0.0.0\"\n")
		for _, tr := range s.triggers {
			must(h.t, os.Symlink("standin", filepath.Join(dir, tr)))
		}
		h.Enable(s.name)
	}
	h.writeChecksStandIn()
}
