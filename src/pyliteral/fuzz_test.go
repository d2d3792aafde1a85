package pyliteral

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLookup checks that arbitrary input never panics, that every error
// has one of the documented kinds, and that a literal found is stable:
// rendering it back to Python and looking it up again yields the same value.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{
		"X = 1",
		"X = {'a': [1, 2.5, (3,)], 'b': {None, True}}",
		"X = r'\\n' b'\\xff' 'a'\n",
		"X: int = -0x_ff; Y = X = 1,\n",
		"\"\"\"X = 2\"\"\"\nX = f\"{a[\"b\"]:{c}}\"\n",
		"if a:\n    X = 1\nelse: X = 2\nfrom .base import *\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		names := append([]string{"X"}, assignments(src)...)
		StarImports(src)
		for i, name := range names {
			if i > 3 {
				break
			}
			v, found, err := Lookup(src, name)
			if err != nil {
				if !found && !errors.Is(err, ErrTooDeep) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("%s: error without an assignment: %v", name, err)
				}
				if !errors.Is(err, ErrNotLiteral) && !errors.Is(err, ErrSyntax) &&
					!errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrTooDeep) {
					t.Fatalf("%s: error of unknown kind: %v", name, err)
				}
				if v != nil {
					t.Fatalf("%s: value %#v with error", name, v)
				}
				continue
			}
			if !found {
				if v != nil {
					t.Fatalf("%s: value %#v without assignment", name, v)
				}
				continue
			}
			py := "X = " + render(v, false) + "\n"
			if len(py) > MaxSize {
				continue
			}
			v2, found2, err := Lookup([]byte(py), "X")
			if err != nil || !found2 {
				t.Fatalf("%s: re-reading %q: found=%v err=%v", name, py, found2, err)
			}
			if !reflect.DeepEqual(v, v2) {
				t.Fatalf("%s: round trip of %q changed %#v into %#v", name, py, v, v2)
			}
		}
	})
}

// render writes v as Python source that evaluates to the same Value.
// Sequences are rendered as lists, except as dict keys where a tuple is
// needed.
func render(v Value, key bool) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eIN") {
			s += ".0"
		}
		return s
	case string:
		return renderString(x)
	case []Value:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = render(e, key)
		}
		if key && len(x) == 0 {
			return "()"
		}
		if key {
			return "(" + strings.Join(parts, ", ") + ",)"
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *Dict:
		var b strings.Builder
		b.WriteString("{")
		for i := range x.Keys {
			fmt.Fprintf(&b, "%s: %s, ", render(x.Keys[i], true), render(x.Values[i], false))
		}
		b.WriteString("}")
		return b.String()
	}
	panic(fmt.Sprintf("unexpected value type %T", v))
}

// renderString quotes s as a str literal, or as a bytes literal when s
// is not valid UTF-8 (it then came from a bytes literal).
func renderString(s string) string {
	var b strings.Builder
	if !utf8.ValidString(s) {
		b.WriteString(`b"`)
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, `\x%02x`, c)
			}
		}
	} else {
		b.WriteString(`"`)
		for _, r := range s {
			switch {
			case r >= 0x20 && r < 0x7f && r != '"' && r != '\\':
				b.WriteRune(r)
			case r < 0x80:
				fmt.Fprintf(&b, `\x%02x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		}
	}
	b.WriteString(`"`)
	return b.String()
}

// TestRender pins the fuzz helper itself.
func TestRender(t *testing.T) {
	v := l(d(l(int64(1), "a"), 2.0, "k", l(), l(), l(l())), math.Copysign(0, -1), "\xff", "é\n", nil, true)
	py := "X = " + render(v, false)
	got, _, err := Lookup([]byte(py), "X")
	if err != nil || !reflect.DeepEqual(got, v) {
		t.Fatalf("%s: got %#v, %v", py, got, err)
	}
}
