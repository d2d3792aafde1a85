package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/joho/godotenv"
	"github.com/tailscale/hujson"
	"mvdan.cc/sh/v3/shell"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
)

// schedulerK3sScript stands in for the two deploy triggers of Dokku
// 0.38.27's scheduler-k3s plugin that move the app's Kustomize root:
//
//   - core-post-extract APP DIR: plugins/scheduler-k3s/triggers.go
//     TriggerCorePostExtract, which calls plugins/common/common.go
//     CorePostExtract with Path = getComputedKustomizeRootPath (functions.go:
//     the kustomize-root-path property of the app, else --global, else
//     "config/kustomize"), Name "config/kustomize", Destination
//     "kustomization", IsDirectory. In the data folder
//     data/scheduler-k3s/APP it removes kustomization.* (os.Remove: a file
//     or an empty folder), then copies DIR/PATH to kustomization.$DOKKU_PID,
//     and also to DIR/config/kustomize when PATH is another path; a missing
//     PATH touches kustomization.$DOKKU_PID.missing (and removes
//     DIR/config/kustomize when PATH is another path). The source-image
//     branch (git-get-property source-image) is not reached: the harness
//     deploys from a source tree.
//   - core-post-deploy APP: triggers.go TriggerCorePostDeploy, common.go
//     CorePostDeploy: kustomization.$DOKKU_PID replaces kustomization; a
//     .missing marker removes both.
//
// The cert-issuer warning of core-post-extract needs a cluster and is not
// stood in for.
const schedulerK3sScript = `#!/usr/bin/env bash
set -eo pipefail
app="$1"
data="$DOKKU_LIB_ROOT/data/scheduler-k3s/$app"
prop() { # common.PropertyGet: config/scheduler-k3s/SCOPE/KEY, "" when absent
  [[ -f "$DOKKU_LIB_ROOT/config/scheduler-k3s/$1/$2" ]] && cat "$DOKKU_LIB_ROOT/config/scheduler-k3s/$1/$2"
  return 0
}
case "$(basename "$0")" in
  core-post-extract)
    work="$2"
    path="$(prop "$app" kustomize-root-path)"
    [[ -z "$path" ]] && path="$(prop --global kustomize-root-path)"
    [[ -z "$path" ]] && path="config/kustomize"
    mkdir -p "$data"
    dest="$data/kustomization"
    shopt -s nullglob
    for f in "$dest".*; do rm -d "$f"; done
    shopt -u nullglob
    src="$work/$path" def="$work/config/kustomize"
    if [[ ! -d "$src" ]]; then
      [[ "$src" != "$def" && -d "$def" ]] && rm -rf "$def"
      touch "$dest.$DOKKU_PID.missing"
      exit 0
    fi
    cp -a "$src" "$dest.$DOKKU_PID"
    if [[ "$src" != "$def" ]]; then mkdir -p "$(dirname "$def")"; cp -a "$src" "$def"; fi ;;
  core-post-deploy)
    mkdir -p "$data"
    dest="$data/kustomization"
    if [[ -d "$dest.$DOKKU_PID" ]]; then
      rm -rf "$dest"; mv "$dest.$DOKKU_PID" "$dest"
    elif [[ -e "$dest.$DOKKU_PID.missing" ]]; then
      rm -rf "$dest.$DOKKU_PID.missing" "$dest"
    fi ;;
esac
`

// EnableSchedulerK3s installs the scheduler-k3s stand-in (its
// core-post-extract and core-post-deploy, above). Dokku always ships the
// plugin; the harness adds it only where a test asks, so the other tests'
// snapshots of Dokku's folders stay as they were.
func (h *Host) EnableSchedulerK3s() {
	h.t.Helper()
	dir := filepath.Join(h.PluginPath, "available", "scheduler-k3s")
	must(h.t, os.MkdirAll(dir, 0o755))
	must(h.t, os.WriteFile(filepath.Join(dir, "standin"), []byte(schedulerK3sScript), 0o755))
	must(h.t, os.WriteFile(filepath.Join(dir, "plugin.toml"), []byte("[plugin]\ndescription = \"harness stand-in for scheduler-k3s\"\nversion = \"0.0.0\"\n"), 0o644))
	for _, tr := range []string{"core-post-extract", "core-post-deploy"} {
		must(h.t, os.Symlink("standin", filepath.Join(dir, tr)))
	}
	h.Enable("scheduler-k3s")
}

