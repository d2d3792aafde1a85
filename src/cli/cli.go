// Package cli parses `prodserver:<name>` command lines with
// urfave/cli and calls package subcmd. It is kept apart from subcmd so
// the triggers binary, which runs inside every deploy, does not link (or
// initialise) the CLI library.
package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
	"github.com/dokku-prodserver/dokku-prodserver/src/subcmd"
)

// subcommand is one `prodserver:<name>` command: its flags and its action.
type subcommand struct {
	flags []cli.Flag
	// infoFlags lets a report take any --prodserver-<key> word; they are
	// taken out before parsing and handed to the action.
	infoFlags bool
	// dashArgs takes every word after the first bare "--" out before
	// parsing and hands them to the action (nil when there is no "--").
	dashArgs bool
	action   func(c *cli.Context, info []string) error
}

// subcommands are the `prodserver:<name>` commands, registered by init below.
var subcommands = map[string]subcommand{}

// SubcommandNames lists the subcommands, for the build's symlinks and tests.
func SubcommandNames() []string {
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RunSubcommand runs `prodserver:<name>` with the user's words (os.Args[2:]
// as Dokku passes them). Flags may follow positional words, as with Dokku's
// own pflag-based commands; everything after a bare `--` is positional.
// --help and -h anywhere before `--` print the command's usage, and an
// unknown flag is refused by name, before urfave/cli sees the words: left to
// it, help is an error and a flag after a positional word becomes a value.
func RunSubcommand(name string, args []string) error {
	sc, ok := subcommands[name]
	if !ok {
		return fmt.Errorf("Invalid command prodserver:%s", dokku.Printable(name))
	}
	help, err := checkFlags(name, sc, args)
	if err != nil {
		return err
	}
	if help {
		if text, ok := store.Usage(name); ok {
			fmt.Fprint(dokku.Stdout, text+flagHelp(sc.flags))
		} else {
			fmt.Fprint(dokku.Stdout, store.FullHelp())
		}
		return nil
	}
	var info []string
	if sc.dashArgs {
		for i, a := range args {
			if a == "--" {
				info = append([]string{}, args[i+1:]...)
				args = args[:i]
				break
			}
		}
	}
	if sc.infoFlags {
		rest := args[:0:0]
		for _, a := range args {
			if strings.HasPrefix(a, "--"+dokku.PluginName+"-") {
				info = append(info, a)
			} else {
				rest = append(rest, a)
			}
		}
		args = rest
	}
	app := &cli.App{
		Name:            dokku.PluginName + ":" + name,
		Flags:           sc.flags,
		Action:          func(c *cli.Context) error { return sc.action(c, info) },
		HideHelp:        true,
		HideHelpCommand: true,
		Writer:          io.Discard,
		ErrWriter:       io.Discard,
		ExitErrHandler:  func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return fmt.Errorf("Invalid usage of prodserver:%s: %s (see dokku prodserver:%s --help)", name, err.Error(), name)
		},
	}
	argv := append([]string{app.Name}, reorder(args, sc.flags)...)
	return app.Run(argv)
}

// checkFlags reads the words before the first bare `--` the way reorder
// does: help is true when one is --help or -h, and a word shaped like a flag
// (a dash then a letter: "-1" stays a value) that the command does not define
// is an error naming the flags it does take, as is a flag left without the
// value it needs. --global gets its own message,
// naming the commands that take it, since it is the flag operators carry
// over from `dokku config:set --global`.
func checkFlags(name string, sc subcommand, args []string) (help bool, err error) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--help" || a == "-h" || a == "-help" {
			return true, nil // before any other complaint: help is what was asked
		}
	}
	takesValue := flagTable(sc.flags)
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if sc.infoFlags && strings.HasPrefix(a, "--"+dokku.PluginName+"-") {
			continue
		}
		fname, hasValue := flagName(a)
		if fname == "" || !isLetter(fname[0]) {
			continue
		}
		if tv, known := takesValue[fname]; known {
			if tv && !hasValue {
				if i+1 >= len(args) || args[i+1] == "--" {
					// reorder would hand it the next positional word instead
					return false, fmt.Errorf("--%s needs a value (see dokku prodserver:%s --help)", fname, name)
				}
				i++ // its value, whatever it looks like
			}
			continue
		}
		shown := "--" + dokku.Printable(fname)
		if fname == "global" {
			with := commandsWith("global")
			verb := "does"
			if len(with) > 1 {
				verb = "do"
			}
			return false, fmt.Errorf("prodserver:%s does not take --global: only %s %s, to set a default for every app", name, strings.Join(with, " and "), verb)
		}
		hint := ""
		if sc.dashArgs {
			hint = "; put the server's own arguments after a bare --, e.g. -- " + shown
		}
		if len(sc.flags) == 0 {
			return false, fmt.Errorf("Unknown flag %s: prodserver:%s takes no flags%s", shown, name, hint)
		}
		return false, fmt.Errorf("Unknown flag %s: prodserver:%s takes %s%s", shown, name, flagList(sc.flags), hint)
	}
	return false, nil
}

