// Package command parses `prodserver:<name>` command lines with
// urfave/cli and calls the plugin package. It is kept apart from plugin so
// the triggers binary, which runs inside every deploy, does not link (or
// initialise) the CLI library.
package command

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plugin"
	"github.com/dokku-prodserver/dokku-prodserver/src/state"
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
func RunSubcommand(name string, args []string) error {
	sc, ok := subcommands[name]
	if !ok {
		return fmt.Errorf("Invalid command prodserver:%s", dokku.Printable(name))
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
			return fmt.Errorf("Invalid usage of prodserver:%s: %s", name, err.Error())
		},
	}
	argv := append([]string{app.Name}, reorder(args, sc.flags)...)
	return app.Run(argv)
}

// reorder moves the flags found among args in front of the positional words
// so urfave/cli (which stops at the first positional word) sees them.
func reorder(args []string, flags []cli.Flag) []string {
	takesValue := map[string]bool{}
	for _, f := range flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
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

func formatFlag(def string) *cli.StringFlag {
	return &cli.StringFlag{Name: "format", Value: def}
}

func init() {
	subcommands["set"] = subcommand{
		flags: []cli.Flag{&cli.BoolFlag{Name: "global"}},
		action: func(c *cli.Context, _ []string) error {
			return plugin.CommandSet(c.Bool("global"), c.Args().Slice())
		},
	}
	subcommands["report"] = subcommand{
		flags:     []cli.Flag{formatFlag("stdout")},
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
			app := plugin.EnvAppName()
			if len(words) == 1 {
				app = words[0]
			}
			return state.CommandReport(app, c.String("format"), flag)
		},
	}
	subcommands["help"] = subcommand{
		action: func(c *cli.Context, _ []string) error {
			fmt.Fprint(dokku.Stdout, state.FullHelp())
			return nil
		},
	}

	subcommands["backends"] = subcommand{
		flags: []cli.Flag{formatFlag("stdout")},
		action: func(c *cli.Context, _ []string) error {
			if c.Args().Len() > 0 {
				return fmt.Errorf("Too many arguments: prodserver:backends takes no words")
			}
			return plugin.CommandBackends(c.String("format"))
		},
	}
	subcommands["backend"] = subcommand{
		flags: []cli.Flag{&cli.BoolFlag{Name: "skip-deploy"}, &cli.BoolFlag{Name: "clear"}, &cli.BoolFlag{Name: "force"}},
		action: func(c *cli.Context, _ []string) error {
			return plugin.CommandBackend(c.Args().Slice(), c.Bool("skip-deploy"), c.Bool("clear"), c.Bool("force"))
		},
	}
	subcommands["args"] = subcommand{
		flags:    []cli.Flag{&cli.BoolFlag{Name: "skip-deploy"}, &cli.BoolFlag{Name: "clear"}},
		dashArgs: true,
		action: func(c *cli.Context, rest []string) error {
			return plugin.CommandArgs(c.Args().Slice(), rest, c.Bool("skip-deploy"), c.Bool("clear"))
		},
	}

	subcommands["processes"] = subcommand{
		flags: []cli.Flag{formatFlag("stdout")},
		action: func(c *cli.Context, _ []string) error {
			return plugin.CommandProcesses(c.Args().Slice(), c.String("format"))
		},
	}
	subcommands["procfile"] = subcommand{
		action: func(c *cli.Context, _ []string) error { return plugin.CommandProcfile(c.Args().Slice()) },
	}
	subcommands["export"] = subcommand{
		flags: []cli.Flag{formatFlag("json")},
		action: func(c *cli.Context, _ []string) error {
			return plugin.CommandExport(c.Args().Slice(), c.String("format"))
		},
	}
}
