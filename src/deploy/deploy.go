package deploy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
	"github.com/tidwall/gjson"
)

// TriggerCorePostExtract rewrites the extracted source's Procfile before
// Dokku's ps plugin copies it (plugn runs app-json, then prodserver, then ps)
// and before the image is built. For an app with nothing to manage it
// returns at once, silently, without touching anything. What it cannot
// understand becomes a warning and an untouched Procfile: it never fails a
// deploy it has nothing to do with.
func TriggerCorePostExtract(app, workDir string) error {
	if dokku.ValidateAppName(app) != nil {
		return nil
	}
	in, rec, active, err := gatherInputs(app, workDir)
	if err != nil {
		dokku.LogWarn(fmt.Sprintf("prodserver: %v; leaving the Procfile untouched", err))
		// The previous deploy's plan is not this deploy's: later triggers
		// (--stop-signal, scale) must not act on it.
		store.ForgetDeploy(app)
		return nil
	}
	if !active {
		store.ForgetDeploy(app)
		return nil
	}
	pl := plan.Make(in)
	rec.Plan = pl
	rec.SourceWarnings = append(rec.SourceWarnings, shellLineWarnings(rec.Build, pl, func(k string) bool {
		v, _ := dokku.ConfigGet(app, k)
		return v != ""
	}, rec.Image.releaseWithoutShell())...)
	rec.SourceWarnings = append(rec.SourceWarnings, staticWarnings(readStaticInputs(app, workDir, rec, pl, in.Operator.Python))...)
	// Messages name the app where an operator's command needs it.
	pl.NameApp(app)
	for i, w := range rec.SourceWarnings {
		rec.SourceWarnings[i] = plan.ForApp(w, app)
	}
	if !pl.Active {
		for _, w := range append(rec.SourceWarnings, pl.Warnings...) {
			dokku.LogWarn("prodserver: " + w)
		}
		store.ForgetDeploy(app)
		return nil
	}
	dokku.LogInfo1Quiet("Rendering production processes (prodserver)")
	for _, w := range append(rec.SourceWarnings, pl.Warnings...) {
		dokku.LogWarn("prodserver: " + w)
	}
	if w := rec.room.NoLimitWarning(app, hostSized(pl, rec.fromHost)); w != "" {
		dokku.LogWarn("prodserver: " + w)
	}
	if len(pl.Errors) > 0 {
		for _, e := range pl.Errors {
			dokku.LogFail("prodserver: " + e)
		}
		return fmt.Errorf("prodserver: strict mode: %d problem(s) above; the Procfile was not changed", len(pl.Errors))
	}
	for _, n := range pl.Notices {
		dokku.LogVerboseQuiet("prodserver: " + n)
	}
	if b := rec.Build; b != nil {
		dokku.LogVerboseQuiet(fmt.Sprintf("builder: %s (%s)", b.Builder, b.Reason))
	}
	if s := rec.Image.Summary(); s != "" {
		dokku.LogVerboseQuiet(s)
	}
	if rec.Facts != nil {
		for _, c := range rec.Facts.SettingsChoices {
			dokku.LogVerboseQuiet("settings: " + c)
		}
	}
	if rec.Scheduler != "" {
		dokku.LogVerboseQuiet(fmt.Sprintf("scheduler: %s (%s)", rec.Scheduler, rec.SchedulerFrom))
	}
	for _, p := range pl.Processes {
		for _, l := range logLines(p) {
			dokku.LogVerboseQuiet(l)
		}
	}
	rec.PID = os.Getenv("DOKKU_PID")
	encoded, err := encodeRecord(rec)
	if err != nil {
		dokku.LogWarn(fmt.Sprintf("prodserver: %v; leaving the Procfile untouched", err))
		store.ForgetDeploy(app)
		return nil
	}
	if pl.Changed {
		path, err := insideDir(workDir, rec.ProcfilePath)
		if err != nil {
			dokku.LogWarn(fmt.Sprintf("prodserver: %v; leaving the Procfile untouched", err))
			store.ForgetDeploy(app)
			return nil
		}
		mode := fs.FileMode(0o644)
		if fi, err := os.Stat(path); err == nil {
			mode = fi.Mode().Perm()
		}
		if err := dokku.WriteFileAtomic(path, pl.Procfile, mode); err != nil {
			dokku.LogWarn(fmt.Sprintf("prodserver: %v; leaving the Procfile untouched", err))
			store.ForgetDeploy(app)
			return nil
		}
	}
	for _, w := range append(recreateSingletons(app, workDir, rec.Scheduler, pl), helmArgWarnings(rec, pl)...) {
		dokku.LogWarn("prodserver: " + plan.ForApp(w, app))
	}
	if err := writeRecord(app, encoded); err != nil {
		return fmt.Errorf("prodserver: %w", err)
	}
	return nil
}

