package pyliteral

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// l builds a list/tuple/set value.
func l(items ...Value) []Value {
	if items == nil {
		return []Value{}
	}
	return items
}

// d builds a dict from alternating keys and values.
func d(kv ...Value) *Dict {
	out := &Dict{}
	for i := 0; i < len(kv); i += 2 {
		out.Keys = append(out.Keys, kv[i])
		out.Values = append(out.Values, kv[i+1])
	}
	return out
}

type lookupCase struct {
	name  string
	src   string
	want  Value
	found bool
	kind  error  // expected error kind, nil for success
	msg   string // substring expected in the error
}

// ok is a found literal; missing is no assignment; bad is an error kind.
func ok(name, src string, want Value) lookupCase {
	return lookupCase{name: name, src: src, want: want, found: true}
}

func missing(name, src string) lookupCase { return lookupCase{name: name, src: src} }

func bad(name, src string, kind error, msg string) lookupCase {
	return lookupCase{name: name, src: src, found: true, kind: kind, msg: msg}
}

func runLookup(t *testing.T, cases []lookupCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, found, err := Lookup([]byte(c.src), "X")
			if found != c.found {
				t.Fatalf("found = %v, want %v (v=%#v err=%v)", found, c.found, v, err)
			}
			if c.kind != nil {
				if !errors.Is(err, c.kind) {
					t.Fatalf("err = %v, want kind %v", err, c.kind)
				}
				if !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("err = %q, want it to mention %q", err, c.msg)
				}
				if v != nil {
					t.Fatalf("value %#v returned with error", v)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(v, c.want) {
				t.Fatalf("got %#v, want %#v", v, c.want)
			}
		})
	}
}

func TestNumbers(t *testing.T) {
	runLookup(t, []lookupCase{
		ok("int", "X = 1", int64(1)),
		ok("zero", "X = 0", int64(0)),
		ok("zeros", "X = 00_0", int64(0)),
		ok("negative", "X = -1", int64(-1)),
		ok("plus", "X = +1", int64(1)),
		ok("double minus", "X = - -1", int64(1)),
		ok("minus paren", "X = -(2)", int64(-2)),
		ok("underscores", "X = 1_000_000", int64(1000000)),
		ok("hex", "X = 0xFF", int64(255)),
		ok("hex underscore after prefix", "X = 0x_ff_ff", int64(65535)),
		ok("octal", "X = 0o17", int64(15)),
		ok("binary", "X = 0B1010", int64(10)),
		ok("max int64", "X = 9223372036854775807", int64(9223372036854775807)),
		ok("min int64", "X = -9223372036854775808", int64(-9223372036854775808)),
		ok("float", "X = 1.5", 1.5),
		ok("leading dot", "X = .5", 0.5),
		ok("trailing dot", "X = 1.", 1.0),
		ok("exponent", "X = 1e3", 1000.0),
		ok("negative exponent", "X = 25E-1", 2.5),
		ok("float underscores", "X = 1_0.0_5", 10.05),
		ok("float leading zeros", "X = 007.5", 7.5),
		ok("negative float", "X = -0.25", -0.25),
		ok("underflow", "X = 1e-400", 0.0),
		bad("int overflow", "X = 9223372036854775808", ErrNotLiteral, "out of int64 range"),
		bad("negative overflow", "X = -9223372036854775809", ErrNotLiteral, "out of int64 range"),
		bad("hex overflow", "X = 0x1_0000_0000_0000_0000", ErrNotLiteral, "out of int64 range"),
		bad("negated min paren", "X = -(-9223372036854775808)", ErrNotLiteral, "out of int64 range"),
		bad("float overflow", "X = 1e999", ErrNotLiteral, "out of range"),
		bad("complex", "X = 2j", ErrNotLiteral, "complex"),
		bad("leading zero", "X = 007", ErrSyntax, "leading zeros"),
		bad("double underscore", "X = 1__0", ErrSyntax, "invalid number"),
		bad("trailing underscore", "X = 10_", ErrSyntax, "invalid number"),
		bad("empty hex", "X = 0x", ErrSyntax, "invalid number"),
		bad("bad binary digit", "X = 0b102", ErrSyntax, "invalid number"),
		bad("letters", "X = 12abc", ErrSyntax, "invalid number"),
		bad("empty exponent", "X = 1e", ErrSyntax, "invalid number"),
		bad("minus string", `X = -"a"`, ErrNotLiteral, "non-number"),
		bad("minus bool", "X = -True", ErrNotLiteral, "non-number"),
		bad("invert", "X = ~1", ErrNotLiteral, "operator ~"),
		bad("arithmetic", "X = 60 * 60", ErrNotLiteral, "operator *"),
		bad("complex sum", "X = 1 + 2j", ErrNotLiteral, "operator +"),
	})
}

