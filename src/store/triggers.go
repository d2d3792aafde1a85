package store

// Trigger is one plugn trigger prodserver answers. Triggers is the one
// table of them: the triggers binary dispatches on it, the build makes a
// symlink per entry (`triggers --names`), the deploy binary checks its
// arguments with it and the tests read it, so no other list of trigger
// names is kept.
type Trigger struct {
	Name string
	// MinArgs is how many arguments plugn passes at least.
	MinArgs int
	// Deploy marks the triggers whose work needs the deploy binary
	// (detection, rendering, scale); the triggers binary answers them
	// itself when Active / HasDeployRecord say there is nothing to do.
	Deploy bool
}

// Triggers are every trigger prodserver implements.
var Triggers = []Trigger{
	{Name: "install"},
	{Name: "update"},
	{Name: "uninstall", MinArgs: 1},
	{Name: "post-delete", MinArgs: 1},
	{Name: "post-app-rename-setup", MinArgs: 2},
	{Name: "post-app-clone-setup", MinArgs: 2},
	{Name: "report", MinArgs: 1},
	{Name: "core-post-extract", MinArgs: 2, Deploy: true},
	{Name: "post-release-builder", MinArgs: 2, Deploy: true},
	{Name: "docker-args-process-deploy", MinArgs: 4, Deploy: true},
	// core-post-deploy APP PORT IP TAG (scheduler-docker-local and
	// scheduler-k3s scheduler-deploy): the deploy runs, its record is kept.
	{Name: "core-post-deploy", MinArgs: 1},
}

// LookupTrigger finds a trigger by name.
func LookupTrigger(name string) (Trigger, bool) {
	for _, t := range Triggers {
		if t.Name == name {
			return t, true
		}
	}
	return Trigger{}, false
}
