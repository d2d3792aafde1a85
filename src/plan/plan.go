package plan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/adopt"
	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
)

// Operator is what the operator set with prodserver:set, :backend and :args,
// already resolved app value > global value > default.
type Operator struct {
	Enabled    string // auto, true or false
	AppDir     string
	Settings   string
	WSGI, ASGI string
	CeleryApp  string
	Python     string
	Workers    int    // 0 = computed
	Threads    int    // 0 = computed
	Release    string // the app's release value (migrate, migrate-collectstatic, none); "" when unset
	// GlobalRelease is the global release value: a default, so it ranks
	// below app.json and settings.py, unlike the app's own Release.
	GlobalRelease string
	Strict        bool
	// Verbatim keeps every Procfile line as written in auto mode (the
	// adopt setting false): no catalogued server line is adopted.
	Verbatim bool
	// Daemons is the daemons setting: DaemonsAdd ("" too) writes a
	// Procfile line for each daemon the project declares elsewhere,
	// DaemonsWarn only names it.
	Daemons  string
	Backends map[string]string   // process -> backend
	Args     map[string][]string // process -> extra words
}

// Inputs is everything Plan reads.
type Inputs struct {
	Facts    *facts.Facts // nil when the tree was not scanned
	AppJSON  *Config      // app.json's prodserver section, nil if absent
	Settings *Config      // PRODUCTION_PROCESSES, nil if absent
	Operator Operator
	// Procfile is the app's Procfile as extracted; nil when there is none.
	Procfile []byte
	// Concurrency sizes a process (workers, threads and why) when nothing
	// explicit does; nil means the backend's defaults. threads is an
	// explicit thread count (0 = none), which sizing keeps. It must be pure:
	// the edge builds it from limits it read before planning
	// (tuning.Room.Sizer), so planning reads no disk.
	Concurrency func(proc string, b *backend.Backend, threads int) (workers, threadsOut int, why string)
	// Memory is a process's memory limit in MB (0 = unknown), pure like
	// Concurrency (tuning.Room.MemoryMB); nil renders no memory-sized flag.
	Memory func(proc string) int
	// Scheduler is the app's Dokku scheduler (docker-local, k3s, ...), as
	// the edge read it (dokku.Scheduler); "" is docker-local. On k3s pods
	// get SIGTERM and run on any node, which changes what is rendered.
	Scheduler string
	// StopTimeout is ps's stop-timeout-seconds, read at deploy (0 = Dokku's
	// default, 30), and StopTimeoutFrom the scope that set it; every
	// graceful timeout rendered ends before it (tuning.GracefulTimeout).
	StopTimeout     int
	StopTimeoutFrom string
	// Env holds the app's config values of OperatorEnvKeys that are set
	// (WEB_CONCURRENCY, GUNICORN_CMD_ARGS): the operator's words, which the
	// render respects (operatorenv.go).
	Env map[string]string
}

// Process is one line of the resulting Procfile and how it came to be.
type Process struct {
	Name    string `json:"name"`
	Backend string `json:"backend,omitempty"`
	Source  Source `json:"source"`
	Command string `json:"command"`
	// Managed says prodserver wrote this line; otherwise it is the user's.
	Managed    bool   `json:"managed"`
	Kind       string `json:"kind,omitempty"`
	Singleton  bool   `json:"singleton,omitempty"`
	StopSignal string `json:"stop_signal,omitempty"`
	// Scale is the count a managed non-web process gets when it first
	// appears (0 = leave it to Dokku).
	Scale       int    `json:"scale,omitempty"`
	Workers     int    `json:"workers,omitempty"`
	Threads     int    `json:"threads,omitempty"`
	WorkersFrom string `json:"workers_from,omitempty"`
	ThreadsFrom string `json:"threads_from,omitempty"`
	Note        string `json:"note,omitempty"`
	// Why is the reason detection chose the backend, "" for a process a
	// source declared (its source is the reason).
	Why string `json:"why,omitempty"`
	// Adopted is the user's own Procfile command when prodserver adopted
	// it (a catalogued server's line, re-rendered with the user's flags).
	Adopted string `json:"adopted,omitempty"`
	// App is the Celery app the command names (`--app=`), whoever decided
	// it (detection included), so an export carries what actually ran:
	// django-prodserver's Celery backends need it.
	App string `json:"app,omitempty"`
	// Config is the declaration the command was rendered from.
	Config ProcConfig `json:"config"`
}

// Plan is the decided process set and the Procfile that expresses it.
type Plan struct {
	Processes []Process `json:"processes"`
	// Procfile is the file to write; nil when there is nothing to write.
	Procfile []byte `json:"-"`
	// Changed says Procfile differs from the input.
	Changed  bool     `json:"changed"`
	Warnings []string `json:"warnings,omitempty"`
	// Notices are what the deploy says it did that needs no action: each
	// adopted line, before and after.
	Notices []string `json:"notices,omitempty"`
	// Errors make a deploy fail (strict dependency checks).
	Errors []string `json:"errors,omitempty"`
	// Active is false when prodserver has nothing to do for this app.
	Active bool `json:"active"`
	// Scheduler is the scheduler the plan was made for ("" in old records).
	Scheduler string `json:"scheduler,omitempty"`
	// StopTimeout is the deadline the graceful timeouts were derived from
	// (ps's stop-timeout-seconds) and Graceful the drain time rendered.
	StopTimeout     int    `json:"stop_timeout,omitempty"`
	StopTimeoutFrom string `json:"stop_timeout_from,omitempty"`
	Graceful        int    `json:"graceful_timeout,omitempty"`
}

// Process returns the named process of the plan, or nil.
func (p *Plan) Process(name string) *Process {
	for i := range p.Processes {
		if p.Processes[i].Name == name {
			return &p.Processes[i]
		}
	}
	return nil
}

// candidate is a process prodserver may manage, before rendering.
type candidate struct {
	cfg    ProcConfig
	source Source
	// fill is true for a detected default that only fills a gap: it is
	// managed only when the Procfile has no line of that name (enabled=auto).
	fill bool
	// adopted is the user's Procfile line read as a backend (adopt.go).
	adopted *adopt.Line
	// argsWorkers and argsThreads are counts the operator gave as the
	// backend's own flags in prodserver:args: they replace the rendered
	// count (one flag, not two) and are credited to prodserver:args.
	argsWorkers, argsThreads int
	// warning is said once the candidate renders (release.go).
	warning string
}

