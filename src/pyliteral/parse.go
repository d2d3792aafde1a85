package pyliteral

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// parser evaluates one right-hand side. Recursion happens only at brackets
// and is bounded by MaxDepth; unary signs are folded in a loop.
type parser struct {
	s     *scanner
	tok   token
	depth int // open brackets
	count int // values produced, bounded by MaxValues
	// lenient turns a dict value that is an expression into NotLiteral
	// instead of failing the whole lookup (LookupLenient).
	lenient bool
}

// evalAt evaluates the expression starting at offset off and ending at the
// end of its statement.
func evalAt(src []byte, off int, lenient bool) (Value, error) {
	p := &parser{s: &scanner{src: src, pos: off}, lenient: lenient}
	p.advance()
	v, err := p.top()
	if p.s.err != nil { // a fatal scanner error explains whatever the parser saw
		return nil, p.s.err
	}
	return v, err
}

func (p *parser) advance() { p.tok = p.s.next() }

func (p *parser) isOp(op string) bool { return p.s.is(p.tok, op) }

// fail builds an *Error at the current token.
func (p *parser) fail(kind error, format string, args ...any) error {
	return &Error{Line: lineOf(p.s.src, p.tok.start), Msg: fmt.Sprintf(format, args...), Kind: kind}
}

// describe names the current token for messages, truncated.
func (p *parser) describe() string {
	switch p.tok.kind {
	case tEOF:
		return "end of input"
	case tNewline:
		return "end of line"
	}
	t := p.s.text(p.tok)
	if len(t) > 24 {
		t = t[:24] + "..."
	}
	return strconv.Quote(t)
}

func (p *parser) atEnd() bool {
	return p.tok.kind == tNewline || p.tok.kind == tEOF || p.isOp(";")
}

// top parses the whole right-hand side: one value, or a bare tuple
// ("a", "b" or "a",) which Python builds from top-level commas.
func (p *parser) top() (Value, error) {
	v, _, err := p.element()
	if err != nil {
		return nil, err
	}
	if p.isOp(",") {
		items := []Value{v}
		for p.isOp(",") {
			if p.advance(); p.atEnd() {
				break
			}
			if v, _, err = p.element(); err != nil {
				return nil, err
			}
			items = append(items, v)
		}
		v = items
	}
	if !p.atEnd() {
		return nil, p.fail(ErrSyntax, "unexpected %s", p.describe())
	}
	return v, nil
}

// element parses one value in a sequence and rejects whatever would make
// it a larger, computed expression. hashable tells whether Python could
// use it as a dict key or set member.
func (p *parser) element() (v Value, hashable bool, err error) {
	if p.isOp("*") || p.isOp("**") {
		return nil, false, p.fail(ErrNotLiteral, "unpacking %s", p.describe())
	}
	if v, hashable, err = p.unary(); err != nil {
		return nil, false, err
	}
	if err = p.follow(); err != nil {
		return nil, false, err
	}
	if p.count++; p.count > MaxValues {
		return nil, false, p.fail(ErrTooLarge, "more than %d values", MaxValues)
	}
	return v, hashable, nil
}

// follow rejects tokens that continue a value into a computation.
func (p *parser) follow() error {
	t := p.s.text(p.tok)
	switch p.tok.kind {
	case tOp:
		switch t {
		case "(":
			return p.fail(ErrNotLiteral, "call")
		case "[":
			return p.fail(ErrNotLiteral, "subscript")
		case ".":
			return p.fail(ErrNotLiteral, "attribute access")
		case ":=":
			return p.fail(ErrNotLiteral, "assignment expression")
		case "+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^",
			"<", ">", "<=", ">=", "==", "!=":
			return p.fail(ErrNotLiteral, "operator %s", t)
		}
	case tName:
		switch t {
		case "if":
			return p.fail(ErrNotLiteral, "conditional expression")
		case "for", "async":
			return p.fail(ErrNotLiteral, "comprehension")
		case "and", "or", "not", "in", "is":
			return p.fail(ErrNotLiteral, "operator %s", t)
		}
	}
	return nil
}

// unary folds any run of "+" and "-" into the number that follows.
func (p *parser) unary() (Value, bool, error) {
	neg, signed := false, false
	for p.isOp("-") || p.isOp("+") {
		neg = neg != p.isOp("-")
		signed = true
		p.advance()
	}
	if !signed {
		return p.atom()
	}
	if p.tok.kind == tNumber {
		v, err := p.number(neg)
		return v, true, err
	}
	at := *p
	v, _, err := p.atom()
	if err != nil {
		return nil, false, err
	}
	switch x := v.(type) {
	case int64:
		if neg {
			if x == math.MinInt64 {
				return nil, false, at.fail(ErrNotLiteral, "integer out of int64 range")
			}
			x = -x
		}
		return x, true, nil
	case float64:
		if neg {
			x = -x
		}
		return x, true, nil
	}
	return nil, false, at.fail(ErrNotLiteral, "unary sign applied to a non-number")
}

