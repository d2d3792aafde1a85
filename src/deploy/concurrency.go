package deploy

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
)

// ConcurrencyFor sizes a process from what `resource:limit` gives it, else
// from the host. spec calls it only for backends whose model is sized.
func ConcurrencyFor(app string) func(proc string, b *backend.Backend, threads int) (int, int, string) {
	var host *tuning.Limits
	return func(proc string, b *backend.Backend, threads int) (int, int, string) {
		l := resourceLimits(app, proc)
		if l.CPUs == 0 || l.MemoryMB == 0 {
			if host == nil {
				h := hostLimits()
				host = &h
			}
			if l.CPUs == 0 {
				l.CPUs = host.CPUs
			}
			if l.MemoryMB == 0 {
				l.MemoryMB = host.MemoryMB
			}
			switch l.From {
			case "":
				l.From = "host"
			default:
				l.From += " + host"
			}
		}
		return tuning.Size(b, l, threads)
	}
}

// resourceLimits reads the limits `resource:limit` set for the process:
// the resource plugin's properties <proc>.limit.cpu / .limit.memory, else
// _default_.limit.*, which is exactly what its resource-get-property
// trigger answers. They are read from Dokku's property layout rather than
// through plugn: this runs inside every deploy, and each plugn call costs a
// bash start, several per deploy (dokku-contract.md: properties are Dokku's
// own layout, which other tools read).
func resourceLimits(app, proc string) tuning.Limits {
	var l tuning.Limits
	get := func(res string) string {
		for _, p := range []string{proc, "_default_"} {
			b, err := os.ReadFile(filepath.Join(dokku.LibRoot(), "config", "resource", app, p+".limit."+res))
			if v := strings.TrimSpace(string(b)); err == nil && v != "" {
				return v
			}
		}
		return ""
	}
	if c, err := tuning.ParseCPU(get("cpu")); err == nil && c > 0 {
		l.CPUs, l.From = c, "resource:limit"
	} else if err != nil {
		dokku.LogWarn("prodserver: " + err.Error() + "; using the host's CPUs")
	}
	if m, err := tuning.ParseMemoryMB(get("memory")); err == nil && m > 0 {
		l.MemoryMB, l.From = m, "resource:limit"
	} else if err != nil {
		dokku.LogWarn("prodserver: " + err.Error() + "; using the host's memory")
	}
	return l
}

// hostLimits reads the host's CPUs and memory, honouring a cgroup v2 limit
// on the cgroup Dokku itself runs in (a Dokku host in an LXC or a VM slice).
func hostLimits() tuning.Limits {
	l := tuning.Limits{CPUs: float64(runtime.NumCPU()), From: "host"}
	if b, err := os.ReadFile("/sys/fs/cgroup/cpu.max"); err == nil {
		if c := tuning.ParseCgroupCPUMax(string(b)); c > 0 && c < l.CPUs {
			l.CPUs = c
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		l.MemoryMB = tuning.ParseMemInfoMB(string(b))
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if m := tuning.ParseCgroupMemoryMax(strings.TrimSpace(string(b))); m > 0 && (l.MemoryMB == 0 || m < l.MemoryMB) {
			l.MemoryMB = m
		}
	}
	return l
}