// Make decides the plan. It never fails: what cannot be understood becomes
// a warning and the user's Procfile is kept.
func Make(in Inputs) *Plan {
	plan := &Plan{Scheduler: in.Scheduler}
	op := in.Operator
	if op.Enabled == "false" {
		return unchanged(plan, in.Procfile)
	}
	// Parse always returns a readable File; Editable says whether every
	// line is one procfile-util accepts (an empty or comments-only file is
	// editable: prodserver may add the first process).
	pf, _ := procfile.Parse(in.Procfile)
	if err := pf.Editable(); err != nil {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("the Procfile cannot be understood, leaving it untouched: %v", err))
		return unchanged(plan, in.Procfile)
	}

	django := in.Facts != nil && in.Facts.Django
	cands := candidates(in, django)
	if len(cands) == 0 {
		if op.Enabled == "true" {
			// The operator asked for prodserver: silence would hide that
			// nothing was rendered.
			plan.Warnings = append(plan.Warnings, "enabled is true but no Django project was found (no manage.py, Django not declared) and no process is declared; set app-dir to the folder holding manage.py (prodserver:set <app> app-dir PATH), or declare processes with prodserver:backend or app.json's prodserver section")
		}
		return unchanged(plan, in.Procfile)
	}
	plan.Active = true
	plan.StopTimeout, plan.StopTimeoutFrom = in.StopTimeout, in.StopTimeoutFrom
	if plan.StopTimeout <= 0 {
		plan.StopTimeout, plan.StopTimeoutFrom = 30, "default"
	}
	plan.Graceful = tuning.GracefulTimeout(plan.StopTimeout)
	if in.Scheduler == "k3s" {
		plan.Graceful = tuning.GracefulTimeout(PodGrace)
		plan.checkStopTimeout(in)
	}

	managed := map[string]Process{}
	var order []string
	failed := map[string][]string{}
	for _, c := range cands {
		name := c.cfg.Name
		if _, done := managed[name]; done {
			continue
		}
		existing, has := pf.Get(name)
		if c.fill && has && !(name == "web" && runsDevServer(in, existing)) {
			continue
		}
		if name == "web" {
			var dropped []string
			c.cfg.Options, dropped = withoutAddressOptions(c.cfg.Options)
			for _, k := range dropped {
				plan.Warnings = append(plan.Warnings, fmt.Sprintf("web: %s's option %s dropped: Dokku routes the web process to 0.0.0.0:$PORT", c.source, keyText(k)))
			}
			c.cfg.Args, dropped = withoutAddressWords(c.cfg.Args)
			for _, w := range dropped {
				plan.Warnings = append(plan.Warnings, fmt.Sprintf("web: argument %s dropped (from %s or prodserver:args): Dokku routes the web process to 0.0.0.0:$PORT", keyText(w), c.source))
			}
		}
		if withoutCollectstatic(&c.cfg) && c.warning == "" {
			c.warning = releaseWarning(c.source, true)
		}
		p, err := render(in, c)
		if err != nil {
			failed[name] = append(failed[name], fmt.Sprintf("%s (%s): %v", keyText(c.cfg.Backend), c.source, err))
			continue
		}
		if reasons := failed[name]; len(reasons) > 0 {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: %s; using %s from %s instead", name, strings.Join(reasons, "; "), p.Backend, p.Source))
			delete(failed, name)
		}
		if c.fill && has {
			p.Note = "replaced Django's development server (runserver), which must not serve production"
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("web: %s", p.Note))
		}
		if p.Note != "" && !c.fill {
			plan.Warnings = append(plan.Warnings, name+": "+p.Note)
		}
		if c.warning != "" {
			plan.Warnings = append(plan.Warnings, name+": "+c.warning)
		}
		managed[name] = p
		order = append(order, name)
		plan.checkPackages(in, p)
		plan.checkStop(in, p)
		plan.checkEnv(in, p)
		plan.checkGrace(in, p)
	}
	plan.adoptLines(in, pf, managed, &order, failed)
	for _, name := range sortedNames(failed) {
		what := "keeping the Procfile's line"
		if _, has := pf.Get(name); !has {
			what = "leaving it out"
		}
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: %s; %s", name, strings.Join(failed[name], "; "), what))
	}

	taken := map[string]bool{}
	for _, name := range append(pf.Names(), append(order, sortedNames(failed)...)...) {
		taken[name] = true
	}
	declared := plan.addDaemons(in, pf, taken)
	for _, name := range sortedNames(declared) {
		order = append(order, name)
	}

	// The Procfile: managed lines replaced in place, new ones appended, every
	// other byte kept.
	// New lines go in the usual Procfile shape: web first, release last.
	sort.SliceStable(order, func(i, j int) bool { return lineRank(order[i]) < lineRank(order[j]) })
	for _, name := range order {
		p, ok := managed[name]
		if !ok {
			p = declared[name]
		}
		if cur, ok := pf.Get(name); ok && cur == p.Command {
			continue
		}
		if err := pf.Set(name, p.Command); err != nil {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: cannot write the Procfile line: %v", name, err))
			delete(managed, name)
			delete(declared, name)
		}
	}
	names := pf.Names()
	if len(names) > 0 {
		plan.Processes = make([]Process, 0, len(names))
	}
	for _, name := range names {
		if p, ok := managed[name]; ok {
			plan.Processes = append(plan.Processes, p)
			continue
		}
		if p, ok := declared[name]; ok {
			plan.Processes = append(plan.Processes, p)
			continue
		}
		cmd, _ := pf.Get(name)
		plan.Processes = append(plan.Processes, Process{Name: name, Source: SourceProcfile, Command: cmd})
	}
	out := pf.Bytes()
	if len(managed) > 0 || len(declared) > 0 || in.Procfile != nil {
		plan.Procfile = out
	}
	plan.Changed = plan.Procfile != nil && string(plan.Procfile) != string(in.Procfile)
	return plan
}

