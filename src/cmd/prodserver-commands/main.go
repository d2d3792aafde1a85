// Command commands is prodserver's `commands` entry point: Dokku calls it for
// `dokku help` and `dokku prodserver[:help]`, and for every other word it
// exits 10 so Dokku keeps looking for the plugin that owns the command.
package main

import (
	"os"

	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

func main() { os.Exit(store.Commands(os.Args[1:])) }
