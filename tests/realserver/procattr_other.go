//go:build !linux

package realserver

import "syscall"

// sysProcAttr puts the child in its own process group so cleanup can kill
// every worker it forked (Pdeathsig exists only on Linux).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// groupLeft reports whether any process of group pgid still exists (zombies
// included: without /proc they cannot be told apart).
func groupLeft(pgid int) []string {
	if syscall.Kill(-pgid, 0) == nil {
		return []string{"(some process of the group)"}
	}
	return nil
}
