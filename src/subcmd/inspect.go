package subcmd

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/deploy"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
)

// appOnly reads a lone <app> word.
func appOnly(args []string) (string, error) {
	app, rest, err := appArg(args)
	if err != nil {
		return "", err
	}
	if len(rest) > 0 {
		return "", fmt.Errorf("Too many arguments: expected <app>")
	}
	return app, nil
}

// noRecord says why there is no plan to show: prodserver keeps the facts
// of the last deploy it managed, and a skipped deploy (turned off, or a
// source it left alone with a warning) keeps none.
func noRecord(app, enabled string) error {
	switch {
	case enabled == "false":
		return fmt.Errorf("prodserver is turned off for %s (enabled false): deploys leave the Procfile alone; run dokku prodserver:set %s enabled auto, then dokku ps:rebuild %s", app, app, app)
	case dokku.IsDeployed(app):
		return fmt.Errorf("The last deploy of %s was not managed by prodserver: its warnings (a bad app.json or Procfile) or no Django project left the Procfile alone; fix that and run dokku ps:rebuild %s", app, app)
	}
	return fmt.Errorf("%s has not been deployed yet: prodserver reads the deployed source; deploy it (git push) first", app)
}

// replan recomputes the plan from the last deployed source with the
// properties as they are now: what the next deploy would do.
func replan(app string) (*deploy.Record, *plan.Plan, error) {
	rec, err := deploy.LoadRecord(app)
	if err != nil {
		return nil, nil, err
	}
	op, err := deploy.Operator(app)
	if err != nil {
		return nil, nil, err
	}
	if rec == nil {
		return nil, nil, noRecord(app, op.Enabled)
	}
	room := deploy.ReadRoom(app)
	in := plan.Inputs{Facts: rec.Facts, AppJSON: rec.AppJSON, Settings: rec.Settings, Operator: op, Concurrency: room.Sizer(), Memory: room.MemoryMB}
	// The scheduler as it is now: the next deploy's (an unreadable
	// property reads as docker-local, as the deploy warns).
	in.Scheduler, _, _ = dokku.Scheduler(app)
	in.StopTimeout, in.StopTimeoutFrom = deploy.ReadStopTimeout(app, nil)
	in.Env = deploy.ReadOperatorEnv(app)
	in.Procfile = rec.ProcfileBytes()
	pl := plan.Make(in)
	pl.NameApp(app)
	return rec, pl, nil
}

// replanArgs checks a command's --format and lone <app> word, then replans.
func replanArgs(args []string, format string, formats ...string) (string, *deploy.Record, *plan.Plan, error) {
	if err := checkFormat(format, formats...); err != nil {
		return "", nil, nil, err
	}
	app, err := appOnly(args)
	if err != nil {
		return "", nil, nil, err
	}
	rec, pl, err := replan(app)
	return app, rec, pl, err
}

