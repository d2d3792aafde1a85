//go:build !linux

package realserver

import "syscall"

// sysProcAttr puts the child in its own process group so cleanup can kill
// every worker it forked (Pdeathsig exists only on Linux).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
