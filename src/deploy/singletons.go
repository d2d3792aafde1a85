package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
)

// StopFirstSetting is the prodserver:set key that opts out.
const StopFirstSetting = "singleton-stop-first"

// stopSingletonsFirst keeps a docker-local deploy from running a singleton
// (celery beat) twice: it adds the singleton's process type to the checks
// plugin's `disabled` property, which scheduler-docker-local's
// scheduler-deploy-process reads when it deploys that type, later in the
// same deploy, and then stops the running containers before starting the
// new one (plugins/scheduler-docker-local/bin/scheduler-deploy-process,
// v0.38.27). It runs in post-release-builder, the last trigger before
// scheduler-deploy. What prodserver added is kept in store.StopFirstPath,
// so a deploy without the singleton, with the opt-out, on another
// scheduler or managed by nobody removes exactly that; the operator's own
// entries (and `_all_`) are never changed. rec is this deploy's record, nil
// when prodserver manages nothing in it. Problems are warnings: this never
// fails a deploy.
func stopSingletonsFirst(app string, rec *Record) {
	claimPath := store.StopFirstPath(app)
	claimed, err := dokku.ReadLines(claimPath)
	if err != nil {
		dokku.LogWarn("prodserver: " + err.Error())
		return
	}
	want, why, known := stopFirstWanted(app, rec)
	if !known || len(want) == 0 && len(claimed) == 0 {
		return
	}
	current, err := dokku.ChecksDisabled(app)
	if err != nil {
		dokku.LogWarn(fmt.Sprintf("prodserver: %v (%s); singletons are not stopped first (fix or remove that file, or run dokku checks:disable %s PROC)", err, filepath.Join(dokku.LibRoot(), "config", "checks", app, "disabled"), app))
		return
	}
	sf := plan.ReconcileStopFirst(current, claimed, want)
	if sf.Write {
		// Claim before adding, release after removing: a crash between
		// the two writes leaves a claim with nothing behind it (harmless),
		// never an entry of prodserver's that looks like the operator's.
		if err := dokku.WriteLines(claimPath, union(claimed, sf.Added)); err != nil {
			dokku.LogWarn(fmt.Sprintf("prodserver: %v; the checks property disabled is left as it is", err))
			return
		}
		if err := dokku.WriteChecksDisabled(app, sf.Value); err != nil {
			dokku.LogWarn(fmt.Sprintf("prodserver: %v; singletons may run twice during this deploy", err))
			return
		}
	}
	if !slices.Equal(claimed, sf.Claimed) || sf.Write {
		if err := dokku.WriteLines(claimPath, sf.Claimed); err != nil {
			dokku.LogWarn("prodserver: " + err.Error())
		}
	}
	if len(sf.Removed) > 0 {
		// A change to the operator's checks settings is said even with
		// --quiet (dokku_log_info1, not _quiet).
		dokku.LogInfo1(fmt.Sprintf("Zero downtime is back on for %s (prodserver had added it to checks:disable; %s)", strings.Join(sf.Removed, ", "), why))
	}
	if ours := sf.Claimed; len(ours) > 0 {
		verb := "keeps it in"
		if len(sf.Added) > 0 {
			verb = "added it to"
		}
		log := dokku.LogInfo1Quiet
		if len(sf.Added) > 0 {
			log = dokku.LogInfo1
		}
		log(fmt.Sprintf("%s: old container stops before the new one starts, so it never runs twice (prodserver %s checks:disable); to keep zero downtime: dokku prodserver:set %s %s false", strings.Join(ours, ", "), verb, app, StopFirstSetting))
	}
	if len(sf.Yours) > 0 {
		dokku.LogVerboseQuiet(fmt.Sprintf("%s: zero downtime is off by your checks:disable, so it never runs twice", strings.Join(sf.Yours, ", ")))
	}
}

// stopFirstWanted are the processes this deploy must stop first, and, when
// there are none, why (for the line that says what was undone). known is
// false when the opt-out cannot be read: then nothing is changed.
func stopFirstWanted(app string, rec *Record) (procs []string, why string, known bool) {
	if rec == nil || rec.Plan == nil {
		return nil, "prodserver manages nothing in this deploy", true
	}
	procs = rec.Plan.StopFirstProcs()
	if len(procs) == 0 {
		return nil, "no singleton in this deploy", true
	}
	switch rec.Scheduler {
	case "", dokku.DefaultScheduler:
	case "k3s":
		// plan.Kustomization's Recreate strategy does it there.
		return nil, "scheduler-k3s replaces singletons instead", true
	case "null":
		return nil, "scheduler null runs no containers", true
	default:
		dokku.LogWarn(fmt.Sprintf("prodserver: %s may run twice during a deploy: prodserver stops singletons first on scheduler-docker-local (checks:disable) and scheduler-k3s (Recreate) only, not on %s", strings.Join(procs, ", "), dokku.Printable(rec.Scheduler)))
		return nil, "scheduler " + dokku.Printable(rec.Scheduler) + " does not read checks:disable", true
	}
	if r, err := store.Resolve(app, StopFirstSetting); err != nil {
		dokku.LogWarn(fmt.Sprintf("prodserver: %v; the checks property disabled is left as it is", err))
		return nil, "", false
	} else if r.Computed == "false" {
		dokku.LogVerboseQuiet(fmt.Sprintf("%s: runs twice for a while during each deploy (zero downtime kept: %s false)", strings.Join(procs, ", "), StopFirstSetting))
		return nil, StopFirstSetting + " false", true
	}
	return procs, "", true
}

// thisDeploy is the record of the deploy running now (DOKKU_PID), nil when
// prodserver manages nothing in it; ok is false when the record is an
// earlier deploy's (core-post-extract did not run for prodserver in this
// one), so nothing can be said about this deploy's processes.
func thisDeploy(rec *Record) (cur *Record, ok bool) {
	if rec == nil || rec.Plan == nil {
		return nil, true
	}
	if rec.PID != os.Getenv("DOKKU_PID") {
		return nil, false
	}
	return rec, true
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// StopFirstStatus says, for prodserver:processes, how each singleton of pl
// deploys on scheduler-docker-local: stopped before its new container
// starts (by prodserver's or the operator's checks:disable), not yet (the
// next deploy adds it), or with zero downtime (the opt-out). It is empty
// on other schedulers (scheduler-k3s's Recreate is shown by the deploy).
func StopFirstStatus(app string, pl *plan.Plan) map[string]string {
	procs := pl.StopFirstProcs()
	if len(procs) == 0 || pl.Scheduler != "" && pl.Scheduler != dokku.DefaultScheduler {
		return nil
	}
	out := map[string]string{}
	if r, err := store.Resolve(app, StopFirstSetting); err == nil && r.Computed == "false" {
		for _, p := range procs {
			out[p] = "no: zero downtime, old and new overlap (" + StopFirstSetting + " false)"
		}
		return out
	}
	claimed, _ := dokku.ReadLines(store.StopFirstPath(app))
	current, err := dokku.ChecksDisabled(app)
	if err != nil {
		for _, p := range procs {
			out[p] = "unknown: " + err.Error()
		}
		return out
	}
	l := plan.ParseChecksList(current)
	for _, p := range procs {
		switch {
		case l.Has(p) && slices.Contains(claimed, p) && !l.All:
			out[p] = "yes: prodserver's checks:disable"
		case l.Has(p):
			out[p] = "yes: your checks:disable"
		default:
			out[p] = "at the next deploy (prodserver adds it to checks:disable)"
		}
	}
	return out
}
