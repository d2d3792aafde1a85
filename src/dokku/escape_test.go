package dokku

import (
	"bytes"
	"testing"
)

// TestEscape: what a terminal would act on is written as a Go escape;
// everything else, newlines and CRLF included, is kept byte for byte.
func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"web: gunicorn proj.wsgi\n", "web: gunicorn proj.wsgi\n"},
		{"café ünïcode ✓", "café ünïcode ✓"},
		{"a\r\nb\r\n", "a\r\nb\r\n"},
		{"clear \x1b[2J", `clear \x1b[2J`},
		{"bell\a tab\t nul\x00 del\x7f", `bell\a tab\t nul\x00 del\x7f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bare\rcr", `bare\rcr`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{"cut \xe2\x9c", `cut \xe2\x9c`},
		{"rtl \u202etxt.exe", `rtl \u202etxt.exe`},
		{"replaced \ufffd", `replaced \ufffd`},
		{"", ""},
	} {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLogLinesEscaped: the log functions escape each line, so a warning
// quoting a repository's bytes prints as one clean line.
func TestLogLinesEscaped(t *testing.T) {
	var out bytes.Buffer
	old := Stderr
	Stderr = &out
	defer func() { Stderr = old }()
	LogWarn("prodserver: bad \x1b[2J \xff name")
	if got, want := out.String(), " !     prodserver: bad \\x1b[2J \\xff name\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
