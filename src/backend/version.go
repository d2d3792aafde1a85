package backend

import (
	"strconv"
	"strings"
)

// minVersionAtLeast reports whether a declared version specifier (as in
// Context.Packages) guarantees a version >= want: its highest lower bound
// (from >=, >, ==, ===, ~=, ^ or ~ clauses) must be at least want. An empty
// or unbounded specifier guarantees nothing.
func minVersionAtLeast(spec, want string) bool {
	if i := strings.IndexByte(spec, ';'); i >= 0 {
		spec = spec[:i] // environment marker
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
		if n := parseRelease(v); len(n) > 0 && (best == nil || compareRelease(n, best) > 0) {
			best = n
		}
	}
	return best != nil && compareRelease(best, parseRelease(want)) >= 0
}

// parseRelease reads the leading numeric release segments of a version,
// e.g. "2.10.1rc1" → [2 10 1], "3.*" → [3].
func parseRelease(v string) []int {
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
