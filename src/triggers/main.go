// Command triggers is the one binary behind every trigger symlink at the
// plugin root. plugn runs the symlink named after the trigger, so the name is
// taken from argv[0]; `triggers NAME ARGS...` works too, for the install
// script and for humans.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plugin"
)

func main() {
	name, args := filepath.Base(os.Args[0]), os.Args[1:]
	if name == "triggers" && len(args) == 1 && args[0] == "--names" {
		fmt.Println(strings.Join(plugin.TriggerNames(), "\n"))
		return
	}
	if name == "triggers" && len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if err := plugin.RunTrigger(name, args); err != nil {
		dokku.LogFail(err.Error())
		os.Exit(1)
	}
}