// CommandProcesses implements `prodserver:processes <app> [--format stdout|json]`.
func CommandProcesses(args []string, format string) error {
	app, rec, pl, err := replanArgs(args, format, "stdout", "json")
	if err != nil {
		return err
	}
	scale, _ := deploy.CurrentScale(app)
	type row struct {
		Name        string `json:"name"`
		Backend     string `json:"backend"`
		Source      string `json:"source"`
		Managed     bool   `json:"managed"`
		Scale       string `json:"scale"`
		Workers     int    `json:"workers"`
		Threads     int    `json:"threads"`
		WorkersFrom string `json:"workers_from"`
		ThreadsFrom string `json:"threads_from"`
		StopSignal  string `json:"stop_signal"`
		Singleton   bool   `json:"singleton"`
		Command     string `json:"command"`
		Autoscaling string `json:"autoscaling,omitempty"`
		StopFirst   string `json:"stop_first,omitempty"`
		Why         string `json:"why,omitempty"`
	}
	stopFirst := deploy.StopFirstStatus(app, pl)
	rows := make([]row, 0, len(pl.Processes))
	for _, p := range pl.Processes {
		r := row{Name: p.Name, Backend: p.Backend, Source: string(p.Source), Managed: p.Managed, Workers: p.Workers,
			Threads: p.Threads, WorkersFrom: p.WorkersFrom, ThreadsFrom: p.ThreadsFrom, StopSignal: p.StopSignal, Singleton: p.Singleton, Command: p.Command, Why: p.Why}
		if n, ok := scale[p.Name]; ok {
			r.Scale = strconv.Itoa(n)
		}
		r.StopFirst = stopFirst[p.Name]
		if a, ok := rec.Autoscaling[p.Name]; ok {
			r.Autoscaling = a.String()
			if pl.Scheduler != "k3s" {
				r.Autoscaling += " (applies on scheduler-k3s only)"
			}
		}
		rows = append(rows, r)
	}
	if format == "json" {
		return printJSON(rows)
	}
	dokku.LogInfo2(app + " processes")
	if pl.Scheduler != "" {
		dokku.LogVerbose("scheduler: " + pl.Scheduler)
	}
	if s := rec.Image.Summary(); s != "" {
		dokku.LogVerbose(s)
	}
	if rec.Facts != nil {
		for _, c := range rec.Facts.SettingsChoices {
			dokku.LogVerbose("settings: " + dokku.Escape(c))
		}
	}
	tw := tabwriter.NewWriter(dokku.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "       PROCESS\tBACKEND\tDECIDED BY\tSCALE\tCONCURRENCY\tCOMMAND")
	for _, r := range rows {
		b, conc := r.Backend, concurrencyText(r.Workers, r.Threads, r.WorkersFrom, r.ThreadsFrom)
		if b == "" {
			b = "-"
		}
		sc := r.Scale
		if sc == "" {
			sc = "-"
		}
		e := dokku.Escape
		fmt.Fprintf(tw, "       %s\t%s\t%s\t%s\t%s\t%s\n", e(r.Name), e(b), r.Source, sc, conc, e(r.Command))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		if r.Why != "" {
			dokku.LogVerbose(fmt.Sprintf("%s: %s (%s)", dokku.Escape(r.Name), dokku.Escape(r.Why), r.Source))
		}
	}
	for _, r := range rows {
		if r.Autoscaling != "" {
			dokku.LogVerbose(fmt.Sprintf("%s autoscaling (app.json formation): %s", r.Name, r.Autoscaling))
		}
	}
	for _, r := range rows {
		if r.StopFirst != "" {
			dokku.LogVerbose(fmt.Sprintf("%s: old container stopped before the new one starts: %s", dokku.Escape(r.Name), r.StopFirst))
		}
	}
	if pl.Scheduler == "k3s" {
		fmt.Fprintf(dokku.Stdout, "       stop: scheduler-k3s pod grace %d s (Kubernetes' default; ps stop-timeout-seconds does not apply); servers that take a graceful timeout drain for %d s\n", plan.PodGrace, pl.Graceful)
	} else if pl.StopTimeout > 0 {
		fmt.Fprintf(dokku.Stdout, "       stop: ps stop-timeout-seconds %d (%s); servers that take a graceful timeout drain for %d s\n", pl.StopTimeout, pl.StopTimeoutFrom, pl.Graceful)
	}
	for _, w := range pl.Warnings {
		dokku.LogWarn(w)
	}
	for _, w := range lastDeployWarnings(rec, pl) {
		dokku.LogWarn("last deploy: " + w)
	}
	return nil
}

// lastDeployWarnings are the warnings the last deploy printed about the
// source (detection, the Dockerfile, Procfile lines that need a shell)
// that the recomputed plan does not repeat: the deploy log is gone, the
// record keeps them.
func lastDeployWarnings(rec *deploy.Record, pl *plan.Plan) []string {
	var out []string
	for _, w := range rec.SourceWarnings {
		if !slices.Contains(pl.Warnings, w) {
			out = append(out, w)
		}
	}
	return out
}

// CommandProcfile implements `prodserver:procfile <app>`: the Procfile the
// next deploy writes, and how it differs from the last deploy's.
func CommandProcfile(args []string) error {
	app, rec, pl, err := replanArgs(args, "stdout", "stdout")
	if err != nil {
		return err
	}
	dokku.LogInfo2(fmt.Sprintf("%s (next deploy of %s)", rec.ProcfilePath, app))
	// Escaped like every output line: a kept line may hold bytes from
	// the repository that a terminal would act on.
	fmt.Fprint(dokku.Stdout, dokku.Escape(string(pl.Procfile)))
	if len(pl.Procfile) > 0 && !strings.HasSuffix(string(pl.Procfile), "\n") {
		fmt.Fprintln(dokku.Stdout)
	}
	dokku.LogInfo2("Changes from the last deploy")
	changes := diffPlans(rec.Plan, pl)
	if len(changes) == 0 {
		dokku.LogVerbose("none")
	}
	for _, c := range changes {
		dokku.LogVerbose(c)
	}
	for _, w := range pl.Warnings {
		dokku.LogWarn(w)
	}
	for _, w := range lastDeployWarnings(rec, pl) {
		dokku.LogWarn("last deploy: " + w)
	}
	return nil
}