// atom parses a literal, a bracketed display or a parenthesised value.
func (p *parser) atom() (Value, bool, error) {
	switch p.tok.kind {
	case tNumber:
		v, err := p.number(false)
		return v, true, err
	case tString:
		v, err := p.strings()
		return v, true, err
	case tName:
		switch p.s.text(p.tok) {
		case "True":
			p.advance()
			return true, true, nil
		case "False":
			p.advance()
			return false, true, nil
		case "None":
			p.advance()
			return nil, true, nil
		}
		return nil, false, p.nameError()
	case tOp:
		switch p.s.text(p.tok) {
		case "(":
			return p.paren()
		case "[":
			return p.list()
		case "{":
			return p.dictOrSet()
		case "...":
			return nil, false, p.fail(ErrNotLiteral, "Ellipsis")
		case "~":
			return nil, false, p.fail(ErrNotLiteral, "operator ~")
		case "*", "**":
			return nil, false, p.fail(ErrNotLiteral, "unpacking %s", p.describe())
		}
	case tNewline, tEOF:
		return nil, false, p.fail(ErrSyntax, "expected a value, found %s", p.describe())
	}
	return nil, false, p.fail(ErrSyntax, "unexpected %s", p.describe())
}

// nameError explains a name where a literal was expected: "call to
// env.list()", "name BASE_DIR", "lambda"... A keyword that cannot start an
// expression is a syntax error.
func (p *parser) nameError() error {
	at := *p
	n := p.s.text(p.tok)
	switch n {
	case "lambda":
		return p.fail(ErrNotLiteral, "lambda")
	case "yield", "await", "not":
		return p.fail(ErrNotLiteral, "%s expression", n)
	}
	if isKeyword(n) {
		return p.fail(ErrSyntax, "unexpected keyword %s", n)
	}
	p.advance()
	for i := 0; i < 8 && p.isOp("."); i++ {
		if p.advance(); p.tok.kind != tName {
			break
		}
		n += "." + p.s.text(p.tok)
		p.advance()
	}
	switch {
	case p.isOp("("):
		return at.fail(ErrNotLiteral, "call to %s()", n)
	case p.isOp("["):
		return at.fail(ErrNotLiteral, "subscript of %s", n)
	case p.s.isName(p.tok, "for") || p.s.isName(p.tok, "async"):
		return at.fail(ErrNotLiteral, "comprehension")
	}
	return at.fail(ErrNotLiteral, "name %s", n)
}

// open enters a bracket, enforcing MaxDepth.
func (p *parser) open() error {
	if p.depth++; p.depth > MaxDepth {
		return p.fail(ErrTooDeep, "more than %d nested brackets", MaxDepth)
	}
	p.advance()
	return nil
}

func (p *parser) close() {
	p.depth--
	p.advance()
}

// paren parses "()", a tuple, or a parenthesised value.
func (p *parser) paren() (Value, bool, error) {
	if err := p.open(); err != nil {
		return nil, false, err
	}
	if p.isOp(")") {
		p.close()
		return []Value{}, true, nil
	}
	v, h, err := p.element()
	if err != nil {
		return nil, false, err
	}
	if p.isOp(")") {
		p.close()
		return v, h, nil
	}
	items := []Value{v}
	for p.isOp(",") {
		if p.advance(); p.isOp(")") {
			break
		}
		v, eh, err := p.element()
		if err != nil {
			return nil, false, err
		}
		items = append(items, v)
		h = h && eh
	}
	if !p.isOp(")") {
		return nil, false, p.fail(ErrSyntax, "expected ',' or ')', found %s", p.describe())
	}
	p.close()
	return items, h, nil
}

// list parses a list display.
func (p *parser) list() (Value, bool, error) {
	if err := p.open(); err != nil {
		return nil, false, err
	}
	items := []Value{}
	for !p.isOp("]") {
		v, _, err := p.element()
		if err != nil {
			return nil, false, err
		}
		items = append(items, v)
		if p.isOp(",") {
			p.advance()
		} else if !p.isOp("]") {
			return nil, false, p.fail(ErrSyntax, "expected ',' or ']', found %s", p.describe())
		}
	}
	p.close()
	return items, false, nil
}

// dictOrSet parses "{}" (an empty dict), a dict or a set display.
func (p *parser) dictOrSet() (Value, bool, error) {
	if err := p.open(); err != nil {
		return nil, false, err
	}
	if p.isOp("}") {
		p.close()
		return &Dict{}, false, nil
	}
	if p.isOp("**") {
		return nil, false, p.fail(ErrNotLiteral, "dict unpacking")
	}
	k, kh, err := p.element()
	if err != nil {
		return nil, false, err
	}
	if p.isOp(":") {
		return p.dict(k, kh)
	}
	var set keySet
	for {
		if !kh {
			return nil, false, p.fail(ErrNotLiteral, "unhashable set element")
		}
		set.add(k, nil, false)
		if p.isOp(",") {
			if p.advance(); p.isOp("}") {
				break
			}
			if k, kh, err = p.element(); err != nil {
				return nil, false, err
			}
			continue
		}
		if p.isOp("}") {
			break
		}
		return nil, false, p.fail(ErrSyntax, "expected ',' or '}', found %s", p.describe())
	}
	p.close()
	return set.keys, false, nil
}

