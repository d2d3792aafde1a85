package harness

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Standalone is a T for programs that are not tests (make demo, make bench):
// a failure prints one Dokku-style line, runs the cleanups and exits 2.
type Standalone struct {
	// Name prefixes failure messages.
	Name     string
	cleanups []func()
}

// Helper does nothing; it is part of T.
func (s *Standalone) Helper() {}

// Cleanup registers f to run at Done or on failure, last first.
func (s *Standalone) Cleanup(f func()) { s.cleanups = append(s.cleanups, f) }

// Fatal reports a failure and exits.
func (s *Standalone) Fatal(args ...any) { s.fail(fmt.Sprint(args...)) }

// Fatalf reports a failure and exits.
func (s *Standalone) Fatalf(format string, args ...any) { s.fail(fmt.Sprintf(format, args...)) }

func (s *Standalone) fail(msg string) {
	fmt.Fprintf(os.Stderr, " !     %s: %s\n", s.Name, msg)
	s.Done()
	os.Exit(2)
}

// Done runs the registered cleanups once.
func (s *Standalone) Done() {
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
	s.cleanups = nil
}

// StopGroup ends the process group cmd leads: sig first (each server's own
// graceful stop), then SIGKILL once grace has passed, and waits for it, so
// a test never leaves a server or proxy behind. A process already waited
// for, or never started, is left alone.
func StopGroup(cmd *exec.Cmd, sig syscall.Signal, grace time.Duration) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	syscall.Kill(-cmd.Process.Pid, sig)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}