// diffPlans lists per process what changes between two plans.
func diffPlans(old, cur *plan.Plan) []string {
	var out []string
	seen := map[string]bool{}
	if old == nil {
		old = &plan.Plan{}
	}
	for _, p := range cur.Processes {
		seen[p.Name] = true
		o := old.Process(p.Name)
		switch {
		case o == nil:
			out = append(out, fmt.Sprintf("+ %s: %s", p.Name, p.Command))
		case o.Command != p.Command:
			out = append(out, fmt.Sprintf("~ %s: %s", p.Name, p.Command), fmt.Sprintf("    was: %s", o.Command))
		}
	}
	for _, o := range old.Processes {
		if !seen[o.Name] {
			out = append(out, fmt.Sprintf("- %s: %s", o.Name, o.Command))
		}
	}
	return out
}

// CommandExport implements `prodserver:export <app> [--format json|django]`.
func CommandExport(args []string, format string) error {
	_, rec, pl, err := replanArgs(args, format, "json", "django")
	if err != nil {
		return err
	}
	if format == "json" {
		return exportJSON(pl)
	}
	major := 0
	if rec.Facts != nil {
		major = rec.Facts.ProdserverMajor
	}
	fmt.Fprint(dokku.Stdout, exportDjango(pl, major))
	return nil
}

// concurrencyText is the CONCURRENCY cell: the counts and where each came
// from, said once when both came from the same place.
func concurrencyText(workers, threads int, workersFrom, threadsFrom string) string {
	switch {
	case workers > 0 && threads > 0 && workersFrom == threadsFrom:
		return fmt.Sprintf("%d workers × %d threads (%s)", workers, threads, workersFrom)
	case workers > 0 && threads > 0:
		return fmt.Sprintf("%d workers (%s) × %d threads (%s)", workers, workersFrom, threads, threadsFrom)
	case workers > 0:
		return fmt.Sprintf("%d workers (%s)", workers, workersFrom)
	case threads > 0:
		return fmt.Sprintf("%d threads (%s)", threads, threadsFrom)
	}
	return "-"
}

// appOf is the Celery app a process used: the declared one, else what the
// plan decided (detection), so the export starts the same command.
func appOf(p plan.Process) string {
	if p.Config.App != "" {
		return p.Config.App
	}
	return p.App
}

// exportJSON prints the managed processes as app.json's prodserver section.
func exportJSON(pl *plan.Plan) error {
	type proc struct {
		Backend string         `json:"backend"`
		Options map[string]any `json:"options,omitempty"`
		Args    []string       `json:"args,omitempty"`
		App     string         `json:"app,omitempty"`
		Workers int            `json:"workers,omitempty"`
		Threads int            `json:"threads,omitempty"`
		Scale   int            `json:"scale,omitempty"`
	}
	// Keep the plan's order: encode the processes object by hand.
	var b strings.Builder
	b.WriteString("{\n  \"prodserver\": {\n")
	var entries []string
	for _, p := range pl.Processes {
		if !p.Managed {
			continue
		}
		if p.Kind == string(backend.KindRelease) {
			continue // plan.ReleaseValue below
		}
		c := p.Config
		e := proc{Backend: p.Backend, Args: c.Args, App: appOf(p), Workers: c.Workers, Threads: c.Threads, Scale: c.Scale}
		if len(c.Options) > 0 {
			e.Options = map[string]any{}
			for _, o := range c.Options {
				e.Options[o.Key] = o.Value
			}
		}
		j, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("encoding %s: %w", p.Name, err)
		}
		entries = append(entries, fmt.Sprintf("      %q: %s", p.Name, j))
	}
	// The release value, not the backend's name: it imports back to the
	// same line (migrate-collectstatic, which now runs migrate, exports as
	// migrate).
	release := plan.ReleaseValue(pl)
	fmt.Fprintf(&b, "    \"release\": %q,\n    \"processes\": {\n%s\n    }\n  }\n}\n", release, strings.Join(entries, ",\n"))
	fmt.Fprint(dokku.Stdout, b.String())
	return nil
}