func TestStrings(t *testing.T) {
	runLookup(t, []lookupCase{
		ok("single", "X = 'a'", "a"),
		ok("double", `X = "a"`, "a"),
		ok("empty", `X = ""`, ""),
		ok("triple single", "X = '''a\nb'''", "a\nb"),
		ok("triple double with quotes", "X = \"\"\"say \"hi\" \"\" ok\"\"\"", `say "hi" "" ok`),
		ok("triple crlf", "X = '''a\r\nb'''\r\n", "a\nb"),
		ok("escapes", `X = "\t\\\'\"\a\b\f\n\r\v"`, "\t\\'\"\a\b\f\n\r\v"),
		ok("hex escape", `X = "\x41\xe9"`, "Aé"),
		ok("octal escapes", `X = "\101\0\7"`, "A\x00\x07"),
		ok("unicode escapes", `X = "\u00e9\U0001F600"`, "é😀"),
		ok("lone surrogate", `X = "\ud800"`, "\uFFFD"),
		ok("line continuation in string", "X = 'a\\\nb'", "ab"),
		ok("unknown escape kept", `X = "\d\q"`, `\d\q`),
		ok("raw", `X = r"\n\d"`, `\n\d`),
		ok("raw upper", `X = R'\x'`, `\x`),
		ok("raw escaped quote", `X = r"\""`, `\"`),
		ok("unicode prefix", `X = u"é"`, "é"),
		ok("bytes", `X = b"a\xff\n"`, "a\xff\n"),
		ok("bytes unicode escape is literal", `X = b"\u0041"`, `\u0041`),
		ok("raw bytes", `X = rb"\x"`, `\x`),
		ok("raw bytes upper reversed", `X = BR"\x"`, `\x`),
		ok("concatenation", `X = "a" 'b' """c"""`, "abc"),
		ok("concatenation across lines", "X = (\n    \"a\"  # one\n    'b'\n)", "ab"),
		ok("concatenation mixed prefixes", `X = "a" r"\n" u"c"`, `a\nc`),
		ok("utf8 literal", `X = "héllo ☃"`, "héllo ☃"),
		ok("hash inside", `X = "a # b"  # real comment`, "a # b"),
		ok("brackets inside", `X = "([{"`, "([{"),
		bad("unterminated", `X = "abc`, ErrSyntax, "unterminated"),
		bad("unterminated at newline", "X = 'abc\n'", ErrSyntax, "unterminated"),
		bad("unterminated triple", `X = """abc`, ErrSyntax, "unterminated"),
		bad("truncated hex", `X = "\x4"`, ErrSyntax, `\xXX`),
		bad("truncated unicode", `X = "\u12"`, ErrSyntax, `\u`),
		bad("huge unicode", `X = "\U00110000"`, ErrSyntax, "illegal Unicode"),
		bad("named escape", `X = "\N{EM DASH}"`, ErrNotLiteral, `\N{...}`),
		bad("non-ascii bytes", `X = b"é"`, ErrSyntax, "ASCII"),
		ok("bytes octal wraps", `X = b"\777"`, "\xff"),
		bad("mixed bytes", `X = "a" b"b"`, ErrSyntax, "mix bytes"),
		bad("f-string", `X = f"{a}"`, ErrNotLiteral, "f-string"),
		bad("plain f-string", `X = F"a"`, ErrNotLiteral, "f-string"),
		bad("concat f-string", `X = "a" f"{b}"`, ErrNotLiteral, "f-string"),
		bad("raw f-string", `X = rf"{a}"`, ErrNotLiteral, "f-string"),
		bad("t-string", `X = t"{a}"`, ErrNotLiteral, "t-string"),
		bad("invalid prefix is a name", `X = ub"a"`, ErrNotLiteral, "name ub"),
		bad("format call", `X = "{}".format(a)`, ErrNotLiteral, "attribute access"),
		bad("join", `X = ",".join(["a"])`, ErrNotLiteral, "attribute access"),
		bad("string plus", `X = "a" + "b"`, ErrNotLiteral, "operator +"),
		bad("percent", `X = "%s" % a`, ErrNotLiteral, "operator %"),
	})
}

