package plan

import (
	"fmt"
	"regexp"
	"strings"
)

// On scheduler-k3s every process is a Deployment whose strategy the chart
// leaves empty, i.e. a RollingUpdate: during a deploy the new pod starts
// before the old one stops, so a singleton (celery beat) runs twice and
// fires its schedules twice. The chart has no property or annotation for
// the strategy; the supported way to change it is the app's Kustomization,
// applied to the rendered chart (plugins/scheduler-k3s/helm.go
// KustomizeRenderer, v0.38.27). docs/k3s.md has the source lines.

// KustomizeMarker opens every kustomization.yaml prodserver writes, so a
// later run knows the file is its own (and rewrites it) and never takes a
// user's file for one.
const KustomizeMarker = "# Written by prodserver at deploy (dokku-prodserver): singleton processes are replaced, not rolled."

// Singletons are the managed processes that must never run twice (celery
// beat), in plan order: the Deployments a k3s deploy must replace, not roll.
func (p *Plan) Singletons() []string {
	var names []string
	for _, proc := range p.Processes {
		if proc.Managed && proc.Singleton && k8sName.MatchString(proc.Name) {
			names = append(names, proc.Name)
		}
	}
	return names
}

// k8sName is a process name that makes a valid Deployment name with the
// app's (Kubernetes takes lowercase letters, digits and '-' only).
var k8sName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// Kustomization is the kustomization.yaml prodserver writes when the app
// has none: scheduler-k3s's rendered chart (rendered.yaml, which its
// renderer writes beside this file) with one patch per singleton setting
// `strategy: {type: Recreate}` on Deployment APP-PROC. replicas is left to
// the scale (ps-set-scale holds a singleton at 1): patching it would undo
// `ps:scale beat=0`.
func Kustomization(app string, procs []string) []byte {
	var b strings.Builder
	b.WriteString(KustomizeMarker + "\n")
	b.WriteString("# Add your own patches below; once this marker line is gone prodserver leaves the file alone.\n")
	b.WriteString("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- rendered.yaml\npatches:\n")
	for _, proc := range procs {
		b.WriteString(RecreatePatch(app, proc))
	}
	return []byte(b.String())
}

// RecreatePatch is the `patches:` entry that replaces, rather than rolls,
// Deployment APP-PROC: a JSON 6902 add, which also overwrites the chart's
// empty strategy.
func RecreatePatch(app, proc string) string {
	return fmt.Sprintf(`- target:
    group: apps
    version: v1
    kind: Deployment
    name: %s-%s
  patch: |-
    - op: add
      path: /spec/strategy
      value:
        type: Recreate
`, app, proc)
}

// HasRecreate says a user's kustomization already replaces Deployment
// APP-PROC: it names the Deployment and says Recreate. A heuristic (the
// file is not evaluated), used only to stay quiet, never to write.
func HasRecreate(kustomization []byte, app, proc string) bool {
	s := string(kustomization)
	return strings.Contains(s, "Recreate") && regexp.MustCompile(`(^|[^a-z0-9-])`+regexp.QuoteMeta(app+"-"+proc)+`($|[^a-z0-9-])`).MatchString(s)
}
