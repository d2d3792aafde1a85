package pyliteral

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestLimits feeds hostile inputs and checks each fails (or succeeds) with
// the right kind, quickly. The time bound is generous for slow CI and the
// race detector; a quadratic path would take minutes on these sizes.
func TestLimits(t *testing.T) {
	big := MaxSize - 64
	if testing.Short() {
		big = MaxSize / 16
	}
	rep := func(s string, n int) string { return strings.Repeat(s, n/len(s)) }
	cases := []struct {
		name  string
		src   string
		found bool
		kind  error // nil: success expected
	}{
		{"too large", "X = 1\n" + rep(" ", MaxSize), false, ErrTooLarge},
		{"deep list", "X = " + rep("[", big), true, ErrTooDeep},
		{"deep dict", "X = " + rep("{1:", big), true, ErrTooDeep},
		{"deep parens", "X = " + rep("(", big), true, ErrTooDeep},
		{"just deep enough", "X = " + rep("[", MaxDepth) + rep("]", MaxDepth), true, nil},
		{"one too deep", "X = " + rep("[", MaxDepth+1) + rep("]", MaxDepth+1), true, ErrTooDeep},
		{"deep skipped", "Y = " + rep("[", big/2) + rep("]", big/2) + "\nX = 1", true, nil},
		{"unclosed skipped", "X = 1\nY = " + rep("[", big), true, nil},
		{"many values", "X = [" + rep("0,", big) + "]", true, ErrTooLarge},
		{"huge string", "X = '" + rep("a", big) + "'", true, nil},
		{"huge escaped string", "X = '" + rep(`\x41`, big) + "'", true, nil},
		{"huge unterminated string", "X = '" + rep("a", big), true, ErrSyntax},
		{"huge triple string", "X = '''" + rep("a\n", big) + "'''", true, nil},
		{"huge concatenation", "X = (" + rep("'ab' ", big) + ")", true, nil},
		{"many signs", "X = " + rep("-", big) + "1", true, nil},
		{"many signs then name", "X = " + rep("-", big) + "a", true, ErrNotLiteral},
		{"long chain", rep("X = ", big) + "1", true, nil},
		{"many statements", rep("X = 1\n", big), true, nil},
		{"many semicolons", "X = 1" + rep(";X=2", big), true, nil},
		{"too many dict keys", "X = {" + rep("1:1,", big) + "}", true, ErrTooLarge},
		{"many repeated dict keys", "X = {" + strings.Repeat("'k':1,", MaxValues/2-1) + "}", true, nil},
		{"long number", "X = " + rep("1", big), true, ErrNotLiteral},
		{"long name", "X = " + rep("a", big), true, ErrNotLiteral},
		{"many comments", rep("# X = 1\n", big), false, nil},
		{"many continuations", "X = " + rep("\\\n", big) + "1", true, nil},
		{"f-string nesting", "Y = " + rep(`f"{`, big) + "\nX = 1", false, ErrTooDeep},
		{"f-string format nesting", "Y = f'{a:" + rep("{b:", big) + "'\nX = 1", false, ErrTooDeep},
		{"open f-strings", "Y = " + rep(`f'''{`, big), false, ErrTooDeep},
		{"docstring of assignments", "'''" + rep("X = 1\n", big) + "'''", false, nil},
		{"deep tuple key", "X = {" + strings.Repeat("(", MaxDepth-1) + "1" + strings.Repeat(",)", MaxDepth-1) + ": 1}", true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, found, err := Lookup([]byte(c.src), "X")
			if el := time.Since(start); el > 10*time.Second {
				t.Errorf("took %v", el)
			}
			if c.kind == nil && err != nil || c.kind != nil && !errors.Is(err, c.kind) {
				t.Fatalf("err = %.200v, want %v", err, c.kind)
			}
			if c.kind != ErrTooLarge && c.kind != ErrTooDeep && found != c.found {
				t.Fatalf("found = %v, want %v", found, c.found)
			}
			StarImports([]byte(c.src))
			assignments([]byte(c.src))
		})
	}
}

func TestTooLargeHelpers(t *testing.T) {
	src := bytes.Repeat([]byte("from a import *\n"), MaxSize/16+1)
	if got := StarImports(src); got != nil {
		t.Fatalf("StarImports on oversize input returned %d modules", len(got))
	}
	if got := assignments(src); got != nil {
		t.Fatalf("Assignments on oversize input returned %d names", len(got))
	}
}