func unchanged(plan *Plan, data []byte) *Plan {
	plan.Procfile = data
	return plan
}

// runsDevServer tells a Procfile web line that runs Django's development
// server, directly or through a Makefile target (facts.RunsDevServer).
func runsDevServer(in Inputs, cmd string) bool {
	var targets []string
	if in.Facts != nil {
		targets = in.Facts.DevServerTargets
	}
	return facts.RunsDevServer(cmd, targets)
}

// candidates lists the processes prodserver may manage, highest source
// first per name, in a stable order: declared ones in their sources' order,
// then detected defaults (web, worker, beat...), then release.
func candidates(in Inputs, django bool) []candidate {
	// Every source's candidate is kept, highest first per name: Make takes
	// the first that renders, so a backend that cannot render for this app
	// falls back to the next source's instead of losing the process.
	var out []candidate
	seen := map[string]int{}
	add := func(c candidate) {
		if _, ok := seen[c.cfg.Name]; !ok {
			seen[c.cfg.Name] = len(out)
		}
		out = append(out, c)
	}
	op := in.Operator
	declared := map[Source]*Config{SourceAppJSON: in.AppJSON, SourceSettings: in.Settings}
	for _, source := range Precedence {
		switch source {
		case SourceOperator:
			for _, name := range sortedNames(op.Backends) {
				add(candidate{cfg: ProcConfig{Name: name, Backend: op.Backends[name]}, source: SourceOperator})
			}
		case SourceAppJSON, SourceSettings:
			src := declared[source]
			if src == nil {
				continue
			}
			for _, pc := range src.Processes {
				if i, ok := seen[pc.Name]; ok && out[i].source == SourceOperator && out[i].cfg.Backend == pc.Backend {
					// The operator chose the backend this source also
					// names: keep the source's options.
					b := out[i].cfg.Backend
					out[i].cfg = pc
					out[i].cfg.Backend = b
					continue
				}
				add(candidate{cfg: pc, source: src.Source})
			}
		case SourceDetected:
			if django {
				for _, pc := range Detect(in.Facts) {
					add(candidate{cfg: pc, source: SourceDetected, fill: op.Enabled != "true"})
				}
			}
		}
		// SourceGlobal: global settings reach processes through Operator,
		// already resolved below the app's own values (store).
	}
	if release := releaseCandidate(in, django); release != nil {
		add(*release)
	}
	for i := range out {
		if args, ok := op.Args[out[i].cfg.Name]; ok {
			counted := ProcConfig{Backend: out[i].cfg.Backend}
			args = countWords(&counted, args)
			out[i].argsWorkers, out[i].argsThreads = counted.Workers, counted.Threads
			out[i].cfg.Args = append(append([]string(nil), out[i].cfg.Args...), args...)
		}
	}
	return out
}

// releaseCandidate is the release process of a Django app: the first
// `release` value said, in Precedence order (the app's setting, app.json,
// settings.py, the global setting; detection says none), else migrate.
func releaseCandidate(in Inputs, django bool) *candidate {
	if !django {
		return nil
	}
	said := map[Source]string{
		SourceOperator: in.Operator.Release,
		SourceAppJSON:  configRelease(in.AppJSON),
		SourceSettings: configRelease(in.Settings),
		SourceGlobal:   in.Operator.GlobalRelease,
	}
	release, source := ReleaseMigrate, SourceDetected
	for _, s := range Precedence {
		if said[s] != "" {
			release, source = said[s], s
			break
		}
	}
	// Detection's migrate needs a manage.py the image will have: Django
	// declared without one found (a library repo, one deeper than the scan
	// looks) must not get a release line that fails the release phase.
	if source == SourceDetected && in.Operator.AppDir == "" && (in.Facts == nil || in.Facts.ManagePy == "") {
		return nil
	}
	cfg, ok := releaseConfig(release)
	if !ok {
		return nil
	}
	// Only an explicit choice for this app replaces a release line the user
	// wrote; the global setting is a default, as detection is.
	fill := (source == SourceDetected || source == SourceGlobal) && in.Operator.Enabled != "true"
	c := &candidate{cfg: cfg, source: source, fill: fill}
	if release == ReleaseMigrateCollectstatic {
		c.warning = releaseWarning(source, false)
	}
	return c
}