// gatherInputs reads everything plan.Make needs. active is false, cheaply,
// when there is nothing to do: no prodserver state, no app.json section and
// not a Django tree.
func gatherInputs(app, workDir string) (plan.Inputs, *Record, bool, error) {
	var in plan.Inputs
	rec := &Record{}
	op, err := Operator(app)
	if err != nil {
		return in, rec, false, err
	}
	if op.Enabled == "false" {
		return in, rec, false, nil
	}

	appJSON, err := readAppJSON(app, workDir)
	if err != nil {
		return in, rec, false, err
	}
	if appJSON != nil {
		rec.Formation = plan.HasFormation(appJSON)
		rec.Autoscaling = plan.Autoscaling(appJSON)
		rec.predeploy = gjson.GetBytes(appJSON, "scripts.dokku.predeploy").String()
		cfg, found, err := plan.AppJSON(appJSON)
		if err != nil {
			return in, rec, false, err
		}
		if found {
			in.AppJSON = cfg
			rec.SourceWarnings = append(rec.SourceWarnings, cfg.Warnings...)
		}
	}
	hasState := dokku.HasState(app)

	// The settings module is known before the one scan starts: the
	// operator's settings-module, else DJANGO_SETTINGS_MODULE in the app's
	// config (which wins over manage.py's default at run time, as Django
	// reads it), else what the scan finds.
	opt := project.Options{AppDir: op.AppDir, SettingsModule: op.Settings}
	if opt.SettingsModule == "" {
		opt.SettingsModule, _ = dokku.ConfigGet(app, "DJANGO_SETTINGS_MODULE")
	}
	// A Dockerfile build runs what the image holds: its ENV
	// DJANGO_SETTINGS_MODULE is the settings module when neither the
	// operator nor the config sets one (the config wins at run time).
	var img *Image
	if fi, err := os.Stat(workDir + "/Dockerfile"); err == nil && fi.Mode().IsRegular() {
		rec.Build = detectBuild(app, workDir)
		var warns []string
		img, warns = readImage(workDir, rec.Build)
		rec.SourceWarnings = append(rec.SourceWarnings, warns...)
		rec.SourceWarnings = append(rec.SourceWarnings, img.readIgnore(workDir)...)
		opt.Excluded = img.excluded()
		if s := img.imageSettings(); s != "" && opt.SettingsModule == "" {
			opt.SettingsModule, img.Settings = s, s
		}
		opt.Installed = img.installed(workDir, treeIsDir(workDir))
	}
	// The variables settings read to choose a module (DJANGO_ENV): the
	// app's config wins over the image's ENV, as at run time.
	opt.Getenv = func(name string) (string, string, bool) {
		if v, ok := dokku.ConfigGet(app, name); ok {
			return v, "app config", true
		}
		if img != nil && img.Facts != nil {
			if v, ok := img.Facts.Env[name]; ok {
				return v, img.Dockerfile + " ENV", true
			}
		}
		return "", "", false
	}
	facts, err := project.Scan(workDir, opt)
	if err != nil {
		return in, rec, false, fmt.Errorf("reading the source tree: %w", err)
	}
	if !facts.Django && in.AppJSON == nil && !hasState {
		if facts.ManagePy != "" {
			// A manage.py, but Django not found: say why when a file
			// could not be read (a FIFO requirements.txt), rather than
			// staying silent about a Django app.
			for _, w := range facts.Warnings {
				dokku.LogWarn("prodserver: " + plan.ForApp(w, app) + "; Django is not declared in what could be read, so prodserver manages nothing in this deploy")
			}
		}
		return in, rec, false, nil
	}
	in.Facts = facts
	rec.Facts = facts
	if rec.Build == nil {
		rec.Build = detectBuild(app, workDir)
		var warns []string
		img, warns = readImage(workDir, rec.Build) // builder:set dockerfile, dockerfile-path
		rec.SourceWarnings = append(rec.SourceWarnings, warns...)
	}
	rec.SourceWarnings = append(rec.SourceWarnings, facts.Warnings...)
	rec.SourceWarnings = append(rec.SourceWarnings, applyImage(img, facts, op.AppDir, treeIsDir(workDir))...)
	rec.Image = img
	if facts.ProductionProcessesFound {
		if facts.ProductionProcessesErr != nil {
			rec.SourceWarnings = append(rec.SourceWarnings, fmt.Sprintf("PRODUCTION_PROCESSES in settings is not a plain literal (%v); detecting processes instead", facts.ProductionProcessesErr))
		} else {
			cfg, warns, err := plan.ProductionProcesses(facts.ProductionProcesses)
			rec.SourceWarnings = append(rec.SourceWarnings, warns...)
			if err != nil {
				rec.SourceWarnings = append(rec.SourceWarnings, fmt.Sprintf("%v; detecting processes instead", err))
			} else {
				in.Settings = cfg
			}
		}
	}
	if op.Python == "" && rec.Build != nil && rec.Build.Builder == "dockerfile" {
		// Debian's and Ubuntu's python3 package installs no `python`
		// (that is python-is-python3), so on a real Dokku host the release
		// line `python manage.py migrate` failed with "python: command not
		// found". Every Linux Python image answers to python3: the
		// official python images, venvs, apt's and apk's packages.
		op.Python = dockerfilePython
	}
	in.Operator = op
	if rec.ProcfilePath, err = procfilePath(app); err != nil {
		return in, rec, false, err
	}
	path, err := insideDir(workDir, rec.ProcfilePath)
	if err != nil {
		return in, rec, false, err
	}
	data, err := safefile.Read(path, MaxProcfile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return in, rec, false, fmt.Errorf("%s %w", dokku.Printable(rec.ProcfilePath), err)
	default:
		in.Procfile = data
		rec.SetProcfile(data)
	}
	rec.room, rec.fromHost = ReadRoom(app), map[string]string{}
	in.Concurrency, in.Memory = rec.room.RecordingSizer(rec.fromHost), rec.room.MemoryMB
	if rec.Scheduler, rec.SchedulerFrom, err = dokku.Scheduler(app); err != nil {
		rec.SourceWarnings = append(rec.SourceWarnings, fmt.Sprintf("%v; assuming %s", err, rec.Scheduler))
	}
	in.Scheduler = rec.Scheduler
	rec.SourceWarnings = append(rec.SourceWarnings, startCmdWarnings(app, rec)...)
	in.StopTimeout, in.StopTimeoutFrom = ReadStopTimeout(app, &rec.SourceWarnings)
	in.Env = ReadOperatorEnv(app)
	rec.AppJSON, rec.Settings = in.AppJSON, in.Settings
	return in, rec, true, nil
}