// K3sPrimaryPort is the container port scheduler-k3s gives web when the app
// has no port mapping (chart.go BuildAppChart: primaryPort := 5000); the
// harness sets none.
const K3sPrimaryPort = 5000

// ImageSourceType is what scheduler-k3s makes of the image a builder made
// (release_values.go resolveImageMetadata: a CNB image is "pack", a
// herokuish one "herokuish", every other image "dockerfile").
func ImageSourceType(builder string) string {
	switch builder {
	case "pack", "herokuish":
		return builder
	}
	return "dockerfile"
}

// K3sStartCommand is the start command scheduler-k3s gives proc's pods
// (plugins/scheduler-k3s/functions.go extractStartCommand, then
// getStartCommand): a herokuish image runs "/start PROC"; otherwise ps's
// start-cmd, replaced for a dockerfile image by dockerfile-start-cmd, else
// procfile-get-command APP PROC PORT; the string is split into words by
// mvdan.cc/sh/v3/shell.Fields with $PORT the primary port and every other
// name the app's environment.
func (h *Host) K3sStartCommand(app, builder, proc string) ([]string, error) {
	imageType := ImageSourceType(builder)
	command := ""
	if imageType == "herokuish" {
		command = "/start " + proc
	} else {
		command = h.psProperty(app, "start-cmd")
		if imageType == "dockerfile" {
			if v := h.psProperty(app, "dockerfile-start-cmd"); v != "" {
				command = v
			}
		}
		if command == "" {
			c, err := h.ProcfileGetCommand(app, proc, K3sPrimaryPort)
			if err != nil {
				return nil, err
			}
			command = c
		}
	}
	env := h.appEnv(app)
	return shell.Fields(command, func(name string) string {
		if name == "PORT" {
			return strconv.Itoa(K3sPrimaryPort)
		}
		return env[name]
	})
}

// ProcfileGetCommand answers ps's procfile-get-command APP PROC PORT
// (plugins/ps/triggers.go TriggerProcfileGetCommand, functions.go
// getProcfileCommand and getProcessSpecificProcfilePath): the Procfile ps
// copied for this deploy (data/ps/APP/Procfile.$DOKKU_PID, else
// data/ps/APP/Procfile), shown by `procfile-util show --default-port PORT
// --env-file <config-export>`, i.e. the line with the app's config and PORT
// expanded (procfile.Expand is procfile-util's expansion). "" when the app
// has no Procfile or no such process.
func (h *Host) ProcfileGetCommand(app, proc string, port int) (string, error) {
	dir := filepath.Join(h.Lib, "data", "ps", app)
	b, err := os.ReadFile(filepath.Join(dir, "Procfile."+h.dokkuPID()))
	if os.IsNotExist(err) {
		b, err = os.ReadFile(filepath.Join(dir, "Procfile"))
	}
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	f, err := procfile.Parse(b)
	if err != nil {
		return "", fmt.Errorf("procfile-util: %w", err)
	}
	line, ok := f.Get(proc)
	if !ok {
		return "", nil
	}
	env := h.appEnv(app)
	if _, set := env["PORT"]; !set {
		env["PORT"] = strconv.Itoa(port)
	}
	env["PS"] = proc
	return strings.TrimSpace(procfile.Expand(line, env)), nil
}

// dokkuPID is the DOKKU_PID of the last deploy (Deploy's numbering).
func (h *Host) dokkuPID() string { return strconv.Itoa(5000 + h.pid) }

// psProperty reads ps's app property file as common.PropertyGet does.
func (h *Host) psProperty(app, key string) string {
	b, err := os.ReadFile(filepath.Join(h.Lib, "config", "ps", app, key))
	if err != nil {
		return ""
	}
	return string(b)
}

// appEnv is the app's config as config.LoadMergedAppEnv reads it (the
// global ENV is not used by the harness).
func (h *Host) appEnv(app string) map[string]string {
	env := map[string]string{}
	if b, err := os.ReadFile(filepath.Join(h.Lib, "config", app, "ENV")); err == nil {
		if m, err := godotenv.UnmarshalBytes(b); err == nil {
			env = m
		}
	}
	return env
}

