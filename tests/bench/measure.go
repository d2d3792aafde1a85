package main

import (
	"fmt"
	"os/exec"
	"sort"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// view is one page of the example app.
type view struct{ name, path string }

var (
	ioView        = view{"I/O", "/page/"}             // one query and a 2 ms wait
	asyncView     = view{"async I/O", "/async-page/"} // the same wait, awaited
	cpuView       = view{"CPU", "/cpu/"}              // template rendering, no wait
	slowView      = view{"slow I/O", "/slow/"}        // a 20 ms wait (an external API call)
	asyncSlowView = view{"async slow I/O", "/async-slow/"}
)

// via is how wrk reaches the server: straight to its port, or through a
// Dokku nginx with the app's proxy-keepalive (0: unset, Dokku's default).
type via struct {
	name      string
	proxied   bool
	keepalive int
}

var (
	direct      = via{"direct", false, 0}
	nginx       = via{"nginx", true, 0}
	nginxKeep16 = via{"nginx, proxy-keepalive 16", true, 16}
)

// cell is one (view, via) of a configuration and its rounds.
type cell struct {
	view view
	via  via
	runs []wrkResult
}

func (c *cell) rps() float64 { return medianOf(c.runs, func(r wrkResult) float64 { return r.rps }) }
func (c *cell) p99() float64 { return medianOf(c.runs, func(r wrkResult) float64 { return r.p99 }) }

// failures counts the requests of every round that timed out or failed.
func (c *cell) failures() (timeouts, errors int) {
	for _, r := range c.runs {
		timeouts += r.timeouts
		errors += r.errors + r.non2xx
	}
	return
}

func medianOf(rs []wrkResult, f func(wrkResult) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	sort.Float64s(v)
	switch {
	case len(v) == 0:
		return 0
	case len(v)%2 == 1:
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// config is one command line under test and the cells it is measured in.
type config struct {
	group, label, line string
	cells              []*cell
	srv                *server
	proxies            map[int]*proxy // by proxy-keepalive
}

// on adds the cells of every view × via to c.
func (c *config) on(views []view, vias ...via) *config {
	for _, v := range views {
		for _, w := range vias {
			c.cells = append(c.cells, &cell{view: v, via: w})
		}
	}
	return c
}

// at returns c's cell for v and w, nil when c is not measured there.
func (c *config) at(v view, w via) *cell {
	for _, cl := range c.cells {
		if cl.view == v && cl.via == w {
			return cl
		}
	}
	return nil
}

// measured is every configuration measured, in order, for the report.
var measured []*config

// measureGroup starts every config of a group (idle servers use no CPU)
// with an nginx in front for each proxy setting it is measured through,
// then runs wrk on each cell in turn for several rounds, in an order
// rotated by one each round, so a slow moment of the shared machine lands
// on every cell alike instead of deciding one comparison. Each cell's first
// run is preceded by a one-second warm-up.
func measureGroup(t *harness.Standalone, dir string, env []string, cfgs []*config, rounds int, d time.Duration) {
	runCells(t, dir, env, cfgs, rounds, d)
	for _, c := range cfgs {
		for _, cl := range c.cells {
			to, errs := cl.failures()
			fail := ""
			if to+errs > 0 {
				fail = fmt.Sprintf("  %d timeouts, %d errors", to, errs)
			}
			fmt.Printf("       %7.0f req/s p99 %6.1f ms  %-10s %-26s %-28s%s\n", cl.rps(), cl.p99(), cl.view.name, cl.via.name, c.label, fail)
		}
		measured = append(measured, c)
	}
}

// runCells is measureGroup's measuring: every config started, its cells
// run round after round in a rotated order, everything stopped.
func runCells(t *harness.Standalone, dir string, env []string, cfgs []*config, rounds int, d time.Duration) {
	// One at a time: a dozen Django processes booting together on two
	// cores outlive gunicorn's 30 s worker timeout and boot forever.
	type job struct {
		c  *config
		cl *cell
	}
	var jobs []job
	for _, c := range cfgs {
		c.srv = start(t, dir, c.line, env)
		c.srv.waitReady(t, c.cells[0].view.path)
		c.proxies = map[int]*proxy{}
		for _, cl := range c.cells {
			jobs = append(jobs, job{c, cl})
			if !cl.via.proxied || c.proxies[cl.via.keepalive] != nil {
				continue
			}
			px, err := startProxy(c.srv.port, proxySettings{Keepalive: cl.via.keepalive})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(px.Stop)
			c.proxies[cl.via.keepalive] = px
		}
	}
	for r := 0; r < rounds; r++ {
		for i := range jobs {
			j := jobs[(i+r)%len(jobs)]
			port := j.c.srv.port
			if j.cl.via.proxied {
				port = j.c.proxies[j.cl.via.keepalive].Port
			}
			url := fmt.Sprintf("http://127.0.0.1:%d%s", port, j.cl.view.path)
			if r == 0 {
				exec.Command("wrk", "-t2", "-c32", "-d1s", url).Run()
			}
			out, err := exec.Command("wrk", wrkArgs(url, d)...).CombinedOutput()
			if err != nil {
				t.Fatalf("wrk %s: %v\n%s", url, err, out)
			}
			res, err := parseWrk(string(out))
			if err != nil {
				t.Fatalf("wrk %s: %v\n%s", url, err, out)
			}
			j.cl.runs = append(j.cl.runs, res)
		}
	}
	for _, c := range cfgs {
		for _, px := range c.proxies {
			px.Stop()
		}
		c.srv.stop()
	}
}

// best returns the config with the highest median on v through w among
// cfgs (those measured there).
func best(cfgs []*config, v view, w via) *config {
	var b *config
	for _, c := range cfgs {
		if cl := c.at(v, w); cl != nil && (b == nil || cl.rps() > b.at(v, w).rps()) {
			b = c
		}
	}
	return b
}

// point is one sweep configuration: processes and threads per process
// (0 = as prodserver sizes it).
type point struct{ workers, threads int }

func (p point) String() string {
	switch {
	case p.threads == 0:
		return fmt.Sprintf("%d workers", p.workers)
	case p.threads == 1:
		return fmt.Sprintf("%d sync workers", p.workers)
	}
	return fmt.Sprintf("%d×%d threads", p.workers, p.threads)
}