func TestContainers(t *testing.T) {
	runLookup(t, []lookupCase{
		ok("constants", "X = [True, False, None]", l(true, false, nil)),
		ok("none", "X = None", nil),
		ok("empty list", "X = []", l()),
		ok("list", "X = [1, 'a', 2.5]", l(int64(1), "a", 2.5)),
		ok("list trailing comma", "X = [1, 2,]", l(int64(1), int64(2))),
		ok("nested list", "X = [[1], [[]]]", l(l(int64(1)), l(l()))),
		ok("multiline list with comments", "X = [\n    1,  # one ]\n    # a comment with 'quote\n    2,\n]\n", l(int64(1), int64(2))),
		ok("empty tuple", "X = ()", l()),
		ok("tuple", "X = (1, 2)", l(int64(1), int64(2))),
		ok("one tuple", "X = (1,)", l(int64(1))),
		ok("parenthesised value", "X = (1)", int64(1)),
		ok("parenthesised string", "X = ('a'\n  'b')", "ab"),
		ok("bare tuple", `X = "a", "b"`, l("a", "b")),
		ok("bare one tuple", "X = 1,", l(int64(1))),
		ok("bare tuple trailing comma", "X = 1, 2,  # c", l(int64(1), int64(2))),
		ok("tuple of tuples", "X = ((1, 2), (3,))", l(l(int64(1), int64(2)), l(int64(3)))),
		ok("set", "X = {'a', 'b'}", l("a", "b")),
		ok("set dedupe", "X = {1, 2, 1, True, 1.0}", l(int64(1), int64(2))),
		ok("set of tuples", "X = {(1, 'a'), (1, 'a')}", l(l(int64(1), "a"))),
		ok("empty dict", "X = {}", &Dict{}),
		ok("dict", `X = {"a": 1, "b": [1, 2], 3: None}`, d("a", int64(1), "b", l(int64(1), int64(2)), int64(3), nil)),
		ok("dict trailing comma", `X = {"a": 1,}`, d("a", int64(1))),
		ok("dict duplicate key", `X = {"a": 1, "b": 2, "a": 3}`, d("a", int64(3), "b", int64(2))),
		ok("dict numeric keys equal", `X = {1: "a", 1.0: "b", True: "c", 2: "d"}`, d(int64(1), "c", int64(2), "d")),
		ok("dict tuple key", `X = {(1, "a"): "t"}`, d(l(int64(1), "a"), "t")),
		ok("dict None key", `X = {None: 1}`, d(nil, int64(1))),
		ok("nested dict", `X = {"a": {"b": {"c": ()}}}`, d("a", d("b", d("c", l())))),
		ok("backslash continuation", "X = \\\n    [1,\n 2]", l(int64(1), int64(2))),
		ok("continuation inside", "X = [1, \\\n 2]", l(int64(1), int64(2))),
		bad("unhashable key", "X = {[1]: 2}", ErrNotLiteral, "unhashable dict key"),
		bad("unhashable tuple key", "X = {(1, [2]): 2}", ErrNotLiteral, "unhashable dict key"),
		bad("unhashable set", "X = {1, {}}", ErrNotLiteral, "unhashable set"),
		bad("dict unpacking", "X = {**a}", ErrNotLiteral, "dict unpacking"),
		bad("dict unpacking later", `X = {"a": 1, **b}`, ErrNotLiteral, "dict unpacking"),
		bad("list unpacking", "X = [*a]", ErrNotLiteral, "unpacking"),
		bad("list comprehension", "X = [i for i in y]", ErrNotLiteral, "comprehension"),
		bad("dict comprehension", "X = {\"k\": 1 for k in y}", ErrNotLiteral, "comprehension"),
		bad("generator", "X = (1 for i in y)", ErrNotLiteral, "comprehension"),
		bad("subscript of literal", "X = [1, 2][0]", ErrNotLiteral, "subscript"),
		bad("ellipsis", "X = ...", ErrNotLiteral, "Ellipsis"),
		bad("conditional", "X = 1 if a else 2", ErrNotLiteral, "conditional"),
		bad("boolean op", "X = True and False", ErrNotLiteral, "operator and"),
		bad("not", "X = not True", ErrNotLiteral, "not expression"),
		bad("membership", "X = 1 in [1]", ErrNotLiteral, "operator in"),
		bad("comparison", "X = 1 < 2", ErrNotLiteral, "operator <"),
		bad("list concat", "X = [1] + [2]", ErrNotLiteral, "operator +"),
		bad("walrus", "X = [(y := 1)]", ErrNotLiteral, "name y"),
		bad("unclosed list", "X = [1, 2", ErrSyntax, "expected"),
		bad("missing comma", "X = [1 2]", ErrSyntax, "expected ',' or ']'"),
		bad("missing value", "X = {1: }", ErrSyntax, `unexpected "}"`),
		bad("dict then set item", "X = {1: 2, 3}", ErrSyntax, "expected ':'"),
		bad("set then dict item", "X = {1, 2: 3}", ErrSyntax, "expected ',' or '}'"),
		bad("mismatched bracket", "X = [1, 2)", ErrSyntax, "expected ',' or ']'"),
		bad("two values", "X = 1 2", ErrSyntax, "unexpected"),
		bad("empty", "X =\nY = 1", ErrSyntax, "expected a value"),
		bad("empty at eof", "X =", ErrSyntax, "expected a value"),
		bad("keyword", "X = import", ErrSyntax, "keyword import"),
		bad("stray closer", "X = )", ErrSyntax, "unexpected"),
		bad("garbage byte", "X = $", ErrSyntax, "unexpected"),
		bad("bad continuation", "X = \\ 1", ErrSyntax, "unexpected"),
	})
}