// dict parses the rest of a dict display whose first key is k.
func (p *parser) dict(k Value, kh bool) (Value, bool, error) {
	var d keySet
	for {
		if !kh {
			return nil, false, p.fail(ErrNotLiteral, "unhashable dict key")
		}
		if !p.isOp(":") {
			return nil, false, p.fail(ErrSyntax, "expected ':', found %s", p.describe())
		}
		p.advance()
		saved := p.depth
		v, _, err := p.element()
		if err != nil {
			if !p.lenient || !errors.Is(err, ErrNotLiteral) {
				return nil, false, err
			}
			var e *Error
			errors.As(err, &e)
			if err := p.skipValue(saved); err != nil {
				return nil, false, err
			}
			v = NotLiteral{Line: e.Line, Msg: e.Msg}
		}
		d.add(k, v, true)
		if p.isOp(",") {
			if p.advance(); p.isOp("}") {
				break
			}
			if p.isOp("**") {
				return nil, false, p.fail(ErrNotLiteral, "dict unpacking")
			}
			if k, kh, err = p.element(); err != nil {
				return nil, false, err
			}
			continue
		}
		if p.isOp("}") {
			break
		}
		return nil, false, p.fail(ErrSyntax, "expected ',' or '}', found %s", p.describe())
	}
	p.close()
	return &Dict{Keys: d.keys, Values: d.values}, false, nil
}

// keySet collects dict items or set members with Python's equality: a
// repeated key keeps its first position and takes the last value, and
// 1, 1.0 and True are the same key.
type keySet struct {
	keys, values []Value
	index        map[string]int
}

// add records k (with value v when isDict).
func (s *keySet) add(k, v Value, isDict bool) {
	if s.index == nil {
		s.keys, s.index = []Value{}, map[string]int{}
	}
	var b strings.Builder
	writeKey(&b, k)
	key := b.String()
	if i, ok := s.index[key]; ok {
		if isDict {
			s.values[i] = v
		}
		return
	}
	s.index[key] = len(s.keys)
	s.keys = append(s.keys, k)
	if isDict {
		s.values = append(s.values, v)
	}
}

// writeKey writes a canonical encoding of a hashable value: numbers that
// compare equal in Python encode the same. Strings are length-prefixed so
// tuples cannot collide.
func writeKey(b *strings.Builder, v Value) {
	switch x := v.(type) {
	case string:
		fmt.Fprintf(b, "s%d:%s", len(x), x)
	case bool:
		if x {
			b.WriteString("n1;")
		} else {
			b.WriteString("n0;")
		}
	case int64:
		fmt.Fprintf(b, "n%d;", x)
	case float64:
		if x == math.Trunc(x) && x >= -(1<<63) && x < 1<<63 {
			fmt.Fprintf(b, "n%d;", int64(x))
		} else {
			fmt.Fprintf(b, "f%x;", math.Float64bits(x))
		}
	case nil:
		b.WriteString("N")
	case []Value:
		b.WriteString("(")
		for _, e := range x {
			writeKey(b, e)
		}
		b.WriteString(")")
	}
}

// number evaluates the current number token, negated when neg.
func (p *parser) number(neg bool) (Value, error) {
	v, err := parseNumber(p.s.src[p.tok.start:p.tok.end], neg)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Line = lineOf(p.s.src, p.tok.start)
		}
		return nil, err
	}
	p.advance()
	return v, nil
}

// strings evaluates a run of adjacent string literals (implicit
// concatenation, which may span lines inside brackets).
func (p *parser) strings() (Value, error) {
	var buf []byte
	isBytes := p.tok.flags&fBytes != 0
	for p.tok.kind == tString {
		t := p.tok
		switch {
		case t.flags&fBad != 0:
			return nil, p.fail(ErrSyntax, "unterminated string")
		case t.flags&fFormat != 0:
			return nil, p.fail(ErrNotLiteral, "f-string")
		case t.flags&fTemplate != 0:
			return nil, p.fail(ErrNotLiteral, "t-string")
		case (t.flags&fBytes != 0) != isBytes:
			return nil, p.fail(ErrSyntax, "cannot mix bytes and str literals")
		}
		var msg string
		var kind error
		buf, msg, kind = appendDecoded(buf, p.s.src[t.body:t.bEnd], t.flags)
		if kind != nil {
			return nil, p.fail(kind, "%s", msg)
		}
		p.advance()
	}
	return string(buf), nil
}

// skipValue moves past the rest of a dict value that is not a literal, to
// the ',' or '}' that ends it at bracket depth saved, whatever brackets the
// failed parse had opened.
func (p *parser) skipValue(saved int) error {
	nest := p.depth - saved
	for {
		switch {
		case p.tok.kind == tEOF:
			return p.fail(ErrSyntax, "unexpected end of input")
		case p.isOp("(") || p.isOp("[") || p.isOp("{"):
			nest++
		case p.isOp(")") || p.isOp("]") || p.isOp("}"):
			if nest == 0 {
				p.depth = saved
				return nil
			}
			nest--
		case p.isOp(",") && nest == 0:
			p.depth = saved
			return nil
		}
		p.advance()
	}
}
