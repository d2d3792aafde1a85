package dokku

import "testing"

// TestPrintable: a word with any control character (C1 too), a quote or a
// backslash is shown quoted, so it cannot forge or garble an output line.
func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"web":      "web",
		"café":     "café",
		"a\nb":     `"a\nb"`,
		"\x1b[2J":  `"\x1b[2J"`,
		"a\u009bb": `"a\u009bb"`,
		`say "hi"`: `"say \"hi\""`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %s, want %s", in, got, want)
		}
	}
}