func TestNotLiteralValues(t *testing.T) {
	runLookup(t, []lookupCase{
		bad("call", `X = env("A")`, ErrNotLiteral, "line 1: call to env()"),
		bad("method call", `X = env.list("A", default=[])`, ErrNotLiteral, "call to env.list()"),
		bad("name", "X = BASE_DIR", ErrNotLiteral, "name BASE_DIR"),
		bad("path", `X = BASE_DIR / "static"`, ErrNotLiteral, "name BASE_DIR"),
		bad("subscript", `X = os.environ["A"]`, ErrNotLiteral, "subscript of os.environ"),
		bad("lambda", "X = lambda: 1", ErrNotLiteral, "lambda"),
		bad("lambda default", "X = lambda a=1: a", ErrNotLiteral, "lambda"),
		bad("in list", "X = [\n  1,\n  env('A'),\n]", ErrNotLiteral, "line 3: call to env()"),
		bad("in dict value", "X = {\n'a': DEBUG}", ErrNotLiteral, "line 2: name DEBUG"),
		bad("yield", "X = (yield)", ErrNotLiteral, "yield expression"),
		bad("starred", "X = *a, b", ErrNotLiteral, "unpacking"),
	})
}

func TestSkipRules(t *testing.T) {
	runLookup(t, []lookupCase{
		missing("empty file", ""),
		missing("other names", "XY = 1\nY = 2\n_X = 3"),
		missing("docstring", "\"\"\"\nX = 1\n\"\"\"\n"),
		missing("single quote docstring", "'''\nX = 1\n'''"),
		missing("comment", "# X = 1\n"),
		missing("indented", "if True:\n    X = 1\n"),
		missing("indented with tab", "try:\n\tX = 1\nexcept Exception:\n\tX = 2\n"),
		missing("function body", "def f():\n    X = 1\n    return X\n"),
		missing("class body", "class A:\n    X = 1\n"),
		missing("one-line compound", "if DEBUG: X = 1; X = 2\n"),
		missing("one-line class", "class A: X = 1\n"),
		missing("decorator keyword", "@dec(X=1)\ndef f(): pass\n"),
		missing("keyword argument", "f(X=1)\n"),
		missing("comparison", "X == 1\n"),
		missing("bare annotation", "X: int\n"),
		missing("tuple target", "X, Y = 1, 2\n"),
		missing("attribute target", "obj.X = 1\n"),
		missing("f-string text", "Y = f\"{'X = 1'}\"\n"),
		missing("string continuation", "Y = 'a\\\nX = 1'\n"),
		missing("open bracket continues", "Y = [\nX\n]\n"),
		missing("backslash continues", "Y = 1 + \\\nX == 1\n"),
		missing("triple f-string", "Y = f'''\n{a}\nX = 1\n'''\n"),
		missing("unterminated triple swallows", "Y = '''\nX = 1\n"),
		ok("simple", "X = 1", int64(1)),
		ok("last wins", "X = 1\nX = 2\n", int64(2)),
		ok("after function", "def f():\n    X = 1\n\nX = 2\n", int64(2)),
		ok("indented later ignored", "X = 1\nif DEBUG:\n    X = 2\n", int64(1)),
		ok("after docstring", "\"\"\"Settings.\n\nX = 'doc'\n\"\"\"\nX = 1\n", int64(1)),
		ok("comment with quote", "# it's here: X = \"\nX = 1  # don't\n", int64(1)),
		ok("comment with triple quote", "# \"\"\"\nX = 1\n# \"\"\"\n", int64(1)),
		ok("string with brackets", "Y = \"[({\"\nX = 1\n", int64(1)),
		ok("string with escaped quote", "Y = \"a\\\" = ([\"\nX = 1\n", int64(1)),
		ok("raw string escaped quote", "Y = r\"\\\"(\"\nX = 1\n", int64(1)),
		ok("semicolon second", "Y = '#'; X = 1\n", int64(1)),
		ok("semicolon first", "X = 1; Y = 2\n", int64(1)),
		ok("semicolon twice", "X = 1; X = 2;\n", int64(2)),
		ok("semicolon after call", "print('x;'); X = {'a': 1}\n", d("a", int64(1))),
		ok("annotated", "X: dict[str, int] = {'a': 1}\n", d("a", int64(1))),
		ok("annotated with string type", "X: 'a = b' = 1\n", int64(1)),
		ok("chain first", "X = Y = [1]\n", l(int64(1))),
		ok("chain last", "Y = X = [1]\n", l(int64(1))),
		ok("chain with attribute", "X = obj.y = 1\n", int64(1)),
		ok("comment after", "X = 1  # comment\n", int64(1)),
		ok("trailing whitespace", "X = 1   \t\n", int64(1)),
		ok("crlf", "import os\r\nX = [\r\n  1,\r\n]\r\n", l(int64(1))),
		ok("lone cr", "Y = 1\rX = 2\r", int64(2)),
		ok("bom", "\xef\xbb\xbfX = 1\n", int64(1)),
		ok("form feed", "\fX = 1\n", int64(1)),
		ok("no trailing newline", "Y = 0\nX = 'end'", "end"),
		ok("f-string nested quotes (PEP 701)", "Y = f\"{d[\"(\"]}\"\nX = 1\n", int64(1)),
		ok("f-string brace escapes", "Y = f\"{{ X = \" \"}}\"\nX = 1\n", int64(1)),
		ok("f-string format spec", "Y = f\"{a:>{w}}{b!r:^10}\"\nX = 1\n", int64(1)),
		ok("f-string dict in field", "Y = f\"{ {'a': 1}['a'] }\"\nX = 1\n", int64(1)),
		ok("f-string named escape", "Y = f\"\\N{BULLET} {a}\"\nX = 1\n", int64(1)),
		ok("raw f-string backslash", "Y = rf\"\\{a}\\\"\nX = 1\n", int64(1)),
		ok("unterminated single string recovers", "Y = 'abc\nX = 1\n", int64(1)),
		ok("decorated function", "@decorator(\n    X=1,\n)\ndef f():\n    X = 3\nX = 2\n", int64(2)),
		ok("match soft keyword", "match = 1\nX = 2\n", int64(2)),
		ok("assignment after if block", "if a:\n    pass\nelse:\n    X = 1\nX = 3\n", int64(3)),
		ok("lambda before", "f = lambda a=1: a; X = 1\n", int64(1)),
		ok("type alias", "type X = int\nX = 1\n", int64(1)),
		ok("non-ascii identifiers", "ñ = 'x'\nX = 'ü'\n", "ü"),
		bad("later non-literal wins", "X = 1\nX = env('X')\n", ErrNotLiteral, "line 2: call to env()"),
		bad("augmented", "X = [1]\nX += [2]\n", ErrNotLiteral, "line 2: augmented assignment"),
		bad("chain of names", "X = Y = Z\n", ErrNotLiteral, "name Z"),
	})
}

