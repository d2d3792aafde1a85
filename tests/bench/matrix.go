package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// syncOnly turns a copy of the example app into one whose views are all
// sync: the async views and their routes removed, and daphne (which makes
// detection choose ASGI on its own) dropped from requirements.txt. It
// keeps ASGI_APPLICATION, proj/asgi.py and uvicorn declared: the app
// detection used to serve with gunicorn + uvicorn workers.
func syncOnly(t *harness.Standalone, src string) {
	views := filepath.Join(src, "shop", "views.py")
	b, err := os.ReadFile(views)
	must(t, err)
	var out []string
	skip := false
	for _, l := range strings.Split(string(b), "\n") {
		top := l != "" && l[0] != ' ' && l[0] != '\t'
		if top {
			skip = strings.HasPrefix(l, "async def ")
		}
		if !skip {
			out = append(out, l)
		}
	}
	must(t, os.WriteFile(views, []byte(strings.Join(out, "\n")), 0o644))
	drop := func(file string, re *regexp.Regexp) {
		b, err := os.ReadFile(file)
		must(t, err)
		var keep []string
		for _, l := range strings.Split(string(b), "\n") {
			if !re.MatchString(l) {
				keep = append(keep, l)
			}
		}
		must(t, os.WriteFile(file, []byte(strings.Join(keep, "\n")), 0o644))
	}
	drop(filepath.Join(src, "proj", "urls.py"), regexp.MustCompile(`views\.async_`))
	drop(filepath.Join(src, "requirements.txt"), regexp.MustCompile(`^daphne`))
}

// benchApps makes the two copies of the example app the servers load (src:
// as it is, with async views; syncSrc: all-sync) and one migrated sqlite
// database, and returns a harness host with env for the servers.
func benchApps(t *harness.Standalone) (h *harness.Host, src, syncSrc string, env []string) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Fatal("wrk is not installed (make deps installs it)")
	}
	h = harness.New(t)
	app, err := os.MkdirTemp("", "prodserver-bench-app-")
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(app) })
	src = filepath.Join(app, "src")
	copyTree(t, fixture(), src)
	syncSrc = filepath.Join(app, "sync")
	copyTree(t, fixture(), syncSrc)
	syncOnly(t, syncSrc)
	// The host's uwsgi is Debian's, modular: an Aptfile naming its Python
	// plugin is how an app says so, and the render then loads it.
	must(t, os.WriteFile(filepath.Join(syncSrc, "Aptfile"), []byte("uwsgi\nuwsgi-plugin-python3\n"), 0o644))
	env = []string{"DATABASE_PATH=" + filepath.Join(app, "db.sqlite3"), "SECRET_KEY=bench", "DJANGO_SETTINGS_MODULE=proj.settings"}
	migrate := exec.Command(lookPath("python3"), "manage.py", "migrate", "--noinput")
	migrate.Dir, migrate.Env = src, append([]string{"PATH=" + containerPath}, env...)
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	return h, src, syncSrc, env
}

// deployWith renders app's web line with the operator's workers and
// threads settings (0 leaves one unset, sized as the render's is).
func deployWith(t *harness.Standalone, h *harness.Host, name, dir string, workers, threads int) string {
	for key, n := range map[string]int{"workers": workers, "threads": threads} {
		if n == 0 {
			dokku(t, h, "prodserver:set", name, key)
		} else {
			dokku(t, h, "prodserver:set", name, key, strconv.Itoa(n))
		}
	}
	return rendered(t, h, name, dir)
}

