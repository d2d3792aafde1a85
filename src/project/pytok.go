package project

// A deliberately tiny Python tokenizer. Detection needs a handful of cheap
// pattern checks on source files it does not evaluate (manage.py's
// os.environ.setdefault call, `app = Celery(...)`, which names a module
// defines, which string literals a settings module mentions). Matching raw
// bytes would be fooled by comments and strings; a full parser is not needed.
// Evaluating literals is pyliteral's job, not this file's.

type tokKind uint8

const (
	tName tokKind = iota + 1
	tString
	tNumber
	tOp
)

// token is one Python token. For strings, text is the literal's content with
// the quotes and prefix removed (escapes are not decoded except \\ and
// escaped quotes, which is all the checks here need).
type token struct {
	kind tokKind
	text string
	// stmt is true for the first token of a logical line.
	stmt bool
	// indent is the column of the logical line's first token.
	indent int
}

// tokenize splits src into tokens, dropping comments and line structure
// (except for token.stmt and token.indent). It never fails: malformed input
// (an unterminated string) ends the token stream early.
func tokenize(src []byte) []token {
	var toks []token
	depth := 0 // bracket nesting: newlines inside brackets do not end a line
	atLine := true
	col := 0
	indent := 0
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			if depth == 0 {
				atLine = true
			}
			col = 0
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			if c == '\t' {
				col += 8 - col%8
			} else {
				col++
			}
			i++
			continue
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r'):
			// explicit line continuation
			i += 2
			if i < len(src) && src[i-1] == '\r' && src[i] == '\n' {
				i++
			}
			continue
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		stmt := false
		if atLine && depth == 0 {
			stmt = true
			indent = col
			atLine = false
		}
		start := i
		switch {
		case isIdentStart(c):
			j := i
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			// string prefix (r, b, u, f, rb, br, fr, rf, ...) directly before a quote
			if j < len(src) && (src[j] == '"' || src[j] == '\'') && j-i <= 2 && isStringPrefix(src[i:j]) {
				raw := bytesContainFold(src[i:j], 'r')
				text, end, ok := readString(src, j, raw)
				if !ok {
					return toks
				}
				toks = append(toks, token{kind: tString, text: text, stmt: stmt, indent: indent})
				col += end - start
				i = end
				continue
			}
			toks = append(toks, token{kind: tName, text: string(src[i:j]), stmt: stmt, indent: indent})
			col += j - i
			i = j
		case c == '"' || c == '\'':
			text, end, ok := readString(src, i, false)
			if !ok {
				return toks
			}
			toks = append(toks, token{kind: tString, text: text, stmt: stmt, indent: indent})
			col += end - start
			i = end
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (isIdentPart(src[j]) || src[j] == '.') {
				j++
			}
			toks = append(toks, token{kind: tNumber, text: string(src[i:j]), stmt: stmt, indent: indent})
			col += j - i
			i = j
		default:
			n := 1
			if i+1 < len(src) && src[i+1] == '=' && (c == '+' || c == '-' || c == '*' || c == '/' || c == '|' || c == '&' || c == '=' || c == '!' || c == '<' || c == '>' || c == ':' || c == '%' || c == '^') {
				n = 2
			}
			switch c {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth > 0 {
					depth--
				}
			case ';':
				if depth == 0 {
					atLine = true
				}
			}
			if c >= 0x80 {
				// non-ASCII outside strings (identifiers in other scripts):
				// swallow the whole UTF-8 sequence as one op token.
				for n < 4 && i+n < len(src) && src[i+n]&0xC0 == 0x80 {
					n++
				}
			}
			toks = append(toks, token{kind: tOp, text: string(src[i : i+n]), stmt: stmt, indent: indent})
			col += n
			i += n
		}
	}
	return toks
}

// readString reads the string literal whose opening quote is at src[q]. It
// returns the content, the index just past the closing quote and false when
// the literal is not terminated.
func readString(src []byte, q int, raw bool) (string, int, bool) {
	quote := src[q]
	triple := q+2 < len(src) && src[q+1] == quote && src[q+2] == quote
	i := q + 1
	if triple {
		i = q + 3
	}
	var out []byte
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			next := src[i+1]
			if !raw && (next == '\\' || next == '\'' || next == '"') {
				out = append(out, next)
			} else {
				out = append(out, c, next)
			}
			i += 2
			continue
		case c == quote:
			if !triple {
				return string(out), i + 1, true
			}
			if i+2 < len(src) && src[i+1] == quote && src[i+2] == quote {
				return string(out), i + 3, true
			}
		case c == '\n' && !triple:
			return "", 0, false
		}
		out = append(out, c)
		i++
	}
	return "", 0, false
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}

func isStringPrefix(p []byte) bool {
	for _, c := range p {
		switch c {
		case 'r', 'R', 'b', 'B', 'u', 'U', 'f', 'F', 't', 'T':
		default:
			return false
		}
	}
	return true
}

func bytesContainFold(p []byte, lower byte) bool {
	for _, c := range p {
		if c|0x20 == lower {
			return true
		}
	}
	return false
}