func TestLookupAfterSemicolonReplacesOnlyOwnName(t *testing.T) {
	src := []byte("X = 1; Y = 2\nY = 3; X = 4\n")
	for name, want := range map[string]int64{"X": 4, "Y": 3} {
		v, found, err := Lookup(src, name)
		if err != nil || !found || v != want {
			t.Errorf("%s: got %v %v %v, want %d", name, v, found, err, want)
		}
	}
}

func TestErrorLine(t *testing.T) {
	src := []byte("A = 1\n\n\"\"\"doc\nstring\"\"\"\nX = {\n    'a': [\n        env('B'),\n    ],\n}\n")
	_, found, err := Lookup(src, "X")
	var e *Error
	if !found || !errors.As(err, &e) {
		t.Fatalf("found=%v err=%v", found, err)
	}
	if e.Line != 7 || !errors.Is(err, ErrNotLiteral) || e.Msg != "call to env()" {
		t.Fatalf("got line %d msg %q kind %v", e.Line, e.Msg, e.Kind)
	}
	if !strings.Contains(err.Error(), "X") {
		t.Errorf("error %q does not name the setting", err)
	}
}

func TestStarImports(t *testing.T) {
	src := `"""from nowhere import *"""
from .base import *  # noqa
from ..common.settings import *
from . import *
from os import path
from x import y, *
import os; from a.b import *
from pkg import (*)
try:
    from .local import *
except ImportError:
    pass
if True: from z import *
s = "from q import *"
`
	got := StarImports([]byte(src))
	want := []string{".base", "..common.settings", ".", "a.b"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := StarImports(nil); got != nil {
		t.Fatalf("empty: %q", got)
	}
}

func TestAssignments(t *testing.T) {
	src := `import os
A = 1
B: int = 2
C = D = 3
A = 4
E += 1
if x:
    F = 1
G, H = 1, 2
I: int
J = 1; K = 2
`
	got := assignments([]byte(src))
	want := []string{"A", "B", "C", "D", "E", "J", "K"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestDictGet(t *testing.T) {
	v, _, err := Lookup([]byte(`X = {"a": 1, "b": 2, "a": 3}`), "X")
	if err != nil {
		t.Fatal(err)
	}
	dv := v.(*Dict)
	if got, ok := dv.Get("a"); !ok || got != int64(3) {
		t.Fatalf("Get(a) = %v %v", got, ok)
	}
	if len(dv.Keys) != 2 {
		t.Fatalf("duplicate key kept: %#v", dv.Keys)
	}
	if _, ok := dv.Get("zz"); ok {
		t.Fatal("Get of a missing key succeeded")
	}
}
