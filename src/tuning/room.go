package tuning

import (
	"fmt"
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
	// Proxy is the app's nginx proxy-keepalive as the edge read it (the
	// app's value, else the global one, as nginx-vhosts computes it). It
	// applies to the web process only: Dokku's proxy reaches no other.
	Proxy Proxy
}

// WebProc is the only process type Dokku's proxy routes to.
const WebProc = "web"

// For is the limits one process type gets: resource:limit's value for the
// process, else its _default_, per resource (as resource-get-property
// answers); the host's for what neither sets or what does not parse.
func (r Room) For(proc string) Limits {
	var l Limits
	if c, err := ParseCPU(r.value(proc, "cpu")); err == nil && c > 0 {
		l.CPUs, l.From = c, "resource:limit"
	}
	if m, err := ParseMemoryMB(r.value(proc, "memory")); err == nil && m > 0 {
		l.MemoryMB, l.From = m, "resource:limit"
	}
	if l.CPUs == 0 || l.MemoryMB == 0 {
		if l.CPUs == 0 {
			l.CPUs = r.Host.CPUs
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

// value is resource:limit's raw value of res for proc, else _default_'s.
func (r Room) value(proc, res string) string {
	for _, p := range []string{proc, DefaultProc} {
		if v := r.Limits[p][res]; v != "" {
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
				out = append(out, err.Error()+" (resource:limit of "+proc+"); using the host's")
			}
		}
	}
	return out
}

// Sizer is plan.Inputs.Concurrency for this room: Size with the process's
// limits, and for web (the only process Dokku's proxy reaches) the proxy's
// keep-alive. It reads only r.
func (r Room) Sizer() func(proc string, b *backend.Backend, threads int) (int, int, string) {
	return func(proc string, b *backend.Backend, threads int) (int, int, string) {
		l := r.For(proc)
		if proc == WebProc {
			p := r.Proxy
			l.Proxy = &p
		}
		return Size(b, l, threads)
	}
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
