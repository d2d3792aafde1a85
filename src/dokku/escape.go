package dokku

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape is the one place output is made safe to print (issue 15): every
// line prodserver writes for an operator (log lines, prodserver:procfile,
// :processes, :args, :backend, :report) goes through it, so a repository's
// bytes cannot clear the screen, forge a line or leave invalid UTF-8 in a
// terminal or a log. It keeps newlines (callers print lines) and a CR just
// before one (a CRLF Procfile), and writes anything else that is a control
// character, a bidirectional override or not UTF-8 as a Go escape (\x1b,
// \u202e, \xff), which names the byte exactly. Text with nothing to escape
// comes back unchanged.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n', r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			b.WriteRune(r)
		case unsafeRune(r):
			q := fmt.Sprintf("%+q", string(r))
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for i, r := range s {
		if r == '\n' || r == '\r' && strings.HasPrefix(s[i+1:], "\n") {
			continue
		}
		if unsafeRune(r) {
			return true
		}
	}
	return false
}

// unsafeRune is a rune a terminal acts on rather than shows: C0 and C1
// controls, DEL, and the bidirectional controls that reorder a line; and
// U+FFFD, which stands for bytes already lost (encoding/json writes it for
// invalid UTF-8 in the deploy record), so the operator sees that it does.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError
}