// k3sDeployment is the part of plugins/scheduler-k3s/templates/chart/
// deployment.yaml (v0.38.27) that decides which pods run and what they
// start, line for line: replicas (left out under KEDA autoscaling), the
// empty strategy, the container's args rendered one `- {{ . }}` each with
// no quoting (as Helm writes them), `command: [launcher]` for a pack image
// with args, PORT for web, the image and the container name. Labels,
// annotations, ports, probes, resources and volumes are left out.
const k3sDeployment = `{{- range $processName, $config := .processes }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $.global.app_name }}-{{ $processName }}
  namespace: {{ $.global.namespace }}
spec:
  {{- if not $config.autoscaled }}
  replicas: {{ $config.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ $.global.app_name }}-{{ $processName }}
  strategy: {}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ $.global.app_name }}-{{ $processName }}
    spec:
      containers:
      - args:
        {{- range $config.args }}
        - {{ . }}
        {{- end }}
        {{- if and (eq $.global.image_type "pack") $config.args }}
        command:
        - launcher
        {{- end }}
        {{- if eq $processName "web" }}
        env:
        - name: PORT
          value: "{{ $.global.primary_port }}"
        {{- end }}
        envFrom:
        - secretRef:
            name: config-{{ $.global.app_name }}
            optional: true
        image: {{ $.global.image }}
        imagePullPolicy: Always
        name: {{ $.global.app_name }}-{{ $processName }}
{{- end }}
`

// K3sRelease is what scheduler-k3s would apply for an app: the rendered
// Deployments, after the app's Kustomization when it has one.
type K3sRelease struct {
	// Manifest is the YAML that would be applied.
	Manifest string
	// Deployments are the Deployments in it, by name (APP-PROC).
	Deployments map[string]K3sDeployment
	// Kustomized says the app's Kustomization was applied.
	Kustomized bool
}

// K3sDeployment is one Deployment as the Kubernetes API would read it.
type K3sDeployment struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Replicas *int `json:"replicas"`
		Strategy struct {
			Type string `json:"type"`
		} `json:"strategy"`
		Template struct {
			Spec struct {
				TerminationGracePeriodSeconds *int           `json:"terminationGracePeriodSeconds"`
				Containers                    []K3sContainer `json:"containers"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

// K3sContainer is a pod's container: Kubernetes runs Command in place of
// the image's ENTRYPOINT when it is set, and Args in place of its CMD.
type K3sContainer struct {
	Name    string   `json:"name"`
	Image   string   `json:"image"`
	Command []string `json:"command"`
	Args    []string `json:"args"`
	Env     []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"env"`
}

// RenderK3s renders app's release as scheduler-k3s would after a deploy
// with builder (plugins/scheduler-k3s/chart.go BuildAppChart): one
// Deployment per process of ps-current-scale, its replicas the scale (none
// for a process app.json autoscales with KEDA), its args K3sStartCommand;
// then, when the app has a Kustomization (data/scheduler-k3s/APP/
// kustomization.$DOKKU_PID, else kustomization: functions.go
// getProcessSpecificKustomizeRootPath), helm.go's KustomizeRenderer: the
// manifest is written to rendered.yaml in that folder and `kustomize build`
// runs there with load restrictions off (the installed `kubectl kustomize
// --load-restrictor LoadRestrictionsNone` stands for krusty). The result is
// read with a YAML parser into the API's types, as kubectl would: an arg
// Helm's unquoted rendering turns into a number fails here as it would fail
// the apply.
func (h *Host) RenderK3s(app, builder string, autoscaled map[string]bool) (*K3sRelease, error) {
	processes := map[string]any{}
	for proc, n := range h.Scale(app) {
		args, err := h.K3sStartCommand(app, builder, proc)
		if err != nil {
			return nil, fmt.Errorf("start command for %s: %w", proc, err)
		}
		processes[proc] = map[string]any{"replicas": n, "args": args, "autoscaled": autoscaled[proc]}
	}
	values := map[string]any{
		"global": map[string]any{
			"app_name": app, "namespace": "default", "image": "dokku/" + app + ":latest",
			"image_type": ImageSourceType(builder), "primary_port": K3sPrimaryPort,
		},
		"processes": processes,
	}
	var out bytes.Buffer
	if err := template.Must(template.New("deployment.yaml").Parse(k3sDeployment)).Execute(&out, values); err != nil {
		return nil, err
	}
	rel := &K3sRelease{Manifest: out.String()}
	kdir := filepath.Join(h.Lib, "data", "scheduler-k3s", app, "kustomization")
	if fi, err := os.Stat(kdir + "." + h.dokkuPID()); err == nil && fi.IsDir() {
		kdir += "." + h.dokkuPID()
	}
	if fi, err := os.Stat(kdir); err == nil && fi.IsDir() {
		if err := os.WriteFile(filepath.Join(kdir, "rendered.yaml"), out.Bytes(), 0o644); err != nil {
			return nil, err
		}
		b, err := exec.Command("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone", kdir).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("kubectl kustomize %s: %v\n%s", kdir, err, b)
		}
		rel.Manifest, rel.Kustomized = string(b), true
	}
	deps, err := parseManifest(rel.Manifest)
	if err != nil {
		return nil, err
	}
	rel.Deployments = deps
	return rel, nil
}

