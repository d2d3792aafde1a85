package plan

import (
	"regexp"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
)

// yamlNonString matches a word that YAML 1.1 (sigs.k8s.io/yaml, which
// Helm and the API use) does not read as a plain string when written
// unquoted: numbers, booleans, null, and words opening with an indicator.
// scheduler-k3s's chart writes each arg as `- {{ . }}` with no quoting
// (templates/chart/deployment.yaml, v0.38.27), so such a word makes the
// Deployment fail to apply ("cannot unmarshal number into ... args of type
// string") or changes it.
var yamlNonString = regexp.MustCompile(`^([-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|\.inf|\.Inf|\.nan)|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|null|Null|NULL|~|[&*!|>%@` + "`" + `{}\[\]'"#,?:].*)$`)

// HelmUnsafeWords are the words of a Procfile command (with PORT as the pod
// gets it, 5000) that scheduler-k3s's unquoted args would not pass on as
// the strings they are; empty words count too (they render as null).
func HelmUnsafeWords(command string) []string {
	words, _ := procfile.Split(command, map[string]string{"PORT": "5000"})
	var bad []string
	for _, w := range words {
		if w == "" || strings.TrimSpace(w) != w || yamlNonString.MatchString(w) {
			bad = append(bad, w)
		}
	}
	return bad
}
