package subcmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/deploy"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku/plugn"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

// CommandBackends implements `prodserver:backends [--format stdout|json]`.
func CommandBackends(format string) error {
	if err := checkFormat(format, "stdout", "json"); err != nil {
		return err
	}
	all := backend.All()
	if format == "json" {
		type entry struct {
			Name        string   `json:"name"`
			Kind        string   `json:"kind"`
			Summary     string   `json:"summary"`
			Packages    []string `json:"packages"`
			Singleton   bool     `json:"singleton"`
			Web         bool     `json:"web"`
			StopSignal  string   `json:"stop_signal"`
			Concurrency string   `json:"concurrency"`
			Options     []string `json:"options"`
		}
		out := make([]entry, 0, len(all))
		for _, b := range all {
			e := entry{Name: b.Name, Kind: string(b.Kind), Summary: b.Summary, Packages: packagesOf(b),
				Singleton: b.Singleton, Web: b.Web, StopSignal: b.StopSignal, Concurrency: string(b.Concurrency), Options: []string{}}
			for _, o := range b.Options {
				e.Options = append(e.Options, o.Name+":"+string(o.Type))
			}
			out = append(out, e)
		}
		return printJSON(out)
	}
	dokku.LogInfo2("prodserver backends")
	tw := tabwriter.NewWriter(dokku.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "       NAME\tKIND\tPACKAGES\tSINGLETON\tSUMMARY")
	for _, b := range all {
		pk := strings.Join(packagesOf(b), " ")
		fmt.Fprintf(tw, "       %s\t%s\t%s\t%t\t%s\n", b.Name, b.Kind, pk, b.Singleton, b.Summary)
	}
	return tw.Flush()
}

func packagesOf(b *backend.Backend) []string {
	p := append([]string{}, b.Packages...)
	if len(b.OneOf) > 0 {
		p = append(p, strings.Join(b.OneOf, "|"))
	}
	return p
}

func printJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding json: %w", err)
	}
	fmt.Fprintln(dokku.Stdout, string(b))
	return nil
}

// appProc reads and checks the <app> <proc> words.
func appProc(args []string) (string, string, []string, error) {
	app, rest, err := appArg(args)
	if err != nil {
		return "", "", nil, err
	}
	if len(rest) == 0 {
		return "", "", nil, fmt.Errorf("Please specify a process type, e.g. web")
	}
	proc := rest[0]
	if err := checkText(proc); err != nil {
		return "", "", nil, fmt.Errorf("Invalid process type: %v", err)
	}
	if err := procfile.DNSLabel(proc); err != nil {
		return "", "", nil, fmt.Errorf("Invalid process type: %v", err)
	}
	return app, proc, rest[1:], nil
}

