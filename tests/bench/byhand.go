package main

// byHandNotes is the section of docs/benchmarks.md that holds measurements
// taken by hand, which the code's comments cite instead of carrying the
// figures themselves; every make bench report keeps it.
const byHandNotes = `
## Measured by hand

Figures the code's design rests on, taken by hand on this 2-core machine before ` + "`make bench`" + ` covered
them; the comments in the code cite this section.

- **gunicorn --worker-connections = 2 × threads** (` + "`backend.ConnectionsPerThread`" + `): wrk -c32
  against the example app's /page/ on 3 processes, 4-second runs, 8 each. 3 × 8 threads capped at
  32 (4 per thread) still had rounds with 29–31 connections on one process, at 970–1,040 req/s
  against 1,700–1,970 when spread; capped at 16 (2 per thread) no process held more than 15 and
  every round served 1,370–1,870 (median ~1,760). 3 × 4 threads uncapped: rounds with all 32 on
  one process served ~850. With wrk -c64 (more clients than the caps add up to) capped processes
  still served 1,430–1,770 against 820–1,490 uncapped.
- **8 threads per gthread worker** (` + "`tuning.ThreadsPerWorker`" + `): /page/ (one query and a 2 ms
  wait, about 3× its CPU time), 3 processes × 8 threads served ~15% more than × 4 (median 1,760
  vs 1,530 req/s over 8 rounds); × 16 was level with × 8 within noise (two bench runs put each
  ahead once) and doubles the database connections.
- **cores + 1 gthread processes, not Heroku's 2 × cores + 1 sync workers** (` + "`tuning`" + `): 5 sync
  workers on 2 cores served 0.72–0.80× what 3 gthread workers × 8 threads did in two make bench
  runs (1,230 vs 1,698 and 1,254 vs 1,571 req/s); 5 or 8 gthread processes did no better than 3.
- **The --worker-connections cap does not starve a burst above its slots** (issue 17): wrk -t2
  -c64 -d2s against /page/, 5 interleaved rounds each, on a shared 2-core machine (load average
  6.7 at the start, 19.3 at the end): 3 × 8 threads capped at 16 (48 slots) and 3 × 4 capped at 8
  (24 slots), direct, through nginx from Dokku's sigil, and through it with proxy-keepalive 16:
  0 timeouts, 0 socket errors, 0 non-2xx in all 30 runs; the highest max latency 821 ms (3 × 4,
  direct; wrk's timeout is 2 s). Why, from the code: gunicorn 20.1's gthread worker keeps at most
  cap − threads idle keep-alive connections and answers the rest with Connection: close
  (max_keepalived), and it stops polling only while all its threads are busy, so a client beyond
  the slots waits in the listen backlog for one request's time, never for a keep-alive timeout.
  Dokku's sigil without proxy-keepalive has nginx open a connection per request (so a slot lives
  one request); with ` + "`keepalive N`" + ` nginx parks at most N idle connections per nginx worker, and
  the ones gunicorn closes are not reused.
- **uvicorn runs one process on kept-alive connections** (the uvicorn entry when nginx's
  proxy-keepalive is set, and uvicorn-wsgi): with uvicorn 0.17, ` + "`--workers=2`" + ` served 23 req/s on
  one keep-alive connection against 910 for ` + "`--workers=1`" + `: its supervisor's workers never set
  TCP_NODELAY (uvicorn#3149), so each request after the first waits ~40 ms for a delayed ACK.
  Without proxy-keepalive nginx opens a new connection per request, which never waits for it:
  there ` + "`make bench`" + ` measured 1 worker at 0.73× of ` + "`--workers=2`" + `, so the web process gets one
  per core. Rechecked by hand with the rendered lines (uvicorn 0.17, wrk -t2 -c32 -d2s on
  /async-page/ through nginx from Dokku's sigil, 5 interleaved rounds, load average 6.1–8.7):
  without proxy-keepalive 1 worker served 0.92× of ` + "`--workers=2`" + ` (431 vs 470 req/s, medians);
  with proxy-keepalive 16, 1.71× (585 vs 343).
`
