package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkResult is one wrk run: requests per second, the 99th-percentile and
// the maximum latency (ms), and the requests that failed: socket timeouts
// (wrk's default 2 s) and other socket errors, and non-2xx answers.
type wrkResult struct {
	rps, p99, max     float64
	timeouts, errors  int
	non2xx, completed int
	raw               string
}

var (
	wrkRPSRe      = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkP99Re      = regexp.MustCompile(`(?m)^\s+99%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkLatencyRe  = regexp.MustCompile(`(?m)^\s+Latency\s+\S+\s+\S+\s+([0-9.]+)(us|ms|s|m)\s`)
	wrkSocketRe   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xxRe   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkRequestsRe = regexp.MustCompile(`(\d+) requests in`)
)

// parseWrk reads `wrk --latency` output. A run without a Requests/sec line
// is an error; the other figures are zero when wrk leaves them out (it
// prints no Socket errors line when there were none).
func parseWrk(out string) (wrkResult, error) {
	r := wrkResult{raw: out}
	m := wrkRPSRe.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("wrk printed no Requests/sec")
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkP99Re.FindStringSubmatch(out); m != nil {
		r.p99 = toMS(m[1], m[2])
	}
	if m := wrkLatencyRe.FindStringSubmatch(out); m != nil {
		r.max = toMS(m[1], m[2])
	}
	if m := wrkSocketRe.FindStringSubmatch(out); m != nil {
		for i, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			if i == 3 {
				r.timeouts = n
			} else {
				r.errors += n
			}
		}
	}
	if m := wrkNon2xxRe.FindStringSubmatch(out); m != nil {
		r.non2xx, _ = strconv.Atoi(m[1])
	}
	if m := wrkRequestsRe.FindStringSubmatch(out); m != nil {
		r.completed, _ = strconv.Atoi(m[1])
	}
	return r, nil
}

func toMS(v, unit string) float64 {
	f, _ := strconv.ParseFloat(v, 64)
	switch unit {
	case "us":
		return f / 1000
	case "s":
		return f * 1000
	case "m":
		return f * 60000
	}
	return f
}

// wrkArgs is the command line of one timed run: two threads and 32
// connections (a busy site's proxy or browser pool), the latency
// distribution on.
func wrkArgs(url string, d time.Duration) []string {
	secs := d.Seconds()
	dur := fmt.Sprintf("%ds", int(secs))
	if secs < 1 {
		dur = "1s"
	}
	return []string{"-t2", "-c32", "-d" + dur, "--latency", url}
}

func (r wrkResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%.0f req/s p99 %.1f ms", r.rps, r.p99)
	if r.timeouts > 0 {
		fmt.Fprintf(&b, " %d timeouts", r.timeouts)
	}
	return b.String()
}