// CommandBackend implements `prodserver:backend <app> <proc> [<backend>]
// [--skip-deploy] [--clear] [--force]`.
func CommandBackend(args []string, skipDeploy, clear, force bool) error {
	app, proc, rest, err := appProc(args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return fmt.Errorf("Too many arguments: expected <app> <proc> [<backend>]")
	}
	key := store.BackendKeyPrefix + proc
	if clear {
		if len(rest) > 0 {
			return fmt.Errorf("--clear takes no backend")
		}
		if err := dokku.PropertyDelete(app, key); err != nil {
			return err
		}
		dokku.LogInfo2Quiet(fmt.Sprintf("Cleared the %s backend of %s: the app's own config decides", proc, app))
		return rebuild(app, skipDeploy)
	}
	if len(rest) == 0 {
		return showBackend(app, proc)
	}
	name := rest[0]
	if err := checkText(name); err != nil {
		return fmt.Errorf("Invalid backend: %v", err)
	}
	b, err := backend.Lookup(name)
	if err != nil {
		if swapped, serr := backend.Lookup(proc); serr == nil && !conventionalProcs[proc] && procfile.DNSLabel(name) == nil {
			// `backend myapp uvicorn web`: the words are the other way round.
			return fmt.Errorf("Wrong argument order: the process type comes before the backend; did you mean: dokku prodserver:backend %s %s %s", app, name, swapped.Name)
		}
		return err
	}
	if err := b.Fits(proc); err != nil {
		// The same check every source gets at deploy (backend.Fits).
		msg := err.Error()
		return errors.New(strings.ToUpper(msg[:1]) + msg[1:])
	}
	if foreign, was, err := foreignArgs(app, proc, b); err != nil {
		return err
	} else if len(foreign) > 0 {
		msg := fmt.Sprintf("The extra arguments of %s were written for %s, and %s does not take %s", proc, was, b.Name, strings.Join(foreign, " "))
		if !force {
			return fmt.Errorf("%s: it would not start. Clear them first (dokku prodserver:args %s %s --clear), or add --force to swap anyway", msg, app, proc)
		}
		dokku.LogWarn(msg + "; swapping anyway (--force)")
	}
	if err := dokku.PropertyWrite(app, key, b.Name); err != nil {
		return err
	}
	dokku.LogInfo2Quiet(fmt.Sprintf("Setting the %s backend of %s to %s", proc, app, b.Name))
	if b.Web && proc != "web" {
		dokku.LogWarn(fmt.Sprintf("%s is a web server, but only the web process is routed by Dokku", b.Name))
	}
	warnPlan(app, proc)
	return rebuild(app, skipDeploy)
}

// foreignArgs lists the flags among proc's extra arguments
// (prodserver:args) that the backend they were written for knows and the
// next one does not: kept across a swap they make the new server refuse to
// start (gunicorn's --timeout given to uvicorn), a crash loop. Flags
// neither backend knows are the operator's business and pass. was names
// the backend the arguments were written for: the stored choice, else what
// the last deploy ran.
func foreignArgs(app, proc string, next *backend.Backend) (foreign []string, was string, err error) {
	extra, err := dokku.PropertyListGet(app, store.ArgsKeyPrefix+proc)
	if err != nil || len(extra) == 0 {
		return nil, "", err
	}
	was, err = dokku.PropertyGet(app, store.BackendKeyPrefix+proc)
	if err != nil {
		return nil, "", err
	}
	if was == "" {
		if rec, _ := deploy.LoadRecord(app); rec != nil && rec.Plan != nil {
			if p := rec.Plan.Process(proc); p != nil && p.Managed {
				was = p.Backend
			}
		}
	}
	if was == "" {
		return nil, "", nil
	}
	prev, err := backend.Lookup(was)
	if err != nil || prev.Name == next.Name {
		return nil, "", nil
	}
	for _, a := range extra {
		name, ok := strings.CutPrefix(a, "--")
		if !ok || name == "" {
			continue
		}
		name, _, _ = strings.Cut(name, "=")
		if _, known := prev.Option(name); !known {
			continue
		}
		if _, known := next.Option(name); !known {
			foreign = append(foreign, "--"+name)
		}
	}
	return foreign, prev.Name, nil
}

// conventionalProcs are process types taken as meant even when they are
// also a backend's name or alias (release, beat): `backend APP release
// collectstatic` is a wrong backend for the release process, not swapped
// words.
var conventionalProcs = map[string]bool{"web": true, "worker": true, "release": true, "beat": true, "clock": true, "scheduler": true}

// warnPlan replays the last deploy with the new choice and repeats the
// warnings about proc (a backend that cannot render for this app, a package
// the app does not declare), so the operator hears before the rebuild.
func warnPlan(app, proc string) {
	rec, pl, err := replan(app)
	if err != nil || rec == nil {
		return
	}
	for _, w := range append(pl.Warnings, pl.Errors...) {
		if strings.HasPrefix(w, proc+": ") {
			dokku.LogWarn(w)
		}
	}
}

