package plan

import (
	"fmt"
	"path"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
)

// SourceDeclared marks a Procfile line written for a daemon the project
// declares for another process manager (facts.Daemon). It is not in
// Precedence: such a line only fills a name nothing else uses, and is
// written once, like a line of the user's, so prodserver neither scales
// nor re-renders it.
const SourceDeclared Source = "declared daemon"

// Daemon settings values (the daemons setting): add writes a Procfile line
// for each declared daemon, warn only names it with the line to add.
const (
	DaemonsAdd  = "add"
	DaemonsWarn = "warn"
)

// addDaemons offers each daemon the project declares elsewhere as a
// Procfile line in exec form (the app's python manage.py for a management
// command, else its own words), under its declared name, else
// its command's name, else name-daemon when both are taken by another
// line. A line already running the same command, or the same management
// command, means the Procfile has it. Dokku gives a new non-web process
// type scale 0 (plugins/ps updateScale), so an added line starts only once
// the operator scales it; the warning says how, and how to leave it out.
// With the daemons setting warn, or when no line can say it, only the
// warning is given.
func (plan *Plan) addDaemons(in Inputs, pf *procfile.File, taken map[string]bool) map[string]Process {
	// The lines are written by Make with the managed ones, in the
	// Procfile's usual shape.
	if in.Facts == nil || len(in.Facts.Daemons) == 0 {
		return nil
	}
	lines := map[string]string{}
	for _, name := range pf.Names() {
		cmd, _ := pf.Get(name)
		lines[name] = cmd
	}
	out := map[string]Process{}
	ctx := contextFor(in, ProcConfig{})
	for _, d := range in.Facts.Daemons {
		cmd, err := daemonCommand(d, ctx.Python, ctx.ManagePy)
		if d.Unrenderable != "" || err != nil {
			why := d.Unrenderable
			if why == "" {
				why = err.Error()
			}
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s runs %q, which Dokku does not start (only the Procfile's lines run); prodserver cannot write its Procfile line (%s): write one yourself", d.From, d.Declared, why))
			continue
		}
		if hasDaemon(lines, d, cmd) {
			continue
		}
		name := daemonName(d, taken)
		if in.Operator.Daemons == DaemonsWarn {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s runs %q, which Dokku does not start (only the Procfile's lines run); to run it, add this line to the Procfile: %s: %s (prodserver:set <app> daemons add writes it for you)", d.From, d.Declared, name, cmd))
			continue
		}
		taken[name], lines[name] = true, cmd
		note := fmt.Sprintf("declared in %s (%s)", d.From, d.Declared)
		out[name] = Process{Name: name, Source: SourceDeclared, Command: cmd, Note: note, Why: note}
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s runs %q, which Dokku does not start (only the Procfile's lines run); added this Procfile line: %s: %s. It starts at scale 0, Dokku's default for a new process type: run it with dokku ps:scale <app> %s=1 (prodserver:set <app> daemons warn leaves such lines out)", d.From, d.Declared, name, cmd, name))
	}
	return out
}

// daemonCommand renders a declared daemon as a Procfile command that runs
// without a shell: python and manage.py as every rendered line names them,
// else the declared words. One that needs a shell gets no line.
func daemonCommand(d facts.Daemon, python, managePy string) (string, error) {
	var argv []string
	switch {
	case d.Manage != nil:
		if python == "" {
			python = "python"
		}
		if managePy == "" {
			managePy = "manage.py"
		}
		argv = append([]string{python, managePy}, d.Manage...)
	case d.Argv != nil:
		argv = d.Argv
	case d.Shell != "":
		// sh -c with the line as one word cannot be written either:
		// herokuish splits a command again after removing its quotes.
		return "", fmt.Errorf("it needs a shell (%s), which a Dockerfile image's Procfile lines do not get; put it in a script that ends with exec, and add a Procfile line running the script", d.Shell)
	default:
		return "", fmt.Errorf("no command")
	}
	cmd, err := procfile.Join(argv)
	if err != nil {
		return "", fmt.Errorf("its words cannot be written as one Procfile line: %w", err)
	}
	return cmd, nil
}

// hasDaemon tells a Procfile that already runs the daemon: a line with its
// rendered or declared command, a line running the same management
// command, or a line of its name running the same program.
func hasDaemon(lines map[string]string, d facts.Daemon, cmd string) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for name, line := range lines {
		switch {
		case norm(line) == norm(cmd) || norm(line) == norm(d.Declared):
			return true
		case d.Manage != nil && manageCommand(line) == d.Manage[0]:
			return true
		case name == d.Name && d.Argv != nil && len(strings.Fields(line)) > 0 && path.Base(strings.Fields(line)[0]) == path.Base(d.Argv[0]):
			return true
		}
	}
	return false
}

// manageCommand is the management command a Procfile line runs through
// manage.py, "" for none.
func manageCommand(line string) string {
	words := strings.Fields(line)
	for i, w := range words {
		if path.Base(w) == "manage.py" && i+1 < len(words) {
			return words[i+1]
		}
	}
	return ""
}

// daemonName is the first of the declared name, the command's name and
// name-daemon that no other line uses. web and release are never given to a
// daemon: Dokku routes traffic to web and runs release at every deploy.
func daemonName(d facts.Daemon, taken map[string]bool) string {
	free := func(n string) bool {
		return n != "" && n != "web" && n != "release" && !taken[n] && procfile.ValidName(n) == nil
	}
	for _, n := range []string{d.Name, d.AltName} {
		if free(n) {
			return n
		}
	}
	base := d.Name
	if base == "web" || base == "release" || base == "" {
		base = d.AltName
	}
	if base == "" {
		base = "daemon"
	}
	for i := 0; ; i++ {
		n := base + "-daemon"
		if i > 0 {
			n = fmt.Sprintf("%s-daemon%d", base, i+1)
		}
		if free(n) {
			return n
		}
	}
}
