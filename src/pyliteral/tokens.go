package pyliteral

import "bytes"

// TokenKind says what a Token is.
type TokenKind uint8

// The kinds of Token.
const (
	Name TokenKind = iota + 1
	String
	Number
	Op
)

// Token is one Python token for callers that look for patterns in source
// they do not evaluate (project's detection: a setdefault call, a Celery()
// assignment). It comes from the same scanner the literal parser uses, so
// prodserver has one Python tokenizer.
type Token struct {
	Kind TokenKind
	// Text is the token's source text; for a string, its contents between
	// the quotes with only \\, \' and \" decoded (all pattern checks need).
	Text string
	// Stmt is true for the first token of a simple statement: after a
	// newline outside brackets, or after a ';'.
	Stmt bool
	// Indent is the column (tabs to multiples of 8) at which the
	// statement's first token starts; every token of the statement has it.
	Indent int
	// Start is the token's byte offset in src, so a caller can hand the
	// source from there to Eval.
	Start int
}

// Tokens splits src into tokens, dropping comments and line breaks. It
// never fails: malformed input (an unterminated string) ends the tokens
// early.
func Tokens(src []byte) []Token {
	s := &scanner{src: src}
	if bytes.HasPrefix(src, bom) {
		s.pos = len(bom)
	}
	var toks []Token
	stmt, indent := true, 0
	for {
		t := s.next()
		switch t.kind {
		case tEOF:
			return toks
		case tNewline:
			stmt = true
			continue
		}
		if t.kind == tString && t.flags&fBad != 0 {
			return toks
		}
		if stmt {
			indent = column(src, t.start)
		}
		tok := Token{Text: string(src[t.start:t.end]), Stmt: stmt, Indent: indent, Start: t.start}
		stmt = false
		switch t.kind {
		case tName:
			tok.Kind = Name
		case tNumber:
			tok.Kind = Number
		case tString:
			tok.Kind, tok.Text = String, quotedText(src[t.body:t.bEnd], t.flags&fRaw != 0)
		default:
			tok.Kind = Op
			stmt = tok.Text == ";" && s.depth == 0
		}
		toks = append(toks, tok)
	}
}

// column is the column of src[off] in its physical line, a tab advancing
// to the next multiple of 8.
func column(src []byte, off int) int {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	col := 0
	for _, c := range src[start:off] {
		if c == '\t' {
			col += 8 - col%8
		} else {
			col++
		}
	}
	return col
}

// quotedText decodes \\, \' and \" in a non-raw string body, leaving every
// other escape as written.
func quotedText(body []byte, raw bool) string {
	if raw || bytes.IndexByte(body, '\\') < 0 {
		return string(body)
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		if body[i] == '\\' && i+1 < len(body) {
			if n := body[i+1]; n == '\\' || n == '\'' || n == '"' {
				out = append(out, n)
			} else {
				out = append(out, body[i], n)
			}
			i++
			continue
		}
		out = append(out, body[i])
	}
	return string(out)
}
