package pyliteral

import (
	"bytes"
	"fmt"
)

// Lookup finds the last module-level assignment to name in the Python
// source src and evaluates its value as a literal, so a deploy can read a
// setting such as PRODUCTION_PROCESSES without running Python.
//
// Module-level means the statement starts in column 0 (or follows a ";" on
// such a line); assignments indented inside if/try/def/class bodies are
// ignored. Recognised forms are "NAME = v", "NAME: T = v" and chains
// "A = B = v". An augmented assignment ("NAME += v") counts as an
// assignment whose value is not a literal.
//
// found is false (and err nil) when there is no such assignment. When there
// is one but its value cannot be evaluated, found is true and err wraps
// ErrNotLiteral, ErrSyntax, ErrTooLarge or ErrTooDeep (see Error for the
// line). When the file itself cannot be scanned (larger than MaxSize, or
// f-strings nested deeper than MaxDepth) found is false and err wraps
// ErrTooLarge or ErrTooDeep.
func Lookup(src []byte, name string) (v Value, found bool, err error) {
	return lookup(src, name, false)
}

// LookupLenient is Lookup for settings whose keys matter more than their
// values: a dict value that is not a literal (REDIS_URL, env("X")) becomes
// NotLiteral instead of failing, so RQ_QUEUES = {"high": {"URL": REDIS_URL}}
// still yields its queue names. Everything else is as strict as Lookup.
func LookupLenient(src []byte, name string) (v Value, found bool, err error) {
	return lookup(src, name, true)
}

func lookup(src []byte, name string, lenient bool) (v Value, found bool, err error) {
	var last stmt
	err = walk(src, func(st *stmt) {
		if st.rhs < 0 {
			return
		}
		for _, t := range st.targets {
			if string(src[t.start:t.end]) == name {
				last = stmt{start: st.start, rhs: st.rhs, aug: st.aug}
				found = true
			}
		}
	})
	if err != nil {
		return nil, false, fmt.Errorf("looking up %s: %w", name, err)
	}
	if !found {
		return nil, false, nil
	}
	if last.aug {
		err = &Error{Line: lineOf(src, last.start), Msg: "augmented assignment", Kind: ErrNotLiteral}
	} else {
		v, err = evalAt(src, last.rhs, lenient)
	}
	if err != nil {
		// The setting's name, not the package's: the operator reads
		// this and has to find the line to fix.
		return nil, true, fmt.Errorf("%s: %w", name, err)
	}
	return v, true, nil
}

// Eval evaluates src as one literal expression (up to the end of its
// statement), so a caller that found a statement with Tokens can read the
// value it assigns without a second Python parser. Errors are as Lookup's.
func Eval(src []byte) (Value, error) {
	if len(src) > MaxSize {
		return nil, &Error{Msg: fmt.Sprintf("input of %d bytes exceeds %d", len(src), MaxSize), Kind: ErrTooLarge}
	}
	return evalAt(src, 0, false)
}

// StarImports returns the modules of module-level "from X import *"
// statements in source order, relative ones with their leading dots (".base",
// "..common"), so a caller can follow split settings packages. It returns
// nil for input larger than MaxSize.
func StarImports(src []byte) []string {
	var mods []string
	_ = walk(src, func(st *stmt) {
		if st.star {
			mods = append(mods, st.module)
		}
	})
	return mods
}

// assignments returns the names bound by module-level assignments (plain,
// annotated, chained or augmented), each once, in order of first
// assignment; useful to list what a settings module defines. It returns nil
// for input larger than MaxSize.
func assignments(src []byte) []string {
	var names []string
	seen := map[string]bool{}
	_ = walk(src, func(st *stmt) {
		if st.rhs < 0 {
			return
		}
		for _, t := range st.targets {
			n := string(src[t.start:t.end])
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	})
	return names
}

// span is a byte range of the source.
type span struct{ start, end int }

// stmt summarises one module-level simple statement.
type stmt struct {
	start   int    // offset of its first token
	targets []span // plain names assigned to
	aug     bool   // augmented assignment (targets has one name)
	rhs     int    // offset just after the last "=" (or augmented op); -1 if none
	star    bool   // "from module import *"
	module  string
}

var bom = []byte("\xef\xbb\xbf")

// walk calls visit for each module-level simple statement of src. The
// *stmt is reused between calls.
func walk(src []byte, visit func(*stmt)) error {
	if len(src) > MaxSize {
		return &Error{Msg: fmt.Sprintf("input of %d bytes exceeds %d", len(src), MaxSize), Kind: ErrTooLarge}
	}
	s := &scanner{src: src}
	base := 0
	if bytes.HasPrefix(src, bom) {
		s.pos, base = len(bom), len(bom)
	}
	var st stmt
	t := s.next()
	for t.kind != tEOF {
		if t.kind == tNewline {
			t = s.next()
			continue
		}
		if !atColumn0(src, base, t.start) || startsCompound(s, t) {
			t = s.skipLine(t)
			continue
		}
		for {
			t = s.statement(t, &st)
			visit(&st)
			if !s.is(t, ";") {
				break
			}
			t = s.next()
			if t.kind == tNewline || t.kind == tEOF {
				break
			}
		}
	}
	return s.err
}

// atColumn0 reports whether off starts a physical line (form feeds reset
// the column in Python, so they may precede it).
func atColumn0(src []byte, base, off int) bool {
	i := off - 1
	for i >= base && src[i] == '\f' {
		i--
	}
	return i < base || src[i] == '\n' || src[i] == '\r'
}

// startsCompound reports whether a logical line starting with t is a
// compound statement header or decorator; text after its ":" (even after
// ";") belongs to the block, not to the module.
func startsCompound(s *scanner, t token) bool {
	if s.is(t, "@") {
		return true
	}
	if t.kind != tName {
		return false
	}
	switch string(s.src[t.start:t.end]) {
	case "if", "elif", "else", "for", "while", "try", "except", "finally",
		"with", "def", "class", "async":
		return true
	}
	return false
}

// skipLine skips to the end of the logical line that t starts.
func (s *scanner) skipLine(t token) token {
	for t.kind != tNewline && t.kind != tEOF {
		t = s.next()
	}
	return t
}

// endsStatement reports whether t ends a simple statement.
func (s *scanner) endsStatement(t token) bool {
	return t.kind == tNewline || t.kind == tEOF || (s.depth == 0 && s.is(t, ";"))
}

// isAugOp reports whether o is an augmented assignment operator ("+=",
// "//=", ...).
func isAugOp(o []byte) bool {
	if len(o) < 2 || o[len(o)-1] != '=' {
		return false
	}
	switch string(o) {
	case "==", "!=", "<=", ">=", ":=":
		return false
	}
	return true
}

// statement reads the simple statement starting at t into st and returns
// the token that ended it (";", newline or EOF).
//
// Targets are found by splitting the statement at "=" outside brackets:
// every segment but the last that is a single name is a target and the
// value starts after the last "=". Splitting stops at "lambda", whose
// default arguments also use "=".
func (s *scanner) statement(t token, st *stmt) token {
	st.start, st.targets, st.aug, st.rhs, st.star, st.module = t.start, st.targets[:0], false, -1, false, ""
	if s.isName(t, "from") {
		return s.fromImport(t, st)
	}
	var first token // first token of the current segment
	n := 0          // tokens in the current segment
	firstSeg, annotated, split := true, false, true
	for ; !s.endsStatement(t); t = s.next() {
		if split && s.depth == 0 && t.kind == tOp {
			op := s.src[t.start:t.end]
			switch {
			case len(op) == 1 && op[0] == '=':
				if (n == 1 || (annotated && firstSeg)) && s.isTarget(first) {
					st.targets = append(st.targets, span{first.start, first.end})
				}
				firstSeg, n, st.rhs = false, 0, t.end
				continue
			case isAugOp(op):
				if firstSeg && n == 1 && s.isTarget(first) {
					st.targets = append(st.targets, span{first.start, first.end})
					st.aug = true
					st.rhs = t.end
				}
				split = false
			case len(op) == 1 && op[0] == ':':
				annotated = annotated || (firstSeg && n == 1)
			}
		}
		if s.isName(t, "lambda") {
			split = false
		}
		if n == 0 {
			first = t
		}
		n++
	}
	return t
}

// isTarget reports whether t is a name that can be assigned to.
func (s *scanner) isTarget(t token) bool {
	return t.kind == tName && !isKeyword(string(s.src[t.start:t.end]))
}

// fromImport reads "from MODULE import ..." and records star imports.
func (s *scanner) fromImport(t token, st *stmt) token {
	var mod []byte
	t = s.next()
	for s.is(t, ".") || s.is(t, "...") {
		mod = append(mod, s.src[t.start:t.end]...)
		t = s.next()
	}
	for t.kind == tName && !s.isName(t, "import") {
		mod = append(mod, s.src[t.start:t.end]...)
		if t = s.next(); !s.is(t, ".") {
			break
		}
		mod = append(mod, '.')
		t = s.next()
	}
	if len(mod) > 0 && s.isName(t, "import") {
		if t = s.next(); s.is(t, "*") {
			if t = s.next(); s.endsStatement(t) {
				st.star, st.module = true, string(mod)
			}
		}
	}
	for !s.endsStatement(t) {
		t = s.next()
	}
	return t
}

// isKeyword reports whether n is a hard Python keyword.
func isKeyword(n string) bool {
	switch n {
	case "False", "None", "True", "and", "as", "assert", "async", "await",
		"break", "class", "continue", "def", "del", "elif", "else", "except",
		"finally", "for", "from", "global", "if", "import", "in", "is",
		"lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
		"while", "with", "yield":
		return true
	}
	return false
}
