package project

import "fmt"

// maxNesting bounds how deeply a TOML or JSON manifest may nest before it
// is handed to the decoder. Real manifests nest a few levels; the decoders
// do not bound it themselves: BurntSushi/toml copies the whole key path for
// every level of inline tables and every part of a dotted key (a 30 KB
// pyproject.toml of "a={b={b=…" or "a.a.a….=1" allocates gigabytes), and
// gjson validates JSON recursively (megabytes of "[" take the stack to
// Go's limit).
const maxNesting = 64

// checkTOMLNesting refuses a TOML document whose key paths could be longer
// than maxNesting parts. It over-approximates what the decoder sees: outside
// strings and comments, the current table header's parts, plus for every
// open inline table the parts of the key before it, plus the dots of the
// key being read (a dot in a float value counts too), plus open brackets.
func checkTOMLNesting(src []byte) error {
	var stack []int // per open bracket: the key parts it adds
	header, inStack, dots := 0, 0, 0
	lineStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '\n':
			if len(stack) == 0 {
				dots = 0
			}
			lineStart = true
			continue
		case ' ', '\t', '\r':
			continue
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
			continue
		case '"', '\'':
			i = skipTOMLString(src, i) - 1
		case '.':
			dots++
		case ',':
			dots = 0
		case '{', '[':
			if c == '[' && lineStart && len(stack) == 0 {
				// A table header: [a.b] or [[a.b]].
				header, dots = 1, 0
				for i++; i < len(src) && src[i] != '\n' && src[i] != '#'; i++ {
					switch src[i] {
					case '.':
						header++
					case '"', '\'':
						i = skipTOMLString(src, i) - 1
					}
				}
				i--
				if header > maxNesting {
					return fmt.Errorf("table header has more than %d parts", maxNesting)
				}
				lineStart = false
				continue
			}
			add := 0
			if c == '{' {
				add = dots + 1
			}
			stack = append(stack, add)
			inStack += add
			dots = 0
		case ']', '}':
			if n := len(stack); n > 0 {
				inStack -= stack[n-1]
				stack = stack[:n-1]
			}
			dots = 0
		}
		lineStart = false
		if len(stack) > maxNesting || header+inStack+dots+1 > maxNesting {
			return fmt.Errorf("nests more than %d levels deep (tables, inline tables and dotted keys)", maxNesting)
		}
	}
	return nil
}

// skipTOMLString returns the index just past the string starting at
// src[i] (a literal or basic string, single-line or triple-quoted), or
// len(src) when it does not end. A single-line string also ends at a
// newline (the decoder rejects it there). A run of three to five closing
// quotes ends a multi-line string after the run, as in TOML, where up to
// two quotes may precede the delimiter.
func skipTOMLString(src []byte, i int) int {
	q := src[i]
	if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
		for j := i + 3; j < len(src); j++ {
			switch {
			case src[j] == '\\' && q == '"':
				j++
			case src[j] == q:
				k := j
				for k < len(src) && src[k] == q {
					k++
				}
				if k-j >= 3 {
					return k
				}
				j = k - 1
			}
		}
		return len(src)
	}
	for j := i + 1; j < len(src); j++ {
		switch {
		case src[j] == '\\' && q == '"':
			j++
		case src[j] == q:
			return j + 1
		case src[j] == '\n':
			return j
		}
	}
	return len(src)
}

// checkJSONNesting refuses a JSON document nested more than maxNesting
// levels deep (strings skipped; it does not validate).
func checkJSONNesting(src []byte) error {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			if depth++; depth > maxNesting {
				return fmt.Errorf("nests more than %d levels deep", maxNesting)
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}