// flagTable maps each flag name of a command to whether it takes a value.
func flagTable(flags []cli.Flag) map[string]bool {
	takesValue := map[string]bool{}
	for _, f := range flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	return takesValue
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// flagList is "--a, --b" for a command's flags, in their declared order.
func flagList(flags []cli.Flag) string {
	names := make([]string, 0, len(flags))
	for _, f := range flags {
		names = append(names, "--"+f.Names()[0])
	}
	return strings.Join(names, ", ")
}

// commandsWith lists the `prodserver:<name>` commands that define a flag.
func commandsWith(flag string) []string {
	var out []string
	for _, n := range SubcommandNames() {
		if _, ok := flagTable(subcommands[n].flags)[flag]; ok {
			out = append(out, dokku.PluginName+":"+n)
		}
	}
	return out
}

// flagHelp is the "Flags:" block of a command's --help, from each flag's
// Usage, so the text cannot drift from the flags the command parses.
func flagHelp(flags []cli.Flag) string {
	if len(flags) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nFlags:\n")
	for _, f := range flags {
		n := "--" + f.Names()[0]
		usage := ""
		if df, ok := f.(cli.DocGenerationFlag); ok {
			usage = df.GetUsage()
			if df.TakesValue() {
				n += " " + strings.ToUpper(f.Names()[0])
			}
		}
		fmt.Fprintf(&b, "    %-22s %s\n", n, usage)
	}
	return b.String()
}

// reorder moves the flags found among args in front of the positional words
// so urfave/cli (which stops at the first positional word) sees them.
func reorder(args []string, flags []cli.Flag) []string {
	takesValue := flagTable(flags)
	var front, back []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			back = append(back, args[i:]...)
			break
		}
		name, hasValue := flagName(a)
		tv, known := takesValue[name]
		if !known {
			back = append(back, a)
			continue
		}
		front = append(front, a)
		if tv && !hasValue && i+1 < len(args) {
			i++
			front = append(front, args[i])
		}
	}
	return append(front, back...)
}

func flagName(a string) (string, bool) {
	if !strings.HasPrefix(a, "-") || a == "-" {
		return "", false
	}
	n := strings.TrimLeft(a, "-")
	name, _, hasValue := strings.Cut(n, "=")
	return name, hasValue
}

func formatFlag(def string, values ...string) *cli.StringFlag {
	return &cli.StringFlag{Name: "format", Value: def, Usage: "output format: " + strings.Join(values, " or ") + " (default " + def + ")"}
}

// skipDeploy and clear are the flags of the commands that store a choice.
var (
	skipDeployFlag = &cli.BoolFlag{Name: "skip-deploy", Usage: "store the change without rebuilding the app"}
	clearFlag      = &cli.BoolFlag{Name: "clear", Usage: "remove the stored choice: the app's own config decides again"}
)

func init() {
	subcommands["set"] = subcommand{
		flags: []cli.Flag{&cli.BoolFlag{Name: "global", Usage: "set the default for every app (no <app> word)"}},
		action: func(c *cli.Context, _ []string) error {
			return subcmd.CommandSet(c.Bool("global"), c.Args().Slice())
		},
	}
	subcommands["report"] = subcommand{
		flags:     []cli.Flag{formatFlag("stdout", "stdout", "json")},
		infoFlags: true,
		action: func(c *cli.Context, info []string) error {
			if len(info) > 1 {
				return fmt.Errorf("Only one flag may be passed at a time: %s", strings.Join(info, ", "))
			}
			flag := ""
			if len(info) == 1 {
				flag = info[0]
			}
			words := c.Args().Slice()
			if len(words) > 1 {
				return fmt.Errorf("Too many arguments: expected [<app>], got %d words", len(words))
			}
			app := subcmd.EnvAppName()
			if len(words) == 1 {
				app = words[0]
			}
			return store.CommandReport(app, c.String("format"), flag)
		},
	}
	subcommands["help"] = subcommand{
		action: func(c *cli.Context, _ []string) error {
			fmt.Fprint(dokku.Stdout, store.FullHelp())
			return nil
		},
	}

	subcommands["backends"] = subcommand{
		flags: []cli.Flag{formatFlag("stdout", "stdout", "json")},
		action: func(c *cli.Context, _ []string) error {
			if c.Args().Len() > 0 {
				return fmt.Errorf("Too many arguments: prodserver:backends takes no words")
			}
			return subcmd.CommandBackends(c.String("format"))
		},
	}
	subcommands["backend"] = subcommand{
		flags: []cli.Flag{skipDeployFlag, clearFlag, &cli.BoolFlag{Name: "force"}},
		action: func(c *cli.Context, _ []string) error {
			return subcmd.CommandBackend(c.Args().Slice(), c.Bool("skip-deploy"), c.Bool("clear"), c.Bool("force"))
		},
	}
	subcommands["args"] = subcommand{
		flags:    []cli.Flag{skipDeployFlag, clearFlag},
		dashArgs: true,
		action: func(c *cli.Context, rest []string) error {
			return subcmd.CommandArgs(c.Args().Slice(), rest, c.Bool("skip-deploy"), c.Bool("clear"))
		},
	}

	subcommands["processes"] = subcommand{
		flags: []cli.Flag{formatFlag("stdout", "stdout", "json")},
		action: func(c *cli.Context, _ []string) error {
			return subcmd.CommandProcesses(c.Args().Slice(), c.String("format"))
		},
	}
	subcommands["procfile"] = subcommand{
		action: func(c *cli.Context, _ []string) error { return subcmd.CommandProcfile(c.Args().Slice()) },
	}
	subcommands["export"] = subcommand{
		flags: []cli.Flag{formatFlag("json", "json", "django")},
		action: func(c *cli.Context, _ []string) error {
			return subcmd.CommandExport(c.Args().Slice(), c.String("format"))
		},
	}
}
