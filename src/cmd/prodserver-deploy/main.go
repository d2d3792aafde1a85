// Command deploy does the deploy triggers' real work (detection, rendering,
// scale, stop signals). The triggers binary, which plugn runs in every
// deploy of every app, starts it only when store.Active or
// store.HasDeployRecord say there is work, passing the trigger's name as
// argv[0]; so an app prodserver has nothing to do with never pays for
// loading it.
package main

import (
	"os"
	"path/filepath"

	"github.com/dokku-prodserver/dokku-prodserver/src/deploy"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
)

func main() {
	name, args := filepath.Base(os.Args[0]), os.Args[1:]
	run := func() error { return deploy.RunTrigger(name, args) }
	if name == "repair-can-scale" { // started by install/update, not a plugn trigger
		run = deploy.RepairScaleAll
	}
	if err := run(); err != nil {
		dokku.LogFail(err.Error())
		os.Exit(1)
	}
}
