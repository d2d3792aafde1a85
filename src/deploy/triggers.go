package deploy

import (
	"fmt"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

// triggers implements the deploy triggers of store.Triggers (those marked
// Deploy); the triggers binary runs this package's binary for them only
// when there is work to do.
var triggers = map[string]func(args []string) error{
	"core-post-extract":          func(a []string) error { return TriggerCorePostExtract(a[0], a[1]) },
	"post-release-builder":       func(a []string) error { return TriggerPostReleaseBuilder(a[1]) },
	"docker-args-process-deploy": func(a []string) error { return TriggerDockerArgsProcessDeploy(a[0], a[3]) },
}

// RunTrigger runs a trigger by name with plugn's arguments, checked
// against store.Triggers.
func RunTrigger(name string, args []string) error {
	t, ok := store.LookupTrigger(name)
	run := triggers[name]
	if !ok || !t.Deploy || run == nil {
		return fmt.Errorf("prodserver does not implement trigger %s", dokku.Printable(name))
	}
	if len(args) < t.MinArgs {
		return fmt.Errorf("trigger %s needs %d arguments, got %d", name, t.MinArgs, len(args))
	}
	return run(args)
}