// throughput is part 3: every server of the catalogue's web matrix, on
// the example app's views, straight and through Dokku's nginx, with the
// targets of issue 17 checked as ratios within one group (one group's
// configs are measured interleaved, so they share the machine's moods).
func throughput(t *harness.Standalone, wrkTime time.Duration, rounds int) {
	const part = "Served throughput"
	h, src, syncSrc, env := benchApps(t)
	cores, th := runtime.NumCPU(), tuning.ThreadsPerWorker

	deploy := func(name, dir string, workers, threads int) string {
		return deployWith(t, h, name, dir, workers, threads)
	}
	// sweep renders each point; a point whose line is def's own is def,
	// measured once and counted in the sweep.
	sweep := func(name, dir, group string, def *config, points []point, views []view, vias ...via) []*config {
		var cfgs []*config
		for _, pt := range points {
			line := deploy(name, dir, pt.workers, pt.threads)
			if line == def.line {
				def.label += " = " + pt.String()
				continue
			}
			cfgs = append(cfgs, (&config{group: group, label: pt.String(), line: line}).on(views, vias...))
		}
		deploy(name, dir, 0, 0)
		return cfgs
	}

	// A. WSGI, on the all-sync app: what detection renders for it, the
	// gunicorn sweep, the other WSGI servers, and gunicorn + uvicorn
	// workers (what detection rendered before it read the views).
	fmt.Println("       A. an app whose views are all sync (ASGI_APPLICATION set, uvicorn declared)")
	h.CreateApp("sync")
	detected := rendered(t, h, "sync", syncSrc)
	wsgiViews := []view{ioView, cpuView}
	const gA = "A"
	def := (&config{group: gA, label: "prodserver (detected)", line: detected}).on(append(wsgiViews, slowView), direct, nginx)
	naive := (&config{group: gA, label: "naive `gunicorn proj.wsgi`", line: "gunicorn proj.wsgi"}).on([]view{ioView}, direct, nginx)
	record(part, "all-sync app: detection renders gunicorn gthread", fmt.Sprintf("`%s`", detected), "gunicorn --threads", strings.HasPrefix(detected, "gunicorn ") && strings.Contains(detected, "--threads=") && !strings.Contains(detected, "worker-class"))
	dokku(t, h, "prodserver:backend", "sync", "web", "gunicorn", "--skip-deploy")
	gsweep := sweep("sync", syncSrc, gA, def, []point{
		{2, th}, {cores + 1, th}, {2*cores + 1, th}, {4 * cores, th},
		{cores + 1, 1}, {cores + 1, th / 2}, {cores + 1, 2 * th},
		{2*cores + 1, 1}, {2*cores + 1, th / 2},
	}, wsgiViews, direct, nginx)
	var threads4 *config
	for _, c := range gsweep {
		if c.label == (point{cores + 1, th / 2}).String() {
			threads4 = c
		}
	}
	nocap := (&config{group: gA, label: "default without --worker-connections", line: regexp.MustCompile(` --worker-connections=\d+`).ReplaceAllString(def.line, "")}).on(wsgiViews, direct, nginx)
	dokku(t, h, "prodserver:backend", "sync", "web", "gunicorn-uvicorn", "--skip-deploy")
	guv := (&config{group: gA, label: "gunicorn + uvicorn workers (the old detection)", line: deploy("sync", syncSrc, 0, 0)}).on(append(wsgiViews, slowView), direct, nginx)
	dokku(t, h, "prodserver:backend", "sync", "web", "uwsgi", "--skip-deploy")
	uwsgiDef := (&config{group: gA, label: "uWSGI render (Heroku's formula)", line: deploy("sync", syncSrc, 0, 0)}).on(append(wsgiViews, slowView), direct, nginx)
	record(part, "uWSGI render loads the Aptfile's Python plugin", fmt.Sprintf("`%s`", uwsgiDef.line), "uwsgi --plugin=python3 first", strings.HasPrefix(uwsgiDef.line, "uwsgi --plugin=python3 "))
	uwsgiThreads := (&config{group: gA, label: fmt.Sprintf("uWSGI %d×%d threads", cores+1, th), line: deploy("sync", syncSrc, cores+1, th)}).on(wsgiViews, direct, nginx)
	deploy("sync", syncSrc, 0, 0)
	dokku(t, h, "prodserver:backend", "sync", "web", "waitress", "--skip-deploy")
	waitress := (&config{group: gA, label: "waitress render", line: deploy("sync", syncSrc, 0, 0)}).on(append(wsgiViews, slowView), direct, nginx)
	gunicorns := append([]*config{def, nocap}, gsweep...)
	groupA := append(append([]*config{naive}, gunicorns...), guv, uwsgiDef, uwsgiThreads, waitress)
	measureGroup(t, syncSrc, env, groupA, rounds, wrkTime)

	for _, w := range []via{direct, nginx} {
		for _, v := range wsgiViews {
			b := best(gunicorns, v, w)
			r := def.at(v, w).rps() / b.at(v, w).rps()
			recordPair(part, fmt.Sprintf("gunicorn default vs best of its sweep, %s view, %s", v.name, w.name), fmt.Sprintf("%.2f× (%.0f vs %.0f req/s, best: %s)", r, def.at(v, w).rps(), b.at(v, w).rps(), b.label), "≥ 0.95×", r >= 0.95, pairCheck{def, b, v, w, false, atLeast(0.95)})
			p := def.at(v, w).p99() / b.at(v, w).p99()
			recordPair(part, fmt.Sprintf("gunicorn default p99 vs the best's, %s view, %s", v.name, w.name), fmt.Sprintf("%.2f× (%.1f vs %.1f ms)", p, def.at(v, w).p99(), b.at(v, w).p99()), "≤ 1.2×", p <= 1.2, pairCheck{def, b, v, w, true, atMost(1.2)})
		}
		r := def.at(ioView, w).rps() / naive.at(ioView, w).rps()
		recordPair(part, fmt.Sprintf("gunicorn default vs naive, I/O view, %s", w.name), fmt.Sprintf("%.2f× (%.0f vs %.0f req/s)", r, def.at(ioView, w).rps(), naive.at(ioView, w).rps()), "≥ 2×", r >= 2, pairCheck{def, naive, ioView, w, false, atLeast(2)})
		for _, v := range []view{ioView, cpuView, slowView} {
			r := def.at(v, w).rps() / guv.at(v, w).rps()
			recordPair(part, fmt.Sprintf("all-sync app: detected gthread vs gunicorn + uvicorn workers, %s view, %s", v.name, w.name), fmt.Sprintf("%.2f× (%.0f vs %.0f req/s)", r, def.at(v, w).rps(), guv.at(v, w).rps()), "≥ 1.0× (detection chose the faster)", r >= 1.0, pairCheck{def, guv, v, w, false, atLeast(1.0)})
		}
	}
	// The worker-connections cap must not starve a burst: no request of
	// any round of the default or of `threads 4` may time out at -c32.
	for _, c := range []*config{def, threads4} {
		if c == nil {
			continue
		}
		to, errs := 0, 0
		for _, cl := range c.cells {
			a, b := cl.failures()
			to, errs = to+a, errs+b
		}
		record(part, fmt.Sprintf("wrk -c32 timeouts and errors, every round and view: %s", c.label), fmt.Sprintf("%d timeouts, %d errors (`%s`)", to, errs, c.line), "0", to+errs == 0)
	}
	recheck(t, syncSrc, env, pairRounds(rounds), wrkTime)

	// B. ASGI, on the example app (async views): uvicorn at 1, cores and
	// 2 × cores workers, gunicorn + uvicorn workers, hypercorn; through
	// nginx with and without proxy-keepalive.
	fmt.Println("       B. an app with async views")
	h.CreateApp("tp")
	asgiViews := []view{asyncView, cpuView}
	const gB = "B"
	dokku(t, h, "prodserver:backend", "tp", "web", "uvicorn", "--skip-deploy")
	uvDef := (&config{group: gB, label: "uvicorn render", line: rendered(t, h, "tp", src)}).on(asgiViews, direct, nginx, nginxKeep16)
	uvDef.on([]view{asyncSlowView}, nginx)
	uvicorns := append([]*config{uvDef}, sweep("tp", src, gB, uvDef, []point{{1, 0}, {cores, 0}, {2 * cores, 0}}, asgiViews, direct, nginx, nginxKeep16)...)
	// The render with proxy-keepalive set, when it differs.
	setProxyKeepalive(t, h, "tp", 16)
	uvKeepLine := rendered(t, h, "tp", src)
	setProxyKeepalive(t, h, "tp", 0)
	var uvKeep *config
	for _, c := range uvicorns {
		if c.line == uvKeepLine {
			uvKeep = c
		}
	}
	if uvKeep == nil {
		uvKeep = (&config{group: gB, label: "uvicorn render with proxy-keepalive", line: uvKeepLine}).on(asgiViews, direct, nginx, nginxKeep16)
		uvicorns = append(uvicorns, uvKeep)
	}
	dokku(t, h, "prodserver:backend", "tp", "web", "gunicorn-uvicorn", "--skip-deploy")
	guvDef := (&config{group: gB, label: "gunicorn + uvicorn workers render", line: rendered(t, h, "tp", src)}).on(asgiViews, direct, nginx)
	guvDef.on([]view{asyncSlowView}, nginx)
	guvs := append([]*config{guvDef}, sweep("tp", src, gB, guvDef, []point{{cores, 0}, {cores + 1, 0}, {2 * cores, 0}}, asgiViews, direct, nginx)...)
	dokku(t, h, "prodserver:backend", "tp", "web", "hypercorn", "--skip-deploy")
	hyper := (&config{group: gB, label: "hypercorn render", line: rendered(t, h, "tp", src)}).on(asgiViews, direct, nginx)
	groupB := append(append(append([]*config{}, uvicorns...), guvs...), hyper)
	measureGroup(t, src, env, groupB, rounds, wrkTime)

	for _, v := range asgiViews {
		// uvicorn's render follows the proxy: without proxy-keepalive nginx
		// opens a connection per request; with it, and straight, the
		// connections are kept alive.
		for _, tc := range []struct {
			c *config
			w via
		}{{uvDef, nginx}, {uvKeep, nginxKeep16}, {uvKeep, direct}} {
			b := best(uvicorns, v, tc.w)
			r := tc.c.at(v, tc.w).rps() / b.at(v, tc.w).rps()
			recordPair(part, fmt.Sprintf("uvicorn render vs best of its sweep, %s view, %s", v.name, tc.w.name), fmt.Sprintf("%.2f× (%s: %.0f vs %.0f req/s, best: %s)", r, tc.c.label, tc.c.at(v, tc.w).rps(), b.at(v, tc.w).rps(), b.label), "≥ 0.95×", r >= 0.95, pairCheck{tc.c, b, v, tc.w, false, atLeast(0.95)})
			p := tc.c.at(v, tc.w).p99() / b.at(v, tc.w).p99()
			recordPair(part, fmt.Sprintf("uvicorn render p99 vs the best's, %s view, %s", v.name, tc.w.name), fmt.Sprintf("%.2f× (%.1f vs %.1f ms)", p, tc.c.at(v, tc.w).p99(), b.at(v, tc.w).p99()), "≤ 1.2×", p <= 1.2, pairCheck{tc.c, b, v, tc.w, true, atMost(1.2)})
		}
		for _, w := range []via{direct, nginx} {
			b := best(guvs, v, w)
			r := guvDef.at(v, w).rps() / b.at(v, w).rps()
			recordPair(part, fmt.Sprintf("gunicorn + uvicorn workers render vs best of its sweep, %s view, %s", v.name, w.name), fmt.Sprintf("%.2f× (%.0f vs %.0f req/s, best: %s)", r, guvDef.at(v, w).rps(), b.at(v, w).rps(), b.label), "≥ 0.95×", r >= 0.95, pairCheck{guvDef, b, v, w, false, atLeast(0.95)})
		}
	}
	recheck(t, src, env, pairRounds(rounds), wrkTime)
}

func atLeast(x float64) func(float64) bool { return func(r float64) bool { return r >= x } }
func atMost(x float64) func(float64) bool  { return func(r float64) bool { return r <= x } }

// pairRounds is how many interleaved rounds a missed ratio's pair is
// re-run for: more than the sweep's, as only two configurations share them.
func pairRounds(rounds int) int { return 2*rounds + 1 }

// setProxyKeepalive stores what `dokku nginx:set APP proxy-keepalive N`
// does (N 0 unsets it): Dokku 0.38.27's nginx-vhosts plugin keeps it as
// the property file config/nginx/APP/proxy-keepalive
// (plugins/nginx-vhosts/subcommands/set through fn-plugin-property-write).
func setProxyKeepalive(t *harness.Standalone, h *harness.Host, app string, n int) {
	v := ""
	if n > 0 {
		v = strconv.Itoa(n)
	}
	h.SetNginxProperty(app, "proxy-keepalive", v)
}
