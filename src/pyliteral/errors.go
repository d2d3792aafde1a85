package pyliteral

import (
	"errors"
	"fmt"
)

// Limits that keep a lookup bounded on hostile input. They are far above
// anything a real settings module needs.
const (
	// MaxSize is the largest source accepted, in bytes: settings modules
	// are kilobytes, so anything bigger is refused instead of scanned.
	MaxSize = 4 << 20
	// MaxDepth bounds bracket nesting in an evaluated literal (and f-string
	// nesting while skipping) so recursion can never exhaust the stack.
	MaxDepth = 100
	// MaxValues bounds how many values one literal may hold, which caps
	// the memory an evaluation can allocate.
	MaxValues = 100_000
)

// Error kinds; every error returned by this package wraps exactly one of
// them so callers can decide with errors.Is whether to fall back (not a
// literal) or to report a broken settings file (syntax).
var (
	// ErrNotLiteral means the assignment exists but its value is computed
	// (call, name, f-string, operator, comprehension...) or cannot be
	// represented as a Value (complex number, int beyond int64...).
	ErrNotLiteral = errors.New("not a literal")
	// ErrSyntax means the right-hand side is not valid Python.
	ErrSyntax = errors.New("syntax error")
	// ErrTooLarge means the input or the literal exceeds MaxSize or MaxValues.
	ErrTooLarge = errors.New("too large")
	// ErrTooDeep means nesting exceeds MaxDepth.
	ErrTooDeep = errors.New("nesting too deep")
)

// Error locates a failure in the source. It unwraps to its Kind (one of
// the Err* values) so both errors.Is and errors.As work on results.
type Error struct {
	Line int    // 1-based line of the offending token; 0 when not applicable
	Msg  string // what was found, e.g. "call to env()"
	Kind error  // ErrNotLiteral, ErrSyntax, ErrTooLarge or ErrTooDeep
}

// Error formats as "line N: what was found: kind".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %v", e.Line, e.Msg, e.Kind)
	}
	return fmt.Sprintf("%s: %v", e.Msg, e.Kind)
}

// Unwrap returns the error kind.
func (e *Error) Unwrap() error { return e.Kind }

// lineOf returns the 1-based line containing byte offset off. Lines end at
// "\n", "\r\n" or a lone "\r", as in Python's tokenizer.
func lineOf(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	line := 1
	for i := 0; i < off; i++ {
		switch src[i] {
		case '\n':
			line++
		case '\r':
			if i+1 >= len(src) || src[i+1] != '\n' {
				line++
			}
		}
	}
	return line
}
