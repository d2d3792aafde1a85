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
- **The host fallback's cap of 4 CPUs** (` + "`tuning.HostCPUCap`" + `, issue 13): ` + "`scripts/measure-db-connections`" + `
  (root; Debian's postgresql 15, python3-django, python3-psycopg2, gunicorn 20.1 and wrk) starts a
  throwaway PostgreSQL with initdb's defaults (max_connections 100, 3 of them kept for superusers;
  the app connects as an ordinary role, so 97 are its), serves the example app's /page/ (one ORM
  query and a 2 ms wait) with prodserver's gunicorn line at 3, 5, 9 and 13 processes × 8 threads
  (what sizing gives for 2 cores, the cap, 8 and 12 cores; ` + "`--max-requests`" + ` left out, as a recycled
  worker drops its connections) and samples pg_stat_activity every 0.1 s through wrk -t2 -c256 -d5s
  after a 2 s warm-up. ` + "`scripts/measure-db-connections 3`" + ` (3 interleaved rounds; load average 7.6 at
  the start, 19.7 at the end), with CONN_MAX_AGE 600: the connections held were processes × threads
  in every round, 24, 40 and 72, during the load and 1 s after; 13 × 8 reached 97, the server's
  limit, in 2 of 3 rounds (80 in the third), and in ` + "`AGES=600 scripts/measure-db-connections 2 5 13`" + `
  PostgreSQL refused 22 and 43 connections and the app answered 12 and 36 requests with 500, against
  0 and 0 for 5 × 8. Served on these 2 cores, the median of per-round ratios against 3 × 8 (median
  1,380 req/s): 5 × 8 1.01× (0.95–1.17), 9 × 8 0.86× (0.74–1.16), 13 × 8 0.53× (0.48–0.57):
  processes past cores + 1 gained nothing. With CONN_MAX_AGE 0 (a connection per request) this
  loaded machine served under 20 req/s with at most 6 connections open at once: PostgreSQL's
  connection start-up (about 32 ms each here, by hand) was the bottleneck, not the threads, so the
  run cannot show the bound for that setting; production settings keep connections
  (dj-database-url's documented conn_max_age=600, cookiecutter-django's CONN_MAX_AGE 60). Why 4:
  the web container's 5 × 8 = 40, twice while a zero-downtime deploy runs old and new together, a
  celery worker's 4 (twice) and a release or beat process make 90, within the 100 of the postgres
  image Dokku's postgres plugin runs (its DATABASE_URL is the postgres superuser, so all 100 are the
  app's); a cap of 5 makes 108. A ` + "`resource:limit`" + ` is never capped.
`
