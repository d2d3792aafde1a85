package tuning

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// DefaultProc is the resource plugin's process type for limits that apply
// to every process without its own.
const DefaultProc = "_default_"

// Room is the CPU and memory the processes of one app may use, as the
// deploy edge read it before planning: resource:limit's raw values and the
// host's limits. Sizing from a Room reads nothing else, so the plan stays
// pure.
type Room struct {
	// Limits maps a process type, or DefaultProc, to resource:limit's raw
	// values by resource ("cpu", "memory"), as the resource plugin stores
	// them.
	Limits map[string]map[string]string
	// Host is the host's CPUs and memory (cgroup-aware), From "host".
	Host Limits
	// Reserve is resource:reserve's raw values, keyed as Limits.
	Reserve map[string]map[string]string
	// Pod says the process runs as a Kubernetes pod (scheduler-k3s) on any
	// node: the host says nothing about it, so For never uses Host.
	Pod bool
	// Proxy is the app's nginx proxy-keepalive as the edge read it (the
	// app's value, else the global one, as nginx-vhosts computes it). It
	// applies to the web process only: Dokku's proxy reaches no other.
	Proxy Proxy
}

// Pod defaults: scheduler-k3s requests 100m CPU and 128Mi for a process
// without resource:reserve (plugins/scheduler-k3s/functions.go
// getProcessResources, v0.38.27). Sized as is, that is one worker.
const (
	PodDefaultCPUs     = 0.1
	PodDefaultMemoryMB = 128
	PodDefaultFrom     = "scheduler-k3s default request (100m CPU, 128Mi)"
)

// WebProc is the only process type Dokku's proxy routes to.
const WebProc = "web"

// For is the limits one process type gets: resource:limit's value for the
// process, else its _default_, per resource (as resource-get-property
// answers); the host's for what neither sets or what does not parse, its
// CPUs at most HostCPUCap (the host's count kept in HostCPUs).
func (r Room) For(proc string) Limits {
	if r.Pod {
		return r.forPod(proc)
	}
	var l Limits
	if c, err := ParseCPU(r.value(proc, "cpu")); err == nil && c > 0 {
		l.CPUs, l.From = c, "resource:limit"
	}
	if m, err := ParseMemoryMB(r.value(proc, "memory")); err == nil && m > 0 {
		l.MemoryMB, l.From = m, "resource:limit"
	}
	if l.CPUs == 0 || l.MemoryMB == 0 {
		if l.CPUs == 0 && r.Host.CPUs > 0 {
			l.CPUs, l.HostCPUs = math.Min(r.Host.CPUs, HostCPUCap), r.Host.CPUs
		}
		if l.MemoryMB == 0 {
			l.MemoryMB = r.Host.MemoryMB
		}
		switch l.From {
		case "":
			l.From = "host"
		default:
			l.From += " + host"
		}
	}
	return l
}

// forPod is For on scheduler-k3s, per resource: the pod's limit
// (resource:limit), else its request (resource:reserve), else the
// scheduler's default request; never the Dokku host's.
func (r Room) forPod(proc string) Limits {
	var l Limits
	var from []string
	if c, err := ParseCPU(r.value(proc, "cpu")); err == nil && c > 0 {
		l.CPUs, from = c, append(from, "resource:limit")
	} else if c, err := ParseCPU(pick(r.Reserve, proc, "cpu")); err == nil && c > 0 {
		l.CPUs, from = c, append(from, "resource:reserve")
	}
	if m, err := ParseMemoryMB(r.value(proc, "memory")); err == nil && m > 0 {
		l.MemoryMB, from = m, append(from, "resource:limit")
	} else if m, err := ParseMemoryMB(pick(r.Reserve, proc, "memory")); err == nil && m > 0 {
		l.MemoryMB, from = m, append(from, "resource:reserve")
	}
	if l.CPUs == 0 || l.MemoryMB == 0 {
		if l.CPUs == 0 {
			l.CPUs = PodDefaultCPUs
		}
		if l.MemoryMB == 0 {
			l.MemoryMB = PodDefaultMemoryMB
		}
		from = append(from, PodDefaultFrom)
	}
	if len(from) == 2 && from[0] == from[1] {
		from = from[:1]
	}
	l.From = strings.Join(from, " + ")
	return l
}

// PodDefaulted says For(proc) on a pod falls back to the scheduler's
// default request for some resource: the deploy warns about it.
func (r Room) PodDefaulted(proc string) bool {
	return r.Pod && strings.Contains(r.For(proc).From, PodDefaultFrom)
}

// value is resource:limit's raw value of res for proc, else _default_'s.
func (r Room) value(proc, res string) string {
	return pick(r.Limits, proc, res)
}

// pick is m's raw value of res for proc, else _default_'s.
func pick(m map[string]map[string]string, proc, res string) string {
	for _, p := range []string{proc, DefaultProc} {
		if v := m[p][res]; v != "" {
			return v
		}
	}
	return ""
}

