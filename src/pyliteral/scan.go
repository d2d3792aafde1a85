package pyliteral

// This file is a small Python tokenizer: just enough of the lexical rules
// (strings of every kind, comments, brackets, line continuations) to split a
// module into logical lines and hand tokens to the literal parser. It never
// allocates per token and every byte is looked at a bounded number of times.

type tokKind uint8

const (
	tEOF     tokKind = iota
	tNewline         // end of a logical line (only emitted outside brackets)
	tName
	tNumber
	tString
	tOp // operators, brackets and any byte that is not valid Python
)

// String token flags.
const (
	fRaw      = 1 << iota // r prefix: backslashes are literal
	fBytes                // b prefix
	fFormat               // f prefix: contains replacement fields
	fTemplate             // t prefix (PEP 750)
	fBad                  // unterminated
)

// token is a span of the source; strings also carry their body span.
type token struct {
	kind       tokKind
	flags      uint8
	start, end int // the whole token, prefix and quotes included
	body, bEnd int // string contents between the quotes
}

// scanner produces tokens from src starting at pos. Its state is plain
// values, so copying the struct saves a position.
type scanner struct {
	src   []byte
	pos   int
	depth int   // open brackets; newlines inside brackets are not tokens
	err   error // fatal (f-string nesting too deep): every next() is EOF
}

// next returns the next token, skipping whitespace, comments, backslash
// continuations and newlines inside brackets.
func (s *scanner) next() token {
	src := s.src
	for {
		if s.err != nil || s.pos >= len(src) {
			return token{kind: tEOF, start: len(src), end: len(src)}
		}
		c := src[s.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\f':
			s.pos++
		case c == '#':
			s.pos = lineEnd(src, s.pos)
		case c == '\\' && newlineLen(src, s.pos+1) > 0:
			s.pos += 1 + newlineLen(src, s.pos+1)
		case c == '\n' || c == '\r':
			start := s.pos
			s.pos += newlineLen(src, s.pos)
			if s.depth == 0 {
				return token{kind: tNewline, start: start, end: s.pos}
			}
		case isIdentStart(c):
			return s.name()
		case isDigit(c) || (c == '.' && s.pos+1 < len(src) && isDigit(src[s.pos+1])):
			return s.number()
		case c == '"' || c == '\'':
			return s.str(s.pos, 0, 0)
		default:
			return s.op()
		}
	}
}

// text returns the token's source text (allocates; for messages).
func (s *scanner) text(t token) string { return string(s.src[t.start:t.end]) }

// is reports whether t is the operator op (no allocation).
func (s *scanner) is(t token, op string) bool {
	return t.kind == tOp && string(s.src[t.start:t.end]) == op
}

// isName reports whether t is the name (or keyword) n.
func (s *scanner) isName(t token, n string) bool {
	return t.kind == tName && string(s.src[t.start:t.end]) == n
}

func (s *scanner) name() token {
	start := s.pos
	for s.pos < len(s.src) && isIdentChar(s.src[s.pos]) {
		s.pos++
	}
	if s.pos < len(s.src) && (s.src[s.pos] == '"' || s.src[s.pos] == '\'') {
		if fl, ok := prefixFlags(s.src[start:s.pos]); ok {
			return s.str(start, fl, 0)
		}
	}
	return token{kind: tName, start: start, end: s.pos}
}