// dockerfilePython is the interpreter a Dockerfile build's lines run when
// the operator's python setting is left at its default.
const dockerfilePython = "python3"

// readStaticInputs gathers staticWarnings' inputs for this deploy.
func readStaticInputs(app, workDir string, rec *Record, pl *plan.Plan, python string) staticInputs {
	in := staticInputs{facts: rec.Facts, predeploy: rec.predeploy, python: python}
	if rec.Facts == nil || rec.Facts.StaticRootFile == "" || rec.Facts.StaticRemote {
		return in // nothing to decide: read no more
	}
	if rec.Build != nil {
		in.builder = rec.Build.Builder
	}
	if im := rec.Image; im != nil && im.Facts != nil {
		in.dockerfile, in.finalRuns = im.Dockerfile, im.Facts.FinalRuns()
	}
	in.disabled, _ = dokku.ConfigGet(app, "DISABLE_COLLECTSTATIC")
	if fi, err := os.Lstat(filepath.Join(workDir, ".heroku", "collectstatic_disabled")); err == nil && !fi.IsDir() {
		in.disabledFile = true
	}
	if r := pl.Process("release"); r != nil {
		in.release = r.Command
	}
	return in
}

// ReadOperatorEnv reads the app's config values of plan.OperatorEnvKeys
// that are set (app, then global, as config-get answers); nil when none is.
func ReadOperatorEnv(app string) map[string]string {
	var env map[string]string
	for _, k := range plan.OperatorEnvKeys {
		if v, ok := dokku.ConfigGet(app, k); ok {
			if env == nil {
				env = map[string]string{}
			}
			env[k] = v
		}
	}
	return env
}