// withoutAddressOptions removes the options that would bind the web
// process away from $PORT (webAddressOptions), whichever source declared
// them: Dokku's proxy and checks reach the web container only there. It
// returns a new slice and the dropped keys.
func withoutAddressOptions(opts []backend.Option) (kept []backend.Option, dropped []string) {
	for _, o := range opts {
		if webAddressOptions[o.Key] {
			dropped = append(dropped, o.Key)
			continue
		}
		kept = append(kept, o)
	}
	return kept, dropped
}

// withoutAddressWords removes address flags (webAddressOptions: --bind=x,
// --bind x, -b x, --port ...) from a web process's extra words, as
// withoutAddressOptions does for typed options: ARGS strings, app.json args
// and prodserver:args must not bind the web process away from $PORT either.
// It returns a new slice and the dropped flags.
func withoutAddressWords(words []string) (kept, dropped []string) {
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") {
			kept = append(kept, w)
			continue
		}
		name, _, joined := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if !webAddressOptions[name] {
			kept = append(kept, w)
			continue
		}
		flag, _, _ := strings.Cut(w, "=")
		dropped = append(dropped, flag) // as written: -b stays -b
		if !joined && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
			i++ // its value
		}
	}
	return kept, dropped
}

// render builds a process's command from its backend and the app's facts.
func render(in Inputs, c candidate) (Process, error) {
	b, err := backend.Lookup(c.cfg.Backend)
	if err != nil {
		return Process{}, err
	}
	// The one kind check, for every source (the command makes the same).
	if err := b.Fits(c.cfg.Name); err != nil {
		return Process{}, err
	}
	ctx := contextFor(in, c.cfg)
	if in.Memory != nil {
		ctx.MemoryMB = in.Memory(c.cfg.Name)
	}
	if c.adopted != nil {
		adoptContext(&ctx, b, c.adopted)
	}
	p := Process{Name: c.cfg.Name, Backend: b.Name, Source: c.source, Managed: true,
		Kind: string(b.Kind), Singleton: b.Singleton, StopSignal: b.StopSignal, Scale: c.cfg.Scale, Config: c.cfg}
	// Explicit counts win, each over its own half only: `workers 8` keeps
	// the threads computed per worker. An explicit thread count is known
	// before sizing, because one thread turns gthread back into sync
	// workers, which are sized differently. An option naming the backend's
	// own count flag (app.json "options": {"threads": 1}, ARGS
	// {"workers": "4"}) is as explicit as the field: it decides the sizing
	// and what processes shows, not only the rendered flag it replaces.
	optWorkers, optThreads := b.Counts(c.cfg.Options)
	threads, threadsFrom := 0, ""
	if b.ThreadsFlag != "" {
		switch {
		case c.argsThreads > 0:
			threads, threadsFrom = c.argsThreads, "prodserver:args"
		case optThreads > 0:
			threads, threadsFrom = optThreads, string(c.source)+" option"
		case c.cfg.Threads > 0:
			threads, threadsFrom = c.cfg.Threads, string(c.source)
		case in.Operator.Threads > 0:
			threads, threadsFrom = in.Operator.Threads, "threads setting"
		}
	}
	if in.Concurrency != nil && sized(b) {
		ctx.Workers, ctx.Threads, p.WorkersFrom = in.Concurrency(c.cfg.Name, b, threads)
		p.ThreadsFrom = p.WorkersFrom
	}
	if threads > 0 {
		ctx.Threads, p.ThreadsFrom = threads, threadsFrom
	}
	switch {
	case c.argsWorkers > 0:
		ctx.Workers, p.WorkersFrom = c.argsWorkers, "prodserver:args"
	case optWorkers > 0:
		ctx.Workers, p.WorkersFrom = optWorkers, string(c.source)+" option"
	case c.cfg.Workers > 0:
		ctx.Workers, p.WorkersFrom = c.cfg.Workers, string(c.source)
	case in.Operator.Workers > 0:
		ctx.Workers, p.WorkersFrom = in.Operator.Workers, "workers setting"
	default:
		// The operator's own WEB_CONCURRENCY wins over sizing (operatorenv.go).
		if n, name, ok := envWorkers(in, b); ok {
			ctx.Workers, p.WorkersFrom = n, name+" (app config)"
		}
	}
	cmdKeys := cmdArgsKeys(in, b)
	if n, err := strconv.Atoi(cmdKeys["workers"]); err == nil && n > 0 {
		ctx.Workers, p.WorkersFrom = n, "GUNICORN_CMD_ARGS (app config)"
	}
	if n, err := strconv.Atoi(cmdKeys["threads"]); err == nil && n > 0 {
		ctx.Threads, p.ThreadsFrom = n, "GUNICORN_CMD_ARGS (app config)"
	}
	if b.Concurrency == backend.ConcurrencySingle && b.WorkersFlag != "" && ctx.Workers > 1 {
		p.Note = fmt.Sprintf("%d workers asked of a backend prodserver runs as one process: %s", ctx.Workers, b.ConcurrencyDoc)
	}
	p.Workers, p.WorkersFrom = shownCount(b.WorkersFlag, ctx.Workers, b.DefaultWorkers, p.WorkersFrom)
	p.Threads, p.ThreadsFrom = shownCount(b.ThreadsFlag, ctx.Threads, b.DefaultThreads, p.ThreadsFrom)
	argv, err := b.Render(ctx)
	if err != nil {
		return Process{}, fmt.Errorf("cannot render %s: %w", b.Name, err)
	}
	argv = respectCmdArgs(cmdKeys, argv)
	if p.Command, err = joinCommand(b, argv); err != nil {
		return Process{}, fmt.Errorf("cannot render %s: %w", b.Name, err)
	}
	if b.Program == "celery" {
		p.App = ctx.CeleryApp
	}
	if c.source == SourceDetected {
		p.Why = detectedWhy(in.Facts, b)
	}
	if ctx.TermOnly && b.StopSignal != "" && b.StopSignal != "SIGTERM" && b.TermForm {
		p.StopSignal = "SIGTERM"
	}
	return p, nil
}