// parseManifest reads a multi-document manifest with PyYAML (Debian's
// python3-yaml; YAML 1.1 like sigs.k8s.io/yaml, which kubectl uses) into
// JSON, then into the API's field types.
func parseManifest(manifest string) (map[string]K3sDeployment, error) {
	cmd := exec.Command("python3", "-c", `import json, sys, yaml
print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d]))`)
	cmd.Stdin = strings.NewReader(manifest)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("parsing the manifest as YAML: %v: %s\n%s", err, stderr.String(), manifest)
	}
	var docs []K3sDeployment
	if err := json.Unmarshal(b, &docs); err != nil {
		return nil, fmt.Errorf("the manifest does not fit the Deployment type (as the apply would refuse it): %v\n%s", err, manifest)
	}
	m := map[string]K3sDeployment{}
	for _, d := range docs {
		m[d.Metadata.Name] = d
	}
	return m, nil
}

// Container is the Deployment's only container.
func (d K3sDeployment) Container() K3sContainer {
	if len(d.Spec.Template.Spec.Containers) == 0 {
		return K3sContainer{}
	}
	return d.Spec.Template.Spec.Containers[0]
}

// EnvValue is the container's env entry name ("" and false when absent).
func (c K3sContainer) EnvValue(name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

// DockerRun is how a Docker engine starts what Kubernetes would start for
// this container: Command[0] as --entrypoint (image ENTRYPOINT otherwise),
// then Command[1:] and Args as the container's command words (the image's
// CMD otherwise), and each env entry as --env. No --init: a pod's first
// process is the program itself.
func (c K3sContainer) DockerRun() (flags, words []string) {
	for _, e := range c.Env {
		flags = append(flags, "--env", e.Name+"="+e.Value)
	}
	if len(c.Command) > 0 {
		flags = append(flags, "--entrypoint", c.Command[0])
		words = append(words, c.Command[1:]...)
	}
	return flags, append(words, c.Args...)
}

// Names lists the release's Deployments, sorted.
func (r *K3sRelease) Names() []string {
	var n []string
	for k := range r.Deployments {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// k3sScheduled says the scheduler-k3s stand-in is enabled and the app's
// scheduler is k3s (plugins/scheduler/triggers.go TriggerSchedulerDetect:
// the app's selected property, else the global one).
func (h *Host) k3sScheduled(app string) bool {
	if _, err := os.Stat(filepath.Join(h.PluginPath, "enabled", "scheduler-k3s")); err != nil {
		return false
	}
	for _, scope := range []string{app, "--global"} {
		if b, err := os.ReadFile(filepath.Join(h.Lib, "config", "scheduler", scope, "selected")); err == nil && strings.TrimSpace(string(b)) != "" {
			return strings.TrimSpace(string(b)) == "k3s"
		}
	}
	return false
}

// autoscaled lists the processes scheduler-k3s hands to KEDA: app.json's
// formation.<proc>.autoscaling with a non-empty triggers list
// (plugins/app-json/appjson.go GetAutoscalingConfig), read from the
// deploy's app.json copy, else the promoted one, as JSONC (hujson).
func (h *Host) autoscaled(app, pid string) map[string]bool {
	m := map[string]bool{}
	dir := filepath.Join(h.Lib, "data", "app-json", app)
	b, err := os.ReadFile(filepath.Join(dir, "app.json."+pid))
	if err != nil {
		if b, err = os.ReadFile(filepath.Join(dir, "app.json")); err != nil {
			return m
		}
	}
	std, err := hujson.Standardize(b)
	if err != nil {
		return m
	}
	var doc struct {
		Formation map[string]struct {
			Autoscaling *struct {
				Triggers []json.RawMessage `json:"triggers"`
			} `json:"autoscaling"`
		} `json:"formation"`
	}
	if json.Unmarshal(std, &doc) != nil {
		return m
	}
	for proc, f := range doc.Formation {
		m[proc] = f.Autoscaling != nil && len(f.Autoscaling.Triggers) > 0
	}
	return m
}