// prefixFlags decodes a string prefix; ok is false for combinations Python
// does not accept (then the letters are an ordinary name).
func prefixFlags(p []byte) (fl uint8, ok bool) {
	if len(p) > 2 {
		return 0, false
	}
	for _, c := range p {
		switch c | 0x20 {
		case 'r':
			fl |= fRaw
		case 'b':
			fl |= fBytes
		case 'f':
			fl |= fFormat
		case 't':
			fl |= fTemplate
		case 'u':
			if len(p) != 1 {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	// Two letters must be r plus one of b, f, t (in either order).
	if len(p) == 2 && (fl&fRaw == 0 || fl == fRaw) {
		return 0, false
	}
	return fl, true
}

// str scans a string whose prefix starts at start and whose opening quote
// is at s.pos. level is the f-string nesting level.
func (s *scanner) str(start int, fl uint8, level int) token {
	src := s.src
	q := src[s.pos]
	triple := s.pos+2 < len(src) && src[s.pos+1] == q && src[s.pos+2] == q
	if triple {
		s.pos += 3
	} else {
		s.pos++
	}
	t := token{kind: tString, flags: fl, start: start, body: s.pos}
	var ok bool
	t.bEnd, ok = s.stringBody(q, triple, fl, level)
	if !ok {
		t.flags |= fBad
	}
	t.end = s.pos
	return t
}

// stringBody advances over a string body and its closing quote and returns
// where the body ends; ok is false when the string is unterminated (then a
// single-quoted string stops before the newline, as Python's tokenizer does).
func (s *scanner) stringBody(q byte, triple bool, fl uint8, level int) (bodyEnd int, ok bool) {
	src := s.src
	fstr := fl&(fFormat|fTemplate) != 0
	for s.pos < len(src) {
		c := src[s.pos]
		switch {
		case c == '\\':
			if fstr && s.pos+1 < len(src) && (src[s.pos+1] == '{' || src[s.pos+1] == '}') {
				s.pos++ // a backslash does not escape a brace
				continue
			}
			if fstr && fl&fRaw == 0 && s.pos+2 < len(src) && src[s.pos+1] == 'N' && src[s.pos+2] == '{' {
				s.pos += 3 // \N{NAME}: the braces belong to the escape
				for s.pos < len(src) && src[s.pos] != '}' && src[s.pos] != q && src[s.pos] != '\n' && src[s.pos] != '\r' {
					s.pos++
				}
				if s.pos < len(src) && src[s.pos] == '}' {
					s.pos++
				}
				continue
			}
			s.pos++
			if s.pos < len(src) {
				s.pos += max(1, newlineLen(src, s.pos))
			}
		case c == q:
			if !triple {
				s.pos++
				return s.pos - 1, true
			}
			if s.pos+2 < len(src) && src[s.pos+1] == q && src[s.pos+2] == q {
				s.pos += 3
				return s.pos - 3, true
			}
			s.pos++
		case c == '\n' || c == '\r':
			if !triple {
				return s.pos, false
			}
			s.pos++
		case fstr && c == '{':
			if s.pos+1 < len(src) && src[s.pos+1] == '{' {
				s.pos += 2
				continue
			}
			s.pos++
			if !s.replacement(q, triple, level+1) {
				return s.pos, false
			}
		case fstr && c == '}':
			s.pos++ // "}}" or a stray brace
			if s.pos < len(src) && src[s.pos] == '}' {
				s.pos++
			}
		default:
			s.pos++
		}
	}
	return s.pos, false
}

// replacement skips an f-string replacement field after its "{": an
// expression (which may hold nested strings, PEP 701), an optional
// conversion and format spec, and the closing "}".
func (s *scanner) replacement(q byte, triple bool, level int) bool {
	if level > MaxDepth {
		s.err = &Error{Line: lineOf(s.src, s.pos), Msg: "f-string nesting", Kind: ErrTooDeep}
		return false
	}
	src := s.src
	depth := 0
	for s.pos < len(src) && s.err == nil {
		c := src[s.pos]
		switch {
		case c == '\n' || c == '\r':
			if !triple && depth == 0 {
				return false
			}
			s.pos++
		case c == '#' && triple:
			s.pos = lineEnd(src, s.pos)
		case c == '\\':
			s.pos = min(s.pos+2, len(src))
		case c == '"' || c == '\'':
			s.str(s.pos, 0, level)
		case isIdentStart(c):
			start := s.pos
			for s.pos < len(src) && isIdentChar(src[s.pos]) {
				s.pos++
			}
			if s.pos < len(src) && (src[s.pos] == '"' || src[s.pos] == '\'') {
				if fl, ok := prefixFlags(src[start:s.pos]); ok {
					s.str(start, fl, level)
				}
			}
		case c == '(' || c == '[' || c == '{':
			depth++
			s.pos++
		case c == ')' || c == ']':
			depth = max(depth-1, 0)
			s.pos++
		case c == '}':
			s.pos++
			if depth == 0 {
				return true
			}
			depth--
		case c == ':' && depth == 0:
			s.pos++
			return s.formatSpec(q, triple, level)
		default:
			s.pos++
		}
	}
	return false
}

// formatSpec skips a format spec up to and including the "}" ending the
// replacement field; it may contain nested replacement fields.
func (s *scanner) formatSpec(q byte, triple bool, level int) bool {
	src := s.src
	for s.pos < len(src) && s.err == nil {
		c := src[s.pos]
		switch {
		case c == '}':
			s.pos++
			return true
		case c == '{':
			s.pos++
			if !s.replacement(q, triple, level+1) {
				return false
			}
		case c == q && (!triple || (s.pos+2 < len(src) && src[s.pos+1] == q && src[s.pos+2] == q)):
			return false
		case (c == '\n' || c == '\r') && !triple:
			return false
		case c == '\\':
			s.pos = min(s.pos+2, len(src))
		default:
			s.pos++
		}
	}
	return false
}

// number scans a numeric literal loosely; the parser validates it. Trailing
// identifier characters are absorbed so "1abc" is one (invalid) token.
func (s *scanner) number() token {
	src := s.src
	start := s.pos
	i := s.pos
	if src[i] == '0' && i+1 < len(src) && (src[i+1]|0x20 == 'x' || src[i+1]|0x20 == 'o' || src[i+1]|0x20 == 'b') {
		i += 2
	} else {
		i = skipDigits(src, i)
		if i < len(src) && src[i] == '.' {
			i = skipDigits(src, i+1)
		}
		if i < len(src) && src[i]|0x20 == 'e' {
			j := i + 1
			if j < len(src) && (src[j] == '+' || src[j] == '-') {
				j++
			}
			if j < len(src) && isDigit(src[j]) {
				i = skipDigits(src, j)
			}
		}
	}
	for i < len(src) && isIdentChar(src[i]) {
		i++
	}
	s.pos = i
	return token{kind: tNumber, start: start, end: i}
}

// op scans an operator (longest match) and tracks bracket depth.
func (s *scanner) op() token {
	start := s.pos
	n := opLen(s.src[s.pos:])
	if n == 1 {
		switch s.src[s.pos] {
		case '(', '[', '{':
			s.depth++
		case ')', ']', '}':
			s.depth = max(s.depth-1, 0)
		}
	}
	s.pos += n
	return token{kind: tOp, start: start, end: s.pos}
}

// opLen returns the length of the operator at the start of b: 3 for
// "**=", "//=", ">>=", "<<=", "...", 2 for the two-character operators and
// 1 otherwise (including bytes that are not Python at all).
func opLen(b []byte) int {
	var c1, c2 byte
	if len(b) > 1 {
		c1 = b[1]
	}
	if len(b) > 2 {
		c2 = b[2]
	}
	switch c := b[0]; c {
	case '*', '/', '<', '>':
		if c1 == c {
			if c2 == '=' {
				return 3
			}
			return 2
		}
		if c1 == '=' {
			return 2
		}
	case '.':
		if c1 == '.' && c2 == '.' {
			return 3
		}
	case '-':
		if c1 == '>' || c1 == '=' {
			return 2
		}
	case ':', '+', '%', '&', '|', '^', '@', '=', '!':
		if c1 == '=' {
			return 2
		}
	}
	return 1
}

func skipDigits(src []byte, i int) int {
	for i < len(src) && (isDigit(src[i]) || src[i] == '_') {
		i++
	}
	return i
}

// newlineLen returns the length of the line break at i (0, 1 or 2).
func newlineLen(src []byte, i int) int {
	if i >= len(src) {
		return 0
	}
	switch src[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	}
	return 0
}

// lineEnd returns the offset of the line break at or after i.
func lineEnd(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' && src[i] != '\r' {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isIdentStart accepts any non-ASCII byte: Python identifiers may be
// Unicode, and treating stray bytes as names is harmless when skipping.
func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }
