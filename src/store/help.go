package store

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// helpLines are the `prodserver:*` commands in Dokku's "usage, description"
// help format. `dokku help --all` splits every comma into a column
// (column -s,), so a description may hold no comma of its own.
var helpLines = []string{
	"prodserver:args <app> <proc> [--skip-deploy] [--clear] [-- <arg>...], Show or set extra arguments for a process",
	"prodserver:backend <app> <proc> [<backend>] [--skip-deploy] [--clear] [--force], Show or choose the server for a process",
	"prodserver:backends [--format stdout|json], List the servers and workers prodserver renders",
	"prodserver:export <app> [--format json|django], Print the process set as app.json or settings.py config",
	"prodserver:processes <app> [--format stdout|json], Show each process with its backend and source and command and scale",
	"prodserver:procfile <app>, Show the Procfile the next deploy writes and what changes",
	"prodserver:report [<app>] [--format stdout|json] [<flag>], Display prodserver information for one or all apps",
	"prodserver:set [--global] <app> <key> [<value>], Set or clear a prodserver property",
}

const helpSummary = "prodserver, Render production start commands and scale for Django apps"

// Commands implements the plugin's `commands` entry point. It returns the
// exit code: 0 when it handled the word, 10 when Dokku should keep looking.
func Commands(args []string) int {
	word := ""
	if len(args) > 0 {
		word = args[0]
	}
	switch word {
	case "help":
		if parentHasAll() {
			for _, l := range helpLines {
				fmt.Fprintf(dokku.Stdout, "    %s\n", l)
			}
		} else {
			fmt.Fprintf(dokku.Stdout, "    %s\n", helpSummary)
		}
		return 0
	case dokku.PluginName, dokku.PluginName + ":help":
		fmt.Fprint(dokku.Stdout, FullHelp())
		return 0
	}
	return dokku.NotImplementedExit
}

// FullHelp is the text of `dokku prodserver:help`: sorted lines, the command
// column padded like `column -c2 -t -s,` does.
func FullHelp() string {
	lines := append([]string(nil), helpLines...)
	sort.Strings(lines)
	width := 0
	for _, l := range lines {
		if i := strings.Index(l, ","); i > width {
			width = i
		}
	}
	var b strings.Builder
	b.WriteString("Usage: dokku prodserver[:COMMAND]\n\n")
	b.WriteString("Render production start commands and scale for Django apps.\n\n")
	b.WriteString("Additional commands:\n")
	for _, l := range lines {
		cmd, desc, _ := strings.Cut(l, ",")
		fmt.Fprintf(&b, "    %-*s  %s\n", width, cmd, strings.TrimSpace(desc))
	}
	return b.String()
}

// Usage is the text of `dokku prodserver:<name> --help`: the command's help
// line as a usage line and its description, as Dokku's own commands print
// for --help. ok is false for a name with no help line.
func Usage(name string) (text string, ok bool) {
	for _, l := range helpLines {
		cmd, desc, _ := strings.Cut(l, ",")
		if w, _, _ := strings.Cut(cmd, " "); w == dokku.PluginName+":"+name {
			return fmt.Sprintf("Usage: dokku %s\n\n%s.\n", cmd, strings.TrimSpace(desc)), true
		}
	}
	return "", false
}

// parentHasAll mirrors Dokku's `ps -o command= $PPID | grep -- --all`: the
// full command list is wanted when the `dokku help` that called us had --all.
func parentHasAll() bool {
	b, err := safefile.Read("/proc/"+strconv.Itoa(os.Getppid())+"/cmdline", 1<<20)
	if err != nil {
		return false
	}
	for _, w := range strings.Split(string(b), "\x00") {
		if w == "--all" {
			return true
		}
	}
	return false
}
