package tuning

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseCPU reads a resource:limit --cpu value ("2", "0.5"); "" is unknown.
func ParseCPU(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 4096 {
		return 0, fmt.Errorf("cpu limit %q is not a positive number of CPUs", s)
	}
	return f, nil
}

// ParseMemoryMB reads a resource:limit --memory value: a number with an
// optional unit b, k, m or g (Docker's units, any case, optional trailing
// "b" as in "512mb"). A bare number is megabytes, as Dokku documents for
// resource:limit. "" is unknown.
func ParseMemoryMB(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return 0, nil
	}
	mult := 1.0 // MB
	switch {
	case strings.HasSuffix(t, "gb"), strings.HasSuffix(t, "g"):
		mult, t = 1024, strings.TrimSuffix(strings.TrimSuffix(t, "b"), "g")
	case strings.HasSuffix(t, "mb"), strings.HasSuffix(t, "m"):
		t = strings.TrimSuffix(strings.TrimSuffix(t, "b"), "m")
	case strings.HasSuffix(t, "kb"), strings.HasSuffix(t, "k"):
		mult, t = 1.0/1024, strings.TrimSuffix(strings.TrimSuffix(t, "b"), "k")
	case strings.HasSuffix(t, "b"):
		mult, t = 1.0/(1024*1024), strings.TrimSuffix(t, "b")
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 {
		return 0, fmt.Errorf("memory limit %q is not a size such as 512m or 1g", s)
	}
	mb := f * mult
	if mb > 1<<30 {
		return 0, fmt.Errorf("memory limit %q is too large", s)
	}
	if mb < 1 {
		mb = 1
	}
	return int(mb), nil
}

// ParseCgroupCPUMax reads cgroup v2's cpu.max ("max 100000" or
// "200000 100000"): the CPUs allowed, 0 when unlimited or unreadable.
func ParseCgroupCPUMax(s string) float64 {
	f := strings.Fields(s)
	if len(f) != 2 || f[0] == "max" {
		return 0
	}
	quota, err1 := strconv.ParseFloat(f[0], 64)
	period, err2 := strconv.ParseFloat(f[1], 64)
	if err1 != nil || err2 != nil || quota <= 0 || period <= 0 {
		return 0
	}
	return quota / period
}

// ParseCgroupMemoryMax reads cgroup v2's memory.max in MB, 0 when "max".
func ParseCgroupMemoryMax(s string) int {
	s = strings.TrimSpace(s)
	if s == "" || s == "max" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return int(n / (1024 * 1024))
}

// ParseMemInfoMB reads MemTotal from /proc/meminfo, in MB.
func ParseMemInfoMB(s string) int {
	for _, line := range strings.Split(s, "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return int(kb / 1024)
				}
			}
		}
	}
	return 0
}
