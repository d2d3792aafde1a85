package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
)

// ReadRoom reads, before planning, what every process of the app may use:
// the limits `resource:limit` set (the resource plugin's properties
// <proc>.limit.cpu / .limit.memory and _default_.limit.*, which is exactly
// what its resource-get-property trigger answers) and the host's. Values
// that do not parse are warned about here and sized from the host. They are
// read from Dokku's property layout rather than through plugn: this runs
// inside every deploy, and each plugn call costs a bash start
// (dokku-contract.md: properties are Dokku's own layout, which other tools
// read).
func ReadRoom(app string) tuning.Room {
	room := tuning.Room{Limits: map[string]map[string]string{}, Reserve: map[string]map[string]string{}, Host: hostLimits()}
	// On scheduler-k3s a pod runs on any node: size from its limits or
	// requests, never this host (docs/k3s.md).
	sched, _, _ := dokku.Scheduler(app)
	room.Pod = sched == "k3s"
	dir := filepath.Join(dokku.LibRoot(), "config", "resource", app)
	ents, _ := os.ReadDir(dir) // no folder: no limits
	for _, e := range ents {
		into := room.Limits
		proc, res, ok := strings.Cut(e.Name(), ".limit.")
		if !ok {
			into = room.Reserve
			proc, res, ok = strings.Cut(e.Name(), ".reserve.")
		}
		if !ok || (res != "cpu" && res != "memory") {
			continue
		}
		b, err := dokku.PluginProperty("resource", app, e.Name(), "")
		if err != nil {
			dokku.LogWarn(fmt.Sprintf("prodserver: %v; sizing %s without it", err, proc))
			continue
		}
		if v := strings.TrimSpace(b); v != "" {
			if into[proc] == nil {
				into[proc] = map[string]string{}
			}
			into[proc][res] = v
		}
	}
	for _, w := range room.Problems() {
		dokku.LogWarn("prodserver: " + w)
	}
	if room.PodDefaulted("") {
		dokku.LogWarn("prodserver: on scheduler-k3s a pod may run on any node, so processes without a resource:limit or resource:reserve are sized for the scheduler's default request (100m CPU, 128Mi): one worker each; set them with dokku resource:limit --cpu N --memory SIZE " + app + " (or resource:reserve)")
	}
	var warn string
	room.Proxy, warn = tuning.ParseProxyKeepalive(nginxProperty(app, "proxy-keepalive"), nginxProperty("--global", "proxy-keepalive"))
	if warn != "" {
		dokku.LogWarn("prodserver: " + warn)
	}
	room.Proxy.Type, room.Proxy.Disabled = proxyType(app)
	return room
}

// hostSized is the managed processes whose shown workers or threads are
// the host fallback's sizing (fromHost, as RecordingSizer recorded it), not
// a count the operator or the app gave: the ones NoLimitWarning names.
func hostSized(pl *plan.Plan, fromHost map[string]string) []string {
	var out []string
	for _, p := range pl.Processes {
		why, ok := fromHost[p.Name]
		if ok && p.Managed && (p.WorkersFrom == why || p.ThreadsFrom == why) && !slices.Contains(out, p.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}

// proxyType is the proxy plugin's computed type (the app's proxy:set
// type, else the global one; "" for Dokku's default, nginx) and whether
// proxy:disable is in force: plugins/proxy/functions.go in Dokku 0.38.27
// (getComputedProxyType, IsAppProxyEnabled), read from the same property
// files.
func proxyType(app string) (string, bool) {
	prop := func(scope, key string) string {
		v, err := dokku.PluginProperty("proxy", scope, key, "")
		if err != nil {
			return ""
		}
		return strings.TrimSpace(v)
	}
	t := prop(app, "type")
	if t == "" {
		t = prop("--global", "type")
	}
	return t, prop(app, "disabled") == "true"
}

// nginxProperty reads one of the nginx-vhosts plugin's properties from
// Dokku's layout ($DOKKU_LIB_ROOT/config/nginx/<app or --global>/<key>,
// common.PropertyGet's file), "" when unset: the render follows how the
// app's proxy reaches it (see tuning.Proxy).
func nginxProperty(app, key string) string {
	v, err := dokku.PluginProperty("nginx", app, key, "")
	if err != nil {
		dokku.LogWarn(fmt.Sprintf("prodserver: %v; rendering as if it were unset", err))
		return ""
	}
	return strings.TrimSpace(v)
}

// maxKernelFile bounds the kernel's own files read for the host's limits
// (/proc/meminfo is about 1.5 KiB); they report size 0, so only the read
// itself is bounded.
const maxKernelFile = 64 << 10

// hostLimits reads the host's CPUs and memory, honouring a cgroup v2 limit
// on the cgroup Dokku itself runs in (a Dokku host in an LXC or a VM slice).
func hostLimits() tuning.Limits {
	l := tuning.Limits{CPUs: float64(runtime.NumCPU()), From: "host"}
	if b, err := safefile.Read("/sys/fs/cgroup/cpu.max", maxKernelFile); err == nil {
		if c := tuning.ParseCgroupCPUMax(string(b)); c > 0 && c < l.CPUs {
			l.CPUs = c
		}
	}
	if b, err := safefile.Read("/proc/meminfo", maxKernelFile); err == nil {
		l.MemoryMB = tuning.ParseMemInfoMB(string(b))
	}
	if b, err := safefile.Read("/sys/fs/cgroup/memory.max", maxKernelFile); err == nil {
		if m := tuning.ParseCgroupMemoryMax(strings.TrimSpace(string(b))); m > 0 && (l.MemoryMB == 0 || m < l.MemoryMB) {
			l.MemoryMB = m
		}
	}
	return l
}
