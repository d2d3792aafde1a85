package deploy

import (
	"fmt"
	"sort"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
)

// trigger is one plugn trigger: how many arguments it needs and what it does.
type trigger struct {
	minArgs int
	run     func(args []string) error
}

// triggers maps the deploy triggers (state.DeployTriggers) to their
// implementations; the triggers binary runs this package's binary for them
// only when there is work to do.
var triggers = map[string]trigger{
	"core-post-extract":          {2, func(a []string) error { return TriggerCorePostExtract(a[0], a[1]) }},
	"post-release-builder":       {2, func(a []string) error { return TriggerPostReleaseBuilder(a[1]) }},
	"docker-args-process-deploy": {4, func(a []string) error { return TriggerDockerArgsProcessDeploy(a[0], a[3]) }},
}

// TriggerNames lists the deploy triggers this package implements.
func TriggerNames() []string {
	names := make([]string, 0, len(triggers))
	for n := range triggers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RunTrigger runs a trigger by name with plugn's arguments.
func RunTrigger(name string, args []string) error {
	t, ok := triggers[name]
	if !ok {
		return fmt.Errorf("prodserver does not implement trigger %s", dokku.Printable(name))
	}
	if len(args) < t.minArgs {
		return fmt.Errorf("trigger %s needs %d arguments, got %d", name, t.minArgs, len(args))
	}
	return t.run(args)
}
