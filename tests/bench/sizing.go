package main

import (
	"fmt"
	"runtime"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// gunicornSizing is the "sizing" part: the gunicorn default against the
// sweep points that beat it in an earlier run (fewer processes, fewer
// threads), direct and through Dokku's nginx, each compared round by
// round with the default (the rounds of one group interleave, so round i
// of two configs ran minutes apart at most). It answers one question:
// does the sizing rule (cores + 1 processes × 8 threads) lose behind the
// proxy, or did the sweep's best-of-many only look better?
func gunicornSizing(t *harness.Standalone, wrkTime time.Duration, rounds int) {
	const part = "gunicorn sizing, paired"
	h, _, syncSrc, env := benchApps(t)
	cores, th := runtime.NumCPU(), tuning.ThreadsPerWorker
	h.CreateApp("sync")
	dokku(t, h, "prodserver:backend", "sync", "web", "gunicorn", "--skip-deploy")
	views := []view{ioView, cpuView}
	def := (&config{group: "S", label: "gunicorn render", line: deployWith(t, h, "sync", syncSrc, 0, 0)}).on(views, direct, nginx)
	cfgs := []*config{def}
	for _, pt := range []point{{cores, th}, {cores + 1, th / 2}, {cores, th / 2}} {
		cfgs = append(cfgs, (&config{group: "S", label: pt.String(), line: deployWith(t, h, "sync", syncSrc, pt.workers, pt.threads)}).on(views, direct, nginx))
	}
	measureGroup(t, syncSrc, env, cfgs, rounds, wrkTime)
	for _, w := range []via{direct, nginx} {
		for _, v := range views {
			for _, c := range cfgs[1:] {
				pv := judgePair(pairedRatios(def.at(v, w).runs, c.at(v, w).runs, false), atLeast(0.95))
				recordPair(part, fmt.Sprintf("gunicorn render vs %s, %s view, %s", c.label, v.name, w.name), pv.String(), "≥ 0.95×", pv.met, pairCheck{def, c, v, w, false, atLeast(0.95)})
			}
		}
	}
	recheck(t, syncSrc, env, pairRounds(rounds), wrkTime)
}
