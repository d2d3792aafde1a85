package main

import "testing"

// TestJudgePair: the median of the paired ratios decides, whatever one
// round says; a pair with no measured round is never noise.
func TestJudgePair(t *testing.T) {
	atLeast := func(x float64) func(float64) bool { return func(r float64) bool { return r >= x } }
	atMost := func(x float64) func(float64) bool { return func(r float64) bool { return r <= x } }
	for _, tc := range []struct {
		name   string
		ratios []float64
		want   func(float64) bool
		median float64
		met    bool
	}{
		{"one bad round among good ones is noise", []float64{0.98, 0.55, 1.02, 0.97, 1.10}, atLeast(0.95), 0.98, true},
		{"consistently below is real", []float64{0.80, 0.78, 0.91, 0.83, 0.97}, atLeast(0.95), 0.83, false},
		{"even count takes the middle two", []float64{0.90, 1.00, 0.94, 0.98}, atLeast(0.95), 0.96, true},
		{"p99 above its bound is real", []float64{1.3, 1.25, 1.1}, atMost(1.2), 1.25, false},
		{"no rounds", nil, atLeast(0.95), 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := judgePair(tc.ratios, tc.want)
			if v.met != tc.met || v.median < tc.median-1e-9 || v.median > tc.median+1e-9 || v.n != len(tc.ratios) {
				t.Fatalf("judgePair(%v) = %+v, want median %.2f met %v", tc.ratios, v, tc.median, tc.met)
			}
		})
	}
}

// TestPairedRatios: round i of a is divided by round i of b, by req/s or
// by p99; a round where b measured nothing is left out.
func TestPairedRatios(t *testing.T) {
	a := []wrkResult{{rps: 100, p99: 10}, {rps: 90, p99: 30}, {rps: 50, p99: 5}}
	b := []wrkResult{{rps: 200, p99: 20}, {rps: 0, p99: 0}, {rps: 50, p99: 10}}
	got := pairedRatios(a, b, false)
	if len(got) != 2 || got[0] != 0.5 || got[1] != 1 {
		t.Fatalf("req/s ratios %v, want [0.5 1]", got)
	}
	got = pairedRatios(a, b, true)
	if len(got) != 2 || got[0] != 0.5 || got[1] != 0.5 {
		t.Fatalf("p99 ratios %v, want [0.5 0.5]", got)
	}
}