// showBackend prints the backend of a process: the operator's choice, else
// what the last deploy decided.
func showBackend(app, proc string) error {
	stored, err := dokku.PropertyGet(app, store.BackendKeyPrefix+proc)
	if err != nil {
		return err
	}
	rec, err := deploy.LoadRecord(app)
	if err != nil {
		return err
	}
	var running *plan.Process
	if rec != nil && rec.Plan != nil {
		if p := rec.Plan.Process(proc); p != nil && p.Managed {
			running = p
		}
	}
	switch {
	case stored == "" && running == nil:
		return fmt.Errorf("No backend is chosen or deployed for the %s process of %s", proc, app)
	case running == nil:
		fmt.Fprintln(dokku.Stdout, dokku.Escape(stored))
		dokku.LogVerboseQuiet("Chosen with prodserver:backend; no managed deploy runs it yet: the next deploy applies it")
	case stored != "" && stored != running.Backend:
		fmt.Fprintln(dokku.Stdout, dokku.Escape(stored))
		dokku.LogVerboseQuiet(fmt.Sprintf("Chosen with prodserver:backend; the last deploy runs %s (decided by %s): the next deploy applies the choice", running.Backend, running.Source))
	default:
		fmt.Fprintln(dokku.Stdout, dokku.Escape(running.Backend))
		dokku.LogVerboseQuiet(fmt.Sprintf("Running since the last deploy; decided by %s", running.Source))
	}
	return nil
}

// rebuild rebuilds the app from source (what ps:rebuild does: the
// receive-app trigger), unless asked not to or the app was never deployed.
func rebuild(app string, skip bool) error {
	switch {
	case skip:
		dokku.LogVerboseQuiet("Skipping the rebuild (--skip-deploy); run `dokku ps:rebuild " + app + "` to apply")
		return nil
	case !dokku.IsDeployed(app):
		dokku.LogVerboseQuiet("The app is not deployed yet; the next deploy applies this")
		return nil
	}
	dokku.LogInfo1Quiet("Rebuilding " + app)
	return plugn.TriggerStream("receive-app", app)
}

// CommandArgs implements `prodserver:args <app> <proc> [--clear] [-- <arg>...]`.
func CommandArgs(args, extra []string, skipDeploy, clear bool) error {
	app, proc, rest, err := appProc(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("Unexpected words %s: put arguments after --, e.g. prodserver:args %s %s -- --timeout 30", strings.Join(rest, " "), app, proc)
	}
	key := store.ArgsKeyPrefix + proc
	switch {
	case clear && extra != nil:
		return fmt.Errorf("--clear takes no arguments")
	case clear:
		if err := dokku.PropertyDelete(app, key); err != nil {
			return err
		}
		dokku.LogInfo2Quiet(fmt.Sprintf("Cleared the extra arguments of %s", proc))
		return rebuild(app, skipDeploy)
	case extra == nil:
		list, err := dokku.PropertyListGet(app, key)
		if err != nil {
			return err
		}
		for _, a := range list {
			fmt.Fprintln(dokku.Stdout, dokku.Escape(a))
		}
		return nil
	}
	if len(extra) == 0 {
		return fmt.Errorf("No arguments after --; use --clear to remove them")
	}
	for _, a := range extra {
		if err := checkText(a); err != nil {
			return fmt.Errorf("Invalid argument %s: %v", dokku.Printable(a), err)
		}
	}
	if flags := plan.WebAddressFlags(extra); proc == "web" && len(flags) > 0 {
		return fmt.Errorf("The web process cannot take %s: Dokku routes it to 0.0.0.0:$PORT, which prodserver renders; leave the address out of prodserver:args", strings.Join(flags, " "))
	}
	// Checked as they will stand: after a program word.
	if _, err := procfile.Join(append([]string{"program"}, extra...)); err != nil {
		return fmt.Errorf("Invalid arguments: %v", err)
	}
	if err := dokku.PropertyListWrite(app, key, extra); err != nil {
		return err
	}
	dokku.LogInfo2Quiet(fmt.Sprintf("Setting the extra arguments of %s", proc))
	return rebuild(app, skipDeploy)
}
