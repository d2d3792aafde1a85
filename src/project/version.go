package project

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// ProdserverPackage is django-prodserver's normalised distribution name.
const ProdserverPackage = "django-prodserver"

// MajorVersion returns the major version a specifier pins the package to, 0
// when it allows more than one major or cannot be read. It understands PEP
// 440 ("==2.4.1", "~=2.4", "==2.*", ">=2.1,<3") and Poetry ("^2.4", "~2.4",
// "2.4.1") forms. A bare lower bound (">=2.0") is not enough: 3.x would
// satisfy it.
func MajorVersion(spec string) int {
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

// majorOfClauses is MajorVersion for one conjunction of clauses.
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

// pinnedVersion returns the version an exact specifier ("==1.2.3") pins.
func pinnedVersion(spec string) (string, bool) {
	spec = strings.ReplaceAll(spec, " ", "")
	for _, op := range []string{"===", "=="} {
		if strings.HasPrefix(spec, op) && !strings.ContainsAny(spec, ",*") {
			return spec[len(op):], true
		}
	}
	return "", false
}

// prodserverMajor is django-prodserver's major version: a lock file's pin
// wins over the declared specifier.
func prodserverMajor(f *Facts) int {
	if v, ok := f.Locked[ProdserverPackage]; ok {
		if n, _, ok := leadingInt(v); ok {
			return n
		}
	}
	if spec, ok := f.Packages[ProdserverPackage]; ok {
		return MajorVersion(spec)
	}
	if spec, ok := f.DevPackages[ProdserverPackage]; ok {
		return MajorVersion(spec)
	}
	return 0
}