// Problems are the values For ignores because they do not parse, one
// warning each, for the edge to print.
func (r Room) Problems() []string {
	var out []string
	for _, proc := range sortedKeys(r.Limits) {
		for _, res := range []string{"cpu", "memory"} {
			v, ok := r.Limits[proc][res]
			if !ok {
				continue
			}
			var err error
			if res == "cpu" {
				_, err = ParseCPU(v)
			} else {
				_, err = ParseMemoryMB(v)
			}
			if err != nil {
				fallback := "using the host's"
				if r.Pod {
					fallback = "using resource:reserve, else the scheduler-k3s default request"
				}
				out = append(out, err.Error()+" (resource:limit of "+proc+"); "+fallback)
			}
		}
	}
	return out
}

// Sizer is plan.Inputs.Concurrency for this room: Size with the process's
// limits, and for web (the only process Dokku's proxy reaches) the proxy's
// keep-alive. It reads only r.
func (r Room) Sizer() func(proc string, b *backend.Backend, threads int) (int, int, string) {
	return r.RecordingSizer(nil)
}

// RecordingSizer is Sizer that also records in fromHost (when not nil)
// each process whose numbers the host fallback decided (some resource
// without a resource:limit), with the reason Size gave: the deploy warns
// once for those whose computed count it kept (NoLimitWarning).
func (r Room) RecordingSizer(fromHost map[string]string) func(proc string, b *backend.Backend, threads int) (int, int, string) {
	return func(proc string, b *backend.Backend, threads int) (int, int, string) {
		l := r.For(proc)
		if proc == WebProc {
			p := r.Proxy
			l.Proxy = &p
		}
		w, t, why, fromLimits := size(b, l, threads)
		if fromHost != nil && fromLimits && r.Unlimited(proc) != nil {
			fromHost[proc] = why
		}
		return w, t, why
	}
}

// MemoryMB is plan.Inputs.Memory for this room: the memory limit For
// gives proc. It reads only r.
func (r Room) MemoryMB(proc string) int {
	return r.For(proc).MemoryMB
}

// Unlimited is the resources ("cpu", "memory") proc has no usable
// resource:limit for, so the host's stand in; nil on scheduler-k3s, which
// never sizes from this host (its own warning covers it).
func (r Room) Unlimited(proc string) []string {
	if r.Pod {
		return nil
	}
	var out []string
	if c, err := ParseCPU(r.value(proc, "cpu")); err != nil || c == 0 {
		out = append(out, "cpu")
	}
	if m, err := ParseMemoryMB(r.value(proc, "memory")); err != nil || m == 0 {
		out = append(out, "memory")
	}
	return out
}

// NoLimitWarning is the deploy's one warning for procs, the processes
// sized from the host fallback: which resource:limit is missing, what the
// host gave (and the cap), and the command that sets a limit. "" for none.
func (r Room) NoLimitWarning(app string, procs []string) string {
	if len(procs) == 0 {
		return ""
	}
	sort.Strings(procs)
	missing := map[string]bool{}
	for _, p := range procs {
		for _, res := range r.Unlimited(p) {
			missing[res] = true
		}
	}
	var what, host []string
	if missing["cpu"] {
		what = append(what, "cpu")
		c := cpuText(r.Host.CPUs) + " CPUs"
		if r.Host.CPUs > HostCPUCap {
			c += fmt.Sprintf(", capped at %d", HostCPUCap)
		} else {
			c += fmt.Sprintf(" (the fallback is capped at %d)", HostCPUCap)
		}
		host = append(host, c)
	}
	if missing["memory"] {
		what = append(what, "memory")
		host = append(host, memText(r.Host.MemoryMB))
	}
	return fmt.Sprintf("no %s resource:limit for %s: sized from the host's %s; every busy thread may hold a database connection, so set a limit that fits the container and the database: dokku resource:limit --cpu 2 --memory 1g %s (add --process-type NAME for one process)",
		strings.Join(what, " or "), strings.Join(procs, ", "), strings.Join(host, " and "), app)
}

func sortedKeys(m map[string]map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ParseProxyKeepalive is nginx-vhosts' computed proxy-keepalive
// (plugins/nginx-vhosts/nginx_vhosts.go, ComputedProxyKeepalive in Dokku
// 0.38.27): the app's value when set, else the global one. A value that is
// not a whole number (nginx:set refuses it, so only a hand edit makes one)
// counts as unset and comes back as a warning.
func ParseProxyKeepalive(app, global string) (Proxy, string) {
	v, from := strings.TrimSpace(app), "app"
	if v == "" {
		v, from = strings.TrimSpace(global), "global"
	}
	if v == "" {
		return Proxy{}, ""
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return Proxy{}, fmt.Sprintf("nginx proxy-keepalive %q (%s) is not a whole number; sizing as if unset (fix it with nginx:set)", v, from)
	}
	if n == 0 {
		return Proxy{}, ""
	}
	return Proxy{Keepalive: n, From: from}, ""
}
