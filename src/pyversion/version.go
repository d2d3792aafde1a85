// Package pyversion reads Python version specifiers as the manifests
// declare them (PEP 440, Poetry's ^ ~ and ||, environment markers): the one
// reader for what detection pins (django-prodserver's major) and what a
// backend needs (django-rq's rqworker-pool, gunicorn's asgi worker).
package pyversion

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Major returns the major version a specifier pins the package to, 0
// when it allows more than one major or cannot be read. It understands PEP
// 440 ("==2.4.1", "~=2.4", "==2.*", ">=2.1,<3") and Poetry ("^2.4", "~2.4",
// "2.4.1") forms. A bare lower bound (">=2.0") is not enough: 3.x would
// satisfy it.
func Major(spec string) int {
	alts := strings.Split(spec, "||") // Poetry: "^2.4 || ^3.0"
	major := 0
	for i, alt := range alts {
		m := majorOfClauses(alt)
		if m == 0 || i > 0 && m != major {
			return 0
		}
		major = m
	}
	return major
}

// opSpaceRE drops the blanks after an operator (">= 2.0" -> ">=2.0") so
// that clauses can be split on commas and blanks (Poetry allows both).
var opSpaceRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`([<>=!~^])\s+`) })

// majorOfClauses is Major for one conjunction of clauses.
func majorOfClauses(spec string) int {
	spec = opSpaceRE().ReplaceAllString(strings.TrimSpace(spec), "$1")
	clauses := strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(clauses) == 0 {
		return 0
	}
	lower, upper := -1, -1 // lowest and highest allowed major
	for _, clause := range clauses {
		op, ver := splitOp(clause)
		major, rest, ok := leadingInt(ver)
		if !ok {
			return 0
		}
		switch op {
		case "==", "===", "", "^", "~", "~=":
			if op == "~=" && !strings.HasPrefix(rest, ".") {
				return 0 // ~=2 is not valid PEP 440
			}
			if op == "^" && major == 0 {
				return 0 // ^0.x pins a minor, not a major
			}
			return major
		case ">=", ">":
			lower = max(lower, major)
		case "<":
			m := major
			if strings.Trim(rest, ".0") == "" {
				m-- // <3 or <3.0: at most 2.x
			}
			if upper < 0 || m < upper {
				upper = m
			}
		case "<=":
			if upper < 0 || major < upper {
				upper = major
			}
		case "!=":
		default:
			return 0
		}
	}
	if lower >= 0 && lower == upper {
		return lower
	}
	return 0
}

// splitOp splits a version clause into its operator and version.
func splitOp(clause string) (string, string) {
	for _, op := range []string{"===", "==", "~=", "!=", "<=", ">=", "<", ">", "^", "~", "="} {
		if strings.HasPrefix(clause, op) {
			if op == "=" {
				op = "=="
			}
			return op, clause[len(clause)-len(strings.TrimPrefix(clause, op)):]
		}
	}
	return "", clause
}

// leadingInt reads the number a version starts with ("2.4.1" -> 2,
// ".4.1"), skipping an epoch-free "v" prefix.
func leadingInt(v string) (int, string, bool) {
	v = strings.TrimPrefix(v, "v")
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, "", false
	}
	n, err := strconv.Atoi(v[:i])
	if err != nil {
		return 0, "", false
	}
	return n, v[i:], true
}

// Pinned returns the version an exact specifier ("==1.2.3") pins.
func Pinned(spec string) (string, bool) {
	spec = strings.ReplaceAll(spec, " ", "")
	for _, op := range []string{"===", "=="} {
		if strings.HasPrefix(spec, op) && !strings.ContainsAny(spec, ",*") {
			return spec[len(op):], true
		}
	}
	return "", false
}

// Leading is the number a version starts with ("3.0.2" -> 3), ok false
// when it starts with none.
func Leading(v string) (int, bool) {
	n, _, ok := leadingInt(v)
	return n, ok
}

// AtLeast reports whether a declared specifier guarantees a version >=
// want: its highest lower bound (from ==, ===, >=, >, ~=, ^ or ~ clauses)
// must be at least want. An empty or unbounded specifier guarantees
// nothing; an environment marker (after ';') is ignored.
func AtLeast(spec, want string) bool {
	if i := strings.IndexByte(spec, ';'); i >= 0 {
		spec = spec[:i]
	}
	var best []int
	for _, clause := range strings.Split(spec, ",") {
		clause = strings.TrimSpace(clause)
		var v string
		for _, op := range []string{"===", "==", ">=", "~=", ">", "^", "~"} {
			if strings.HasPrefix(clause, op) {
				v = strings.TrimSpace(clause[len(op):])
				break
			}
		}
		if v == "" {
			continue // <, <=, !=, "*" or a bare word: no lower bound
		}
		if n := release(v); len(n) > 0 && (best == nil || compareRelease(n, best) > 0) {
			best = n
		}
	}
	return best != nil && compareRelease(best, release(want)) >= 0
}

// release reads the leading numeric release segments of a version,
// e.g. "2.10.1rc1" → [2 10 1], "3.*" → [3].
func release(v string) []int {
	var out []int
	for _, part := range strings.Split(strings.TrimPrefix(v, "v"), ".") {
		end := 0
		for end < len(part) && part[end] >= '0' && part[end] <= '9' {
			end++
		}
		if end == 0 {
			break
		}
		n, err := strconv.Atoi(part[:end])
		if err != nil {
			break
		}
		out = append(out, n)
		if end < len(part) {
			break
		}
	}
	return out
}

// compareRelease compares release segments, missing segments being 0.
func compareRelease(a, b []int) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
