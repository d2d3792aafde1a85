package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// sample is one process run: wall time and peak resident memory.
type sample struct {
	wall   time.Duration
	maxRSS int64 // KiB
}

// runOnce runs cmd to completion and measures it.
func runOnce(t *harness.Standalone, cmd *exec.Cmd) sample {
	cmd.Stdout, cmd.Stderr = nil, nil
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	wall := time.Since(start)
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var rss int64
	if ru != nil {
		rss = ru.Maxrss
	}
	return sample{wall, rss}
}

func median(s []sample) time.Duration {
	d := make([]time.Duration, len(s))
	for i, x := range s {
		d[i] = x.wall
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func peak(s []sample) int64 {
	var m int64
	for _, x := range s {
		if x.maxRSS > m {
			m = x.maxRSS
		}
	}
	return m
}

// emptyBinary builds the baseline: a static Go program that does nothing.
func emptyBinary(t *harness.Standalone) string {
	dir, err := os.MkdirTemp("", "prodserver-empty-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module empty\n\ngo 1.22\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	bin := filepath.Join(dir, "empty")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the empty binary: %v\n%s", err, out)
	}
	must(t, os.Chmod(dir, 0o755))
	return bin
}

// rotate runs every command n times, interleaved and in a rotating order,
// so the drift of a shared machine lands on each alike.
func rotate(t *harness.Standalone, n int, between func(), cmds ...func() *exec.Cmd) [][]sample {
	out := make([][]sample, len(cmds))
	for i := 0; i < n; i++ {
		for j := range cmds {
			k := (i + j) % len(cmds)
			if between != nil {
				between()
			}
			out[k] = append(out[k], runOnce(t, cmds[k]()))
		}
	}
	return out
}

func triggerCost(t *harness.Standalone, h *harness.Host, runs int) {
	empty := emptyBinary(t)
	emptyCmd := func() *exec.Cmd { return h.Command(h.Root, false, empty) }
	const part = "Trigger cost"
	const memTarget = 15 * 1024 // KiB

	// (a) nothing to do: a node app's core-post-extract, and the report of
	// an app prodserver does not manage, interleaved with the empty binary.
	h.CreateApp("nodeapp")
	node := filepath.Join(h.Dir, "tmp", "nodeapp-work")
	must(t, os.MkdirAll(filepath.Join(node, "node_modules", "x"), 0o755))
	must(t, os.WriteFile(filepath.Join(node, "package.json"), []byte(`{"name":"x"}`), 0o644))
	must(t, os.WriteFile(filepath.Join(node, "Procfile"), []byte("web: node server.js\n"), 0o644))
	h.Chown(node)
	cpe := filepath.Join(h.Plugin, "core-post-extract")
	rep := filepath.Join(h.Plugin, "report")
	s := rotate(t, runs, nil, emptyCmd,
		func() *exec.Cmd { return h.Command(node, false, cpe, "nodeapp", node, "rev") },
		func() *exec.Cmd { return h.Command(h.Root, false, rep, "nodeapp") })
	base := s[0]
	for i, name := range []string{"core-post-extract, non-Django app", "report, unmanaged app"} {
		trig := s[i+1]
		ratio := float64(median(trig)) / float64(median(base))
		record(part, "(a) "+name+": median vs empty binary",
			fmt.Sprintf("%.2f× (%v vs %v)", ratio, median(trig), median(base)), "≤ 1.2×", ratio <= 1.2)
		record(part, "(a) "+name+": peak memory",
			fmt.Sprintf("%.1f MiB", float64(peak(trig))/1024), "≤ 15 MiB", peak(trig) <= memTarget)
	}

	// (b) the example Django app: detect, render, rewrite the Procfile.
	h.CreateApp("shop")
	work := filepath.Join(h.Dir, "tmp", "shop-work")
	copyTree(t, fixture(), work)
	h.Chown(work)
	procfile := filepath.Join(work, "Procfile")
	reset := func() { os.Remove(procfile) }
	s = rotate(t, runs, reset, func() *exec.Cmd { return h.Command(work, false, cpe, "shop", work, "rev") }, emptyCmd)
	trig, base := s[0], s[1]
	if b, err := os.ReadFile(procfile); err != nil || !strings.Contains(string(b), "web: ") {
		t.Fatalf("core-post-extract did not render the example app: %v %q", err, b)
	}
	record(part, "(b) core-post-extract, example Django app: median",
		fmt.Sprintf("%v (%.1f× empty binary)", median(trig).Round(10*time.Microsecond), float64(median(trig))/float64(median(base))), "≤ 10 ms", median(trig) <= 10*time.Millisecond)
	record(part, "(b) core-post-extract, example Django app: peak memory",
		fmt.Sprintf("%.1f MiB", float64(peak(trig))/1024), "≤ 15 MiB", peak(trig) <= memTarget)
}

func copyTree(t *harness.Standalone, src, dst string) {
	must(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
}

func must(t *harness.Standalone, err error) {
	if err != nil {
		t.Fatal(err)
	}
}
