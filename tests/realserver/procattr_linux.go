package realserver

import "syscall"

// sysProcAttr puts the child in its own process group (so cleanup can kill
// every worker it forked) and asks the kernel to SIGKILL it if the test binary
// dies without running cleanups, e.g. on a `go test -timeout` panic.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
