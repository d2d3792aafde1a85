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
// proxy, or did the sweep's best-of-many only look better? Then the same
// for standalone uvicorn behind nginx without proxy-keepalive.
func gunicornSizing(t *harness.Standalone, wrkTime time.Duration, rounds int) {
	const part = "gunicorn sizing, paired"
	h, src, syncSrc, env := benchApps(t)
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

	// uvicorn on the app with async views, through nginx without
	// proxy-keepalive (a new connection per request): the render (one per
	// core) against half and twice as many processes.
	h.CreateApp("tp")
	dokku(t, h, "prodserver:backend", "tp", "web", "uvicorn", "--skip-deploy")
	uviews := []view{asyncView, cpuView}
	uv := (&config{group: "U", label: "uvicorn render", line: deployWith(t, h, "tp", src, 0, 0)}).on(uviews, nginx)
	ucfgs := []*config{uv}
	for _, n := range []int{1, 2 * cores} {
		if n == cores {
			continue
		}
		ucfgs = append(ucfgs, (&config{group: "U", label: point{n, 0}.String(), line: deployWith(t, h, "tp", src, n, 0)}).on(uviews, nginx))
	}
	measureGroup(t, src, env, ucfgs, rounds, wrkTime)
	for _, v := range uviews {
		for _, c := range ucfgs[1:] {
			pv := judgePair(pairedRatios(uv.at(v, nginx).runs, c.at(v, nginx).runs, false), atLeast(0.95))
			recordPair(part, fmt.Sprintf("uvicorn render vs %s, %s view, nginx", c.label, v.name), pv.String(), "≥ 0.95×", pv.met, pairCheck{uv, c, v, nginx, false, atLeast(0.95)})
		}
	}
	recheck(t, src, env, pairRounds(rounds), wrkTime)
}
