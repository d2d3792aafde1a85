// Command subcommands is the one binary behind every `prodserver:<name>`
// symlink in subcommands/. Dokku runs the symlink with argv[1] set to
// "prodserver:<name>"; the name is taken from the symlink.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/cli"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
)

func main() {
	if filepath.Base(os.Args[0]) == "subcommands" && len(os.Args) == 2 && os.Args[1] == "--names" {
		fmt.Println(strings.Join(cli.SubcommandNames(), "\n"))
		return
	}
	var args []string
	if len(os.Args) > 2 {
		args = os.Args[2:]
	}
	if err := cli.RunSubcommand(filepath.Base(os.Args[0]), args); err != nil {
		dokku.LogFail(err.Error())
		os.Exit(dokku.ExitCode(err))
	}
}
