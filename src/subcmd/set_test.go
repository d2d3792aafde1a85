package subcmd

import "testing"

// TestCheckText: every control character, C1 included (U+009B is a
// terminal's CSI), is refused in what an operator passes; tabs too.
func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"--timeout=30", true},
		{"café", true},
		{"a\nb", false},
		{"a\tb", false},
		{"\x1b[2J", false},
		{"\x7f", false},
		{"a\u009bb", false},
	} {
		if err := checkText(c.in); (err == nil) != c.ok {
			t.Errorf("checkText(%q) = %v, want ok=%v", c.in, err, c.ok)
		}
	}
}
