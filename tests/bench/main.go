// Command bench is `make bench`: the two costs a prodserver user pays,
// measured as ratios against baselines taken in the same run (these
// machines are noisy), written with the machine, commands and date to
// $TMPDIR/prodserver-benchmarks.md (docs/benchmarks.md with --out). Each part prints its figure last and the program exits
// non-zero when a target is missed, so it doubles as a check.
//
//  1. Trigger cost: a trigger with nothing to do (core-post-extract of a
//     non-Django app, report of an unmanaged app) against an empty static Go
//     binary run the same number of times (target ≤ 1.2×), and
//     core-post-extract on the example Django app (target ≤ 10 ms); peak
//     memory ≤ 15 MiB for both.
//  2. Detection scale: core-post-extract on a generated 20,000-file tree
//     with node_modules/, .venv/ and .git/ (target ≤ 25 ms), proof that the
//     ignored folders are never read, and the growth from 1k to 100k files.
//  3. Served throughput with wrk on loopback: a naive hand-written gunicorn
//     line, prodserver's render and a sweep of worker and thread counts (targets:
//     render ≥ 0.95× the best of the sweep and ≥ 2× naive), and the same for
//     uvicorn on the ASGI view (≥ 0.95× best).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// result is one measured figure and its target.
type result struct {
	Part, Name, Figure string
	OK                 bool
	Target             string
}

var results []result

func record(part, name, figure, target string, ok bool) {
	results = append(results, result{part, name, figure, ok, target})
	mark := "ok"
	if !ok {
		mark = "MISSED"
	}
	fmt.Printf("       %-58s %-28s %s (%s)\n", name, figure, mark, target)
}

// defaultOut is where the report goes without --out: outside the tree, as a
// run in any clone would otherwise dirty the committed docs/benchmarks.md;
// `make bench BENCH_OUT=docs/benchmarks.md` updates that one on purpose.
func defaultOut() string { return filepath.Join(os.TempDir(), "prodserver-benchmarks.md") }

func main() {
	runs := flag.Int("runs", 200, "trigger runs per measurement")
	wrkTime := flag.Duration("wrk", 10*time.Second, "wrk duration per run")
	rounds := flag.Int("rounds", 5, "wrk runs per configuration (the median counts)")
	parts := flag.String("parts", "trigger,scale,throughput", "which parts to run")
	out := flag.String("out", defaultOut(), "where to write the report (\"\" = nowhere; docs/benchmarks.md to update the committed one)")
	flag.Parse()

	t := &harness.Standalone{Name: "bench"}
	defer t.Done()
	started := time.Now()
	load := "unknown"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	h := harness.New(t)
	for _, p := range strings.Split(*parts, ",") {
		switch p {
		case "trigger":
			fmt.Println("-----> 1. Trigger cost")
			triggerCost(t, h, *runs)
		case "scale":
			fmt.Println("-----> 2. Detection scale")
			detectionScale(t, h, *runs/4)
		case "throughput":
			fmt.Println("-----> 3. Served throughput (wrk, loopback)")
			throughput(t, *wrkTime, *rounds)
		default:
			t.Fatalf("unknown part %q", p)
		}
	}
	if *out != "" {
		if err := writeReport(*out, started, *runs, *wrkTime, *rounds, load); err != nil {
			t.Fatal(err)
		}
		fmt.Println("-----> Wrote " + *out)
	}
	missed := 0
	for _, r := range results {
		if !r.OK {
			missed++
		}
	}
	fmt.Printf("-----> %d figures, %d targets missed\n", len(results), missed)
	if missed > 0 {
		t.Done()
		os.Exit(1)
	}
}

// machine describes where the figures were taken.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		mem = strings.TrimSpace(strings.SplitN(strings.SplitN(string(b), "\n", 2)[0], ":", 2)[1])
	}
	kernel, _ := exec.Command("uname", "-r").Output()
	return fmt.Sprintf("%d CPUs (%s), MemTotal %s, Linux %s, %s", runtime.NumCPU(), cpu, mem, strings.TrimSpace(string(kernel)), runtime.Version())
}