// shownCount is the count a process shows for one of its backend's count
// flags, and where it came from: only counts the command carries, the
// backend's default when nothing set one.
func shownCount(flag string, n, def int, from string) (int, string) {
	switch {
	case flag == "":
		return 0, ""
	case n > 0:
		return n, from
	case def > 0:
		return def, "backend default"
	}
	return 0, ""
}

// sized says whether a backend's concurrency is computed at deploy time;
// single-process, settings-driven and unsized backends keep their default.
func sized(b *backend.Backend) bool {
	switch b.Concurrency {
	case backend.ConcurrencyPrefork, backend.ConcurrencyPreforkThreaded, backend.ConcurrencyAsync, backend.ConcurrencyThreads, backend.ConcurrencyProxied:
		return true
	}
	return false
}

// joinCommand renders argv as a Procfile command. Only a release process,
// which Dokku runs through the app's shell, may chain commands: its argv may
// hold "&&" words, which join safely quoted segments.
func joinCommand(b *backend.Backend, argv []string) (string, error) {
	if b.Kind != backend.KindRelease {
		return procfile.Join(argv)
	}
	var parts []string
	start := 0
	for i := 0; i <= len(argv); i++ {
		if i == len(argv) || argv[i] == "&&" {
			part, err := procfile.Join(argv[start:i])
			if err != nil {
				return "", err
			}
			parts = append(parts, part)
			start = i + 1
		}
	}
	return strings.Join(parts, " && "), nil
}

