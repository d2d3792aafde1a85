package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// A ratio target missed in a group's sweep may be the machine's noise, not
// the configurations: "the best of the sweep" is the highest of a dozen
// noisy medians (so it sits above its true figure), and a slow minute can
// land on one cell. Each missed ratio is therefore measured again on its
// own pair, the two configurations fresh and interleaved (A B, B A, ...)
// for more rounds, and judged by the median of the per-round ratios: met
// there, the miss was noise; missed there too, it is a real miss and
// `make bench` fails.

// pairCheck is what a ratio target compares: a over b on one cell, by
// median req/s or (p99) by median p99 latency, and the target it must meet.
type pairCheck struct {
	a, b *config
	v    view
	w    via
	p99  bool
	want func(ratio float64) bool
}

type pendingCheck struct {
	idx int // into results
	pc  pairCheck
}

// missedChecks are the ratio targets missed since the last recheck.
var missedChecks []pendingCheck

// recordPair records a ratio target like record, and keeps a missed one
// for recheck.
func recordPair(part, name, figure, target string, ok bool, pc pairCheck) {
	record(part, name, figure, target, ok)
	if !ok && pc.a.line != pc.b.line {
		missedChecks = append(missedChecks, pendingCheck{len(results) - 1, pc})
	}
}

// recheck re-runs every missed ratio target of the group just measured as
// a pair for rounds interleaved rounds, and marks each result noise or real.
func recheck(t *harness.Standalone, dir string, env []string, rounds int, d time.Duration) {
	if len(missedChecks) > 0 {
		fmt.Printf("       re-running %d missed ratios as pairs, %d interleaved rounds each\n", len(missedChecks), rounds)
	}
	for _, m := range missedChecks {
		pc := m.pc
		a := (&config{group: pc.a.group, label: pc.a.label, line: pc.a.line}).on([]view{pc.v}, pc.w)
		b := (&config{group: pc.b.group, label: pc.b.label, line: pc.b.line}).on([]view{pc.v}, pc.w)
		runCells(t, dir, env, []*config{a, b}, rounds, d)
		ratios := pairedRatios(a.cells[0].runs, b.cells[0].runs, pc.p99)
		v := judgePair(ratios, pc.want)
		r := &results[m.idx]
		r.Recheck, r.Noise = v.String(), v.met
		mark := "real miss"
		if v.met {
			mark = "noise"
		}
		fmt.Printf("       %-58s %-28s %s\n", r.Name, v.String(), mark)
	}
	missedChecks = nil
}

// pairedRatios are a's figure over b's, round by round (rounds where b
// measured 0 are left out).
func pairedRatios(a, b []wrkResult, p99 bool) []float64 {
	var out []float64
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i].rps, b[i].rps
		if p99 {
			x, y = a[i].p99, b[i].p99
		}
		if y > 0 {
			out = append(out, x/y)
		}
	}
	return out
}

// pairVerdict is a paired re-run's median ratio, its range, and whether
// the median meets the target.
type pairVerdict struct {
	median, lo, hi float64
	n              int
	met            bool
}

func (v pairVerdict) String() string {
	if v.n == 0 {
		return "no paired round measured"
	}
	return fmt.Sprintf("%.2f× (median of %d paired rounds, %.2f–%.2f)", v.median, v.n, v.lo, v.hi)
}

// judgePair is the verdict on per-round ratios: the median decides, as it
// does for every figure of the bench; no rounds is a real miss.
func judgePair(ratios []float64, want func(float64) bool) pairVerdict {
	if len(ratios) == 0 {
		return pairVerdict{}
	}
	s := append([]float64(nil), ratios...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return pairVerdict{median: m, lo: s[0], hi: s[len(s)-1], n: len(s), met: want(m)}
}