// readAppJSON reads the app.json app-json copied for this deploy (which
// honours its appjson-path property), else the one in the source root.
func readAppJSON(app, workDir string) ([]byte, error) {
	var paths []string
	if copied := store.AppJSONCopy(app); copied != "" {
		paths = append(paths, copied)
	}
	local, err := insideDir(workDir, "app.json")
	if err != nil {
		return nil, err
	}
	paths = append(paths, local)
	for _, p := range paths {
		b, err := safefile.Read(p, store.MaxAppJSON)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("app.json %w", err)
		}
		return b, nil
	}
	return nil, nil
}

// procfilePath is ps's procfile-path property (app, then global, then
// "Procfile"). ps-get-property does not serve it, so it is read from ps's
// property files, as Dokku's own plugins do with common.PropertyGet.
// A property file prodserver cannot read (a FIFO, past its bound) is an
// error, not the default: the Procfile Dokku uses could be another one.
func procfilePath(app string) (string, error) {
	for _, scope := range []string{app, dokku.GlobalApp} {
		v, err := dokku.PsProperty(scope, "procfile-path", "")
		if err != nil {
			return "", err
		}
		if p := strings.Trim(strings.TrimSpace(v), "/"); p != "" {
			return p, nil
		}
	}
	return "Procfile", nil
}

// MaxProcfile is the largest Procfile prodserver reads (documented in the
// README); past it the deploy warns and leaves the Procfile untouched.
const MaxProcfile = 4 << 20

// insideDir joins rel to dir, resolving every parent (a symlinked folder
// from the app's repository must not lead the read, or the rewrite, out of
// the tree, even when the Procfile does not exist yet).
func insideDir(dir, rel string) (string, error) {
	p, err := safefile.Inside(dir, rel)
	if err != nil {
		return "", fmt.Errorf("procfile-path %s %w", dokku.Printable(rel), err)
	}
	return p, nil
}

// ReadStopTimeout reads ps's stop-timeout-seconds (app, global, default
// 30), which the rendered graceful timeouts must end before; a value Dokku
// cannot use becomes a warning and the default.
func ReadStopTimeout(app string, warnings *[]string) (int, string) {
	n, from, err := dokku.StopTimeout(app)
	if err != nil && warnings != nil {
		*warnings = append(*warnings, err.Error())
	}
	return n, from
}

// logLines are the deploy log's lines for one process: a managed one says
// its backend, who decided it and why (the plan's note), then the command
// written; a user's line says it was kept as written.
func logLines(p plan.Process) []string {
	if p.Source == plan.SourceDeclared {
		return []string{fmt.Sprintf("%s: added (%s, scale it to run it): %s", p.Name, p.Note, p.Command)}
	}
	if !p.Managed {
		return []string{fmt.Sprintf("%s: kept (your Procfile line): %s", p.Name, p.Command)}
	}
	head := fmt.Sprintf("%s: %s (decided by %s)", p.Name, p.Backend, p.Source)
	if p.Why != "" {
		head = fmt.Sprintf("%s: %s (decided by %s: %s)", p.Name, p.Backend, p.Source, p.Why)
	}
	if p.Note != "" {
		head += "; " + p.Note
	}
	return []string{head, "  " + p.Name + ": " + p.Command}
}

// startCmdWarnings warns when ps's start-cmd or dockerfile-start-cmd (app
// properties, no global value in Dokku) replaces the rendered lines for this
// deploy's scheduler and builder (plan.StartCmdWarnings has the table); an
// inert one is only logged.
func startCmdWarnings(app string, rec *Record) []string {
	if rec.Build == nil {
		return nil
	}
	start, err1 := dokku.PsProperty(app, "start-cmd", "")
	docker, err2 := dokku.PsProperty(app, "dockerfile-start-cmd", "")
	if err := errors.Join(err1, err2); err != nil {
		return []string{err.Error()}
	}
	warns, notes := plan.StartCmdWarnings(rec.Scheduler, rec.Build.Builder, strings.TrimSpace(start), strings.TrimSpace(docker))
	for _, n := range notes {
		dokku.LogVerboseQuiet(n)
	}
	for i, w := range warns {
		warns[i] = strings.Replace(w, "<app>", app, 1)
	}
	return warns
}