// contextFor fills a backend.Context from the facts, overridden by the
// operator's settings and the process's own config.
func contextFor(in Inputs, pc ProcConfig) backend.Context {
	ctx := backend.Context{Proc: pc.Name, Options: pc.Options, Args: pc.Args, Graceful: tuning.GracefulTimeout(stopDeadline(in)), TermOnly: in.Scheduler == "k3s"}
	if f := in.Facts; f != nil {
		ctx.ProjectDir, ctx.ManagePy, ctx.Settings = f.ProjectDir, f.ManagePy, f.Settings
		ctx.WSGI, ctx.ASGI, ctx.CeleryApp = f.WSGI, f.ASGI, f.CeleryApp
		ctx.Packages = f.Packages
		ctx.BeatScheduler = f.BeatScheduler
		ctx.UwsgiPlugin = f.UwsgiPlugin
	}
	op := in.Operator
	if op.AppDir != "" {
		ctx.ProjectDir, ctx.ManagePy = op.AppDir, op.AppDir+"/manage.py"
		if op.AppDir == "." {
			ctx.ProjectDir, ctx.ManagePy = "", "manage.py"
		}
	}
	for _, o := range []struct {
		dst *string
		v   string
	}{{&ctx.Settings, op.Settings}, {&ctx.WSGI, op.WSGI}, {&ctx.ASGI, op.ASGI}, {&ctx.CeleryApp, op.CeleryApp}, {&ctx.Python, op.Python}} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	if pc.App != "" {
		ctx.CeleryApp = pc.App
	}
	return ctx
}

// checkStop warns when the scheduler stops a process with a signal its
// backend does not drain on and no rendered form fixes that: scheduler-k3s
// sends every pod SIGTERM (docs/k3s.md), and huey's consumer installs its
// own SIGTERM handler that stops at once.
func (plan *Plan) checkStop(in Inputs, p Process) {
	if in.Scheduler != "k3s" || p.StopSignal == "" || p.StopSignal == "SIGTERM" {
		return
	}
	plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s (%s): scheduler-k3s stops every pod with SIGTERM, on which %s stops at once and loses running tasks (it drains only on %s, and the scheduler has no per-process stop signal); use a backend that drains on SIGTERM, such as celery-worker: dokku prodserver:backend <app> %s celery-worker", p.Name, p.Backend, p.Backend, p.StopSignal, p.Name))
}

// checkPackages warns (or, strict, fails) when a backend's Python package is
// not among the app's declared dependencies, naming the line to add.
func (plan *Plan) checkPackages(in Inputs, p Process) {
	if in.Facts == nil || len(in.Facts.DependencyFiles) == 0 {
		return
	}
	b, err := backend.Lookup(p.Backend)
	if err != nil {
		return
	}
	declared := func(pkg string) bool {
		if _, ok := in.Facts.Packages[pkg]; ok {
			return true
		}
		_, ok := in.Facts.Locked[pkg]
		return ok
	}
	var missing []string
	for _, pkg := range b.Packages {
		if !declared(pkg) {
			missing = append(missing, pkg)
		}
	}
	if len(b.OneOf) > 0 {
		any := false
		for _, pkg := range b.OneOf {
			any = any || declared(pkg)
		}
		if !any {
			missing = append(missing, b.OneOf[0])
		}
	}
	for _, pkg := range missing {
		msg := fmt.Sprintf("%s: backend %s needs the Python package %s, which the app does not declare; add this line to requirements.txt (or your pyproject.toml dependencies): %s", p.Name, b.Name, pkg, pkg)
		if in.Operator.Strict {
			plan.Errors = append(plan.Errors, msg)
		} else {
			plan.Warnings = append(plan.Warnings, msg)
		}
	}
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && procLess(names[j], names[j-1]); j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return names
}

// lineRank puts web first and release last.
func lineRank(name string) int {
	switch name {
	case "web":
		return 0
	case "release":
		return 2
	}
	return 1
}

// procLess orders web first, then alphabetically: the Procfile's usual shape.
func procLess(a, b string) bool {
	if (a == "web") != (b == "web") {
		return a == "web"
	}
	return a < b
}

// WebAddressFlags lists the address flags among words (--bind, --host,
// --port...), so prodserver:args can refuse them for web before storing.
func WebAddressFlags(words []string) []string {
	_, dropped := withoutAddressWords(words)
	return dropped
}
