package tuning

// GracefulTimeout is how long a server or worker may spend finishing its
// in-flight requests or tasks after the stop signal, given the seconds
// Dokku waits before it SIGKILLs the container (ps's stop-timeout-seconds;
// 0 reads as Dokku's default, 30). It leaves a margin of a sixth of the
// deadline, at least 2 s and at most 10 s, for what follows the drain: the
// master reaping its workers, the interpreter exiting, and a loaded host
// (a Celery warm shutdown on a busy 2-core machine took over 10 s to exit
// in CI). 30 s gives 25 s; 10 s gives 8 s; never below 1 s.
func GracefulTimeout(stopTimeout int) int {
	if stopTimeout <= 0 {
		stopTimeout = 30
	}
	margin := min(max(stopTimeout/6, 2), 10)
	return max(stopTimeout-margin, 1)
}