// exportDjango renders PRODUCTION_PROCESSES for settings.py. Options with
// scalar values become ARGS items (django-prodserver renders --key=value);
// flags and lists, which its dict form cannot express, become an ARGS string.
func exportDjango(pl *plan.Plan, major int) string {
	var b strings.Builder
	b.WriteString("PRODUCTION_PROCESSES = {\n")
	for _, p := range pl.Processes {
		if !p.Managed || p.Kind == string(backend.KindRelease) {
			continue
		}
		class := ""
		if b, err := backend.Lookup(p.Backend); err == nil {
			class = b.DjangoClass(major)
		}
		if class == "" {
			fmt.Fprintf(&b, "    # %q: %s has no django-prodserver backend\n", p.Name, p.Backend)
			continue
		}
		fmt.Fprintf(&b, "    %s: {\n        \"BACKEND\": %s,\n", pyString(p.Name), pyString(class))
		c := p.Config
		if app := appOf(p); app != "" {
			fmt.Fprintf(&b, "        \"APP\": %s,\n", pyString(app))
		}
		if args := djangoArgs(p.Backend, c); args != "" {
			fmt.Fprintf(&b, "        \"ARGS\": %s,\n", args)
		}
		b.WriteString("    },\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// djangoArgs is the ARGS of one process. In the string form the explicit
// counts are written as the backend's own count flags (gunicorn --workers,
// celery --concurrency), which plan.ProductionProcesses reads back as
// counts: without them the counts were lost whenever a flag, a list or an
// extra argument forced the string form.
func djangoArgs(backendName string, c plan.ProcConfig) string {
	simple := len(c.Args) == 0
	for _, o := range c.Options {
		switch o.Value.(type) {
		case bool, []string:
			simple = false
		}
	}
	b, _ := backend.Lookup(backendName)
	if simple {
		// Counts are written under the backend's own count flag
		// (celery's concurrency, uWSGI's processes), which the import
		// reads back as counts; a backend without the flag ignores the
		// count, so none is written (a "workers" item would be rendered
		// as a flag the program refuses).
		var items []string
		for _, count := range []struct {
			flag string
			n    int
		}{{countFlag(b, true), c.Workers}, {countFlag(b, false), c.Threads}} {
			if count.flag != "" && count.n > 0 {
				items = append(items, fmt.Sprintf("%s: %s", pyString(strings.TrimPrefix(count.flag, "--")), pyString(strconv.Itoa(count.n))))
			}
		}
		for _, o := range c.Options {
			items = append(items, fmt.Sprintf("%s: %s", pyString(o.Key), pyString(fmt.Sprint(o.Value))))
		}
		if len(items) == 0 {
			return ""
		}
		return "{" + strings.Join(items, ", ") + "}"
	}
	var words []string
	for _, count := range []struct {
		flag string
		n    int
	}{{countFlag(b, true), c.Workers}, {countFlag(b, false), c.Threads}} {
		if count.flag != "" && count.n > 0 {
			words = append(words, count.flag+"="+strconv.Itoa(count.n))
		}
	}
	for _, o := range c.Options {
		switch v := o.Value.(type) {
		case bool:
			if v {
				words = append(words, "--"+o.Key)
			}
		case []string:
			for _, item := range v {
				words = append(words, "--"+o.Key+"="+item)
			}
		default:
			words = append(words, fmt.Sprintf("--%s=%v", o.Key, v))
		}
	}
	words = append(words, c.Args...)
	line, err := procfile.Join(words)
	if err != nil {
		line = strings.Join(words, " ")
	}
	return pyString(line)
}

// countFlag is the backend's workers (or threads) flag, "" when it has
// none or is unknown.
func countFlag(b *backend.Backend, workers bool) string {
	switch {
	case b == nil:
		return ""
	case workers:
		return b.WorkersFlag
	}
	return b.ThreadsFlag
}

// pyString is a Python string literal (JSON's escapes are valid Python).
func pyString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