// isIdentifier reports whether s is an ASCII Python identifier.
func isIdentifier(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return false
		}
	}
	return true
}

// isDottedName reports whether s is a dotted Python module path such as
// "config.settings.production".
func isDottedName(s string) bool {
	if s == "" {
		return false
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if !isIdentifier(s[start:i]) {
				return false
			}
			start = i + 1
		}
	}
	return true
}

// settingsModuleDefault returns the module that a manage.py, wsgi.py,
// asgi.py or celery module selects with
// os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...") or
// os.environ["DJANGO_SETTINGS_MODULE"] = "...", "" when there is none.
// The first such statement wins, as it would at run time.
func settingsModuleDefault(src []byte) string {
	toks := tokenize(src)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tString || t.text != "DJANGO_SETTINGS_MODULE" || i < 2 {
			continue
		}
		prev := toks[i-1]
		switch {
		case prev.text == "(" && toks[i-2].kind == tName && toks[i-2].text == "setdefault":
			if i+2 < len(toks) && toks[i+1].text == "," && toks[i+2].kind == tString && isDottedName(toks[i+2].text) {
				return toks[i+2].text
			}
		case prev.text == "[" && toks[i-2].kind == tName && toks[i-2].text == "environ":
			if i+3 < len(toks) && toks[i+1].text == "]" && toks[i+2].text == "=" && toks[i+3].kind == tString && isDottedName(toks[i+3].text) {
				return toks[i+3].text
			}
		}
	}
	return ""
}

// celeryInstances returns the names bound at module level to a new Celery
// application (`app = Celery("proj")`, `celery_app = celery.Celery(...)`), in
// source order.
func celeryInstances(src []byte) []string {
	toks := tokenize(src)
	var names []string
	for i := 0; i+3 < len(toks); i++ {
		t := toks[i]
		if !t.stmt || t.indent != 0 || t.kind != tName {
			continue
		}
		j := i + 1
		if toks[j].text == ":" { // annotated: app: Celery = Celery(...)
			for j < len(toks) && toks[j].text != "=" && !toks[j].stmt {
				j++
			}
		}
		if j >= len(toks) || toks[j].text != "=" {
			continue
		}
		j++
		// optional dotted prefix: celery.Celery
		for j+1 < len(toks) && toks[j].kind == tName && toks[j+1].text == "." {
			j += 2
		}
		if j+1 < len(toks) && toks[j].kind == tName && toks[j].text == "Celery" && toks[j+1].text == "(" {
			names = append(names, t.text)
		}
	}
	return names
}

// definesName reports whether src binds name at module level: an assignment,
// an annotated assignment, a def / async def / class, or an import ... as
// name / from ... import name.
func definesName(src []byte, name string) bool {
	toks := tokenize(src)
	for i, t := range toks {
		if t.kind != tName || t.text != name {
			continue
		}
		if t.stmt && t.indent == 0 && i+1 < len(toks) && (toks[i+1].text == "=" || toks[i+1].text == ":") {
			return true
		}
		if i > 0 {
			p := toks[i-1]
			if p.kind == tName && (p.text == "def" || p.text == "class" || p.text == "as" || p.text == "import") && p.indent == 0 {
				return true
			}
			if p.text == "," && p.indent == 0 && importStatement(toks, i) {
				return true
			}
		}
	}
	return false
}

// importStatement reports whether token i belongs to a logical line that
// starts with `from` or `import`.
func importStatement(toks []token, i int) bool {
	for j := i; j >= 0; j-- {
		if toks[j].stmt {
			return toks[j].kind == tName && (toks[j].text == "from" || toks[j].text == "import")
		}
	}
	return false
}

// assignedFrom returns the module-level names assigned from a call to one of
// funcs (`app = get_wsgi_application()`), in source order.
func assignedFrom(src []byte, funcs ...string) []string {
	toks := tokenize(src)
	var names []string
	for i := 0; i+3 < len(toks); i++ {
		t := toks[i]
		if !t.stmt || t.indent != 0 || t.kind != tName || toks[i+1].text != "=" {
			continue
		}
		j := i + 2
		for j+1 < len(toks) && toks[j].kind == tName && toks[j+1].text == "." {
			j += 2
		}
		if j+1 < len(toks) && toks[j].kind == tName && toks[j+1].text == "(" {
			for _, f := range funcs {
				if toks[j].text == f {
					names = append(names, t.text)
					break
				}
			}
		}
	}
	return names
}

// stringLiterals returns the set of string literal values in src (comments
// excluded).
func stringLiterals(src []byte) map[string]bool {
	set := map[string]bool{}
	for _, t := range tokenize(src) {
		if t.kind == tString {
			set[t.text] = true
		}
	}
	return set
}

// mentionsName reports whether any of names occurs as an identifier token in
// src (so not in a comment or string): `app.conf.beat_schedule = {...}`,
// `sender.add_periodic_task(...)`.
func mentionsName(src []byte, names ...string) bool {
	for _, t := range tokenize(src) {
		if t.kind != tName {
			continue
		}
		for _, n := range names {
			if t.text == n {
				return true
			}
		}
	}
	return false
}