func writeReport(path string, started time.Time, runs int, wrkTime time.Duration, rounds int, loadavg string) error {
	var b strings.Builder
	b.WriteString("# Benchmarks\n\n")
	b.WriteString("Written by `make bench` (tests/bench). Figures are ratios against baselines measured in the\n")
	b.WriteString("same run, because these machines are noisy; absolute times are given for context only.\n\n")
	fmt.Fprintf(&b, "- date: %s\n- machine: %s\n- load average when it started: %s\n- command: `make bench` (= `go run ./tests/bench -runs %d -wrk %s -rounds %d`)\n\n", started.UTC().Format("2006-01-02 15:04 UTC"), machine(), loadavg, runs, wrkTime, rounds)
	part := ""
	for _, r := range results {
		if r.Part != part {
			part = r.Part
			fmt.Fprintf(&b, "\n## %s\n\n| measurement | figure | target | met |\n|---|---|---|---|\n", part)
		}
		met := "yes"
		if !r.OK {
			met = "**no**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.Name, r.Figure, r.Target, met)
	}
	if len(served) > 0 {
		b.WriteString("\n## Every configuration measured\n\n| configuration | median req/s | rounds | command |\n|---|---|---|---|\n")
		for _, r := range served {
			rounds := make([]string, len(r.rounds))
			for i, v := range r.rounds {
				rounds[i] = fmt.Sprintf("%.0f", v)
			}
			fmt.Fprintf(&b, "| %s | %.0f | %s | `%s` |\n", r.label, r.median, strings.Join(rounds, ", "), r.line)
		}
	}
	b.WriteString(methodNotes)
	b.WriteString(byHandNotes)
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

const methodNotes = `
## How each figure is taken

- Trigger cost: the trigger binary (through its symlink, as plugn runs it) and an empty static Go
  binary (CGO off, -trimpath, -s -w) are run alternately the same number of times with the
  harness host's environment, as the harness's unprivileged Dokku user; wall time is measured
  around each process, peak memory is the process's ru_maxrss. Medians are compared.
  core-post-extract on the example app includes the one plugn call it makes (config-get, here
  the harness's bash stand-in for plugn); the Procfile is restored between runs, untimed.
- Detection scale: a Django project plus generated files, most of them under node_modules/,
  .venv/ and .git/ (as real apps have); core-post-extract is timed end to end; a separate
  in-process scan with an OnRead hook counts every folder listed and file read under the
  ignored folders (must be 0).
- Throughput: every configuration of a server is started at once (idle servers use no CPU),
  then wrk runs against each in turn, for several rounds in a rotating order; each
  configuration's median counts, so a slow moment of the shared machine lands on all alike.
  wrk -t2 -c32 against the fixture's /page/ (one ORM query and a 2 ms wait that
  models the round trip to a database server on the same host or LAN; without it the view is
  pure CPU and measures only HTTP parsing) and /async-page/ for uvicorn; each server started as Dokku starts a Dockerfile
  app (the Procfile line expanded and split by procfile-util's rules, no shell, Debian's Python
  first on PATH), one warm-up second, then the timed run. "naive" is the hand-written
  ` + "`gunicorn proj.wsgi`" + ` (gunicorn binds $PORT itself; one sync worker). The sweep renders the same
  app through a deploy with the operator's workers and threads settings: the process count at the
  render's 8 threads, the thread count at the render's cores + 1 processes (1 thread = sync
  workers), and Heroku's 2 × cores + 1 processes, sync and with 4 threads; a sweep point whose
  command is the render's own is measured once. The machine runs wrk on the same 2 cores.
- Reading the gunicorn figures: with keep-alive, each of wrk's 32 connections stays with the
  gthread process that accepted it, and wrk opens them in one burst. Without a cap one process
  now and then takes most of them and serves them on one core (measured: all 32 on one of 3
  processes, ~850 req/s, against ~1,750 when spread); prodserver renders --worker-connections =
  2 × threads, which ends such rounds. "Best of the sweep" is the highest of ten noisy medians,
  so it sits above the true best by part of the noise: the ratio is a conservative figure.
- uvicorn is swept by --workers at 1, cores and 2 × cores: its multi-worker mode loses
  TCP_NODELAY (uvicorn#3149), which is why prodserver renders one process.
`

// repo is the repository root.
func repo() string { return harness.RepoRoot() }

func fixture() string { return filepath.Join(repo(), "tests", "fixtures", "djangoapp") }
