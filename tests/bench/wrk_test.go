package main

import "testing"

// TestParseWrk reads wrk 4.1's --latency output (as Debian's wrk prints
// it), with and without socket errors: the bench's timeout check and p99
// targets rest on these figures.
func TestParseWrk(t *testing.T) {
	const clean = `Running 2s test @ http://127.0.0.1:5000/page/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    18.21ms    5.02ms  61.33ms   77.12%
    Req/Sec     0.88k   120.11     1.05k    70.00%
  Latency Distribution
     50%   17.52ms
     75%   20.44ms
     90%   24.10ms
     99%   36.87ms
  3512 requests in 2.00s, 620.12KB read
Requests/sec:   1755.43
Transfer/sec:    310.02KB
`
	const starved = `Running 2s test @ http://127.0.0.1:5000/page/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.01ms   80.02ms    1.99s    98.12%
    Req/Sec   700.00    120.11     1.05k    70.00%
  Latency Distribution
     50%  950.00us
     75%   20.44ms
     90%   24.10ms
     99%    1.50s
  2800 requests in 2.00s, 620.12KB read
  Socket errors: connect 0, read 2, write 0, timeout 8
  Non-2xx or 3xx responses: 3
Requests/sec:   1400.00
Transfer/sec:    310.02KB
`
	for _, tc := range []struct {
		name, out                string
		rps, p99, max            float64
		timeouts, errors, non2xx int
		completed                int
	}{
		{"clean", clean, 1755.43, 36.87, 61.33, 0, 0, 0, 3512},
		{"starved", starved, 1400, 1500, 1990, 8, 2, 3, 2800},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parseWrk(tc.out)
			if err != nil {
				t.Fatal(err)
			}
			if r.rps != tc.rps || r.p99 != tc.p99 || r.max != tc.max || r.timeouts != tc.timeouts || r.errors != tc.errors || r.non2xx != tc.non2xx || r.completed != tc.completed {
				t.Errorf("parseWrk = %+v, want rps %v p99 %v max %v timeouts %d errors %d non2xx %d completed %d", r, tc.rps, tc.p99, tc.max, tc.timeouts, tc.errors, tc.non2xx, tc.completed)
			}
		})
	}
	if _, err := parseWrk("unable to connect to 127.0.0.1:1 Connection refused"); err == nil {
		t.Error("a run without Requests/sec parsed")
	}
}
