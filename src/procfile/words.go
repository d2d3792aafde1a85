package procfile

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PortVar is the one variable Join leaves for the launcher to expand. Put it
// in a word (alone, or as in "0.0.0.0:$PORT") where the process should get
// the port Dokku assigns. It counts only when the next character cannot
// continue a variable name, so "$PORTS" is five literal characters.
const PortVar = "$PORT"

// safeBytes may appear unquoted in a rendered word: none of them means
// anything to bash, xargs, os.Expand or procfile-util's comment rule, except
// '=' in the first word (a bash assignment) and "//" at the start of a word
// (procfile-util's comment rule); quoteChunk handles those two.
const safeBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:,+@="

// bashReserved are the words bash -c would treat as syntax, not as a program
// name, in the first position.
var bashReserved = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "case": true,
	"esac": true, "for": true, "select": true, "while": true, "until": true, "do": true,
	"done": true, "in": true, "function": true, "time": true, "coproc": true,
}

// Join renders argv as one Procfile command that every launcher Dokku uses
// turns back into exactly argv, with each PortVar replaced by the port:
//
//   - Dockerfile images: procfile-util expands variables over the raw text,
//     then GNU xargs splits it (see Split);
//   - herokuish images: bash parses it once inside `eval echo`, then the
//     echoed text is split on whitespace and globbed again;
//   - Cloud Native Buildpack images and scheduler-k3s: bash -c, or a
//     POSIX-shell-style split.
//
// Quoting rule: a word made only of letters, digits and _ - . / : , + @ =
// is written as is. Any other run of characters is wrapped in single
// quotes, which mean the same to bash and xargs; a "'" is written \'
// (outside quotes, the same in both); a literal '$' always ends its
// single-quoted run ('…$'), because procfile-util ignores quotes but leaves
// a '$' followed by "'" alone, while bash inside single quotes leaves it
// alone too. PortVar stays unquoted so that both expand it. Words with '='
// are quoted in the first position (bash would take NAME=value as an
// assignment), as are bash reserved words, a first word starting with
// '+' (bash -c, given the command as its first argument, would read it as
// an option such as +O) and a word starting with "//" (procfile-util
// would cut it as a comment).
//
// Join rejects what no quoting can carry through all launchers: an empty
// argv or word, invalid UTF-8, control characters (tab, newline, CR, NUL,
// C1), spaces, the glob characters * ? [ and extglob openers +( @( !(,
// backslashes (all four break in herokuish's unquoted second pass), a first
// word starting with '-' (herokuish's echo would eat it as an option) and a
// first word starting with '%' (bash -c runs it as a job number, quoted or
// not). The one exception to the glob rule is an option whose whole value
// is "*", such as --forwarded-allow-ips=* (see isMatchAllOption).
func Join(argv []string) (string, error) {
	if len(argv) == 0 {
		return "", errors.New("render command: no words")
	}
	out := make([]string, len(argv))
	for i, w := range argv {
		if err := checkWord(w, i == 0); err != nil {
			return "", fmt.Errorf("render command: word %d %q: %w", i, w, err)
		}
		out[i] = renderWord(w, i == 0)
	}
	return strings.Join(out, " "), nil
}

// checkWord rejects a word that cannot be rendered safely for every launcher.
func checkWord(w string, first bool) error {
	if w == "" {
		return errors.New("is empty; herokuish drops empty words")
	}
	if !utf8.ValidString(w) {
		return errors.New("is not valid UTF-8")
	}
	glob := !isMatchAllOption(w)
	for _, r := range w {
		switch {
		case unicode.IsControl(r): // C0, DEL and C1, as everywhere in prodserver
			return fmt.Errorf("contains control character U+%04X", r)
		case r == ' ':
			return errors.New("contains a space; herokuish splits the command again after removing quotes, so no quoting keeps a space inside a word")
		case (r == '*' || r == '?' || r == '[') && glob:
			return fmt.Errorf("contains glob character %q; herokuish expands globs after removing quotes", r)
		case r == '\\':
			return errors.New("contains a backslash; bash treats it differently across versions when herokuish globs the unquoted command")
		}
	}
	for _, op := range []string{"+(", "@(", "!("} {
		if strings.Contains(w, op) {
			return fmt.Errorf("contains %q, an extglob pattern when bash has extglob on", op)
		}
	}
	if first && strings.HasPrefix(w, "-") {
		return errors.New("is the program but starts with '-'; herokuish runs the command through echo, which would take it as an option")
	}
	if first && strings.HasPrefix(w, "%") {
		return errors.New("is the program but starts with '%'; bash -c takes it as a job number even when quoted")
	}
	return nil
}

// isMatchAllOption tells the one glob-looking word Join lets through:
// "--name=*", an option whose whole value is "*" (the usual "any" value, as
// in uvicorn's and gunicorn's --forwarded-allow-ips=*, which Dokku's proxy
// in front of the container needs). herokuish's second, unquoted pass does
// glob it, but the pattern can only match a file in the app's root whose
// name starts with "--name=", and an unmatched pattern stays as written
// (bash's default, which herokuish does not change). procfile-util + xargs
// and bash -c (quoted) never glob it.
func isMatchAllOption(w string) bool {
	name, value, ok := strings.Cut(w, "=")
	if !ok || value != "*" || !strings.HasPrefix(name, "--") || len(name) < 3 {
		return false
	}
	for _, r := range name[2:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// renderWord quotes a word that checkWord accepted.
func renderWord(w string, first bool) string {
	var b strings.Builder
	run := 0 // start of the current literal run
	atStart := true
	flush := func(end int) {
		if end > run {
			quoteRun(&b, w[run:end], first, atStart)
			atStart = false
		}
	}
	for i := 0; i < len(w); {
		if isPortAt(w, i) {
			flush(i)
			b.WriteString(PortVar)
			atStart = false
			i += len(PortVar)
			run = i
			continue
		}
		i++
	}
	flush(len(w))
	return b.String()
}

// isPortAt reports whether PortVar starts at w[i] and is not the start of a
// longer variable name.
func isPortAt(w string, i int) bool {
	if !strings.HasPrefix(w[i:], PortVar) {
		return false
	}
	j := i + len(PortVar)
	return j == len(w) || !isNameChar(w[j])
}

// isNameChar reports whether c can continue a variable name for both bash
// and os.Expand.
func isNameChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// quoteRun writes a run of literal characters. It is cut into chunks at each
// "'" (written \') and after each '$'; a chunk is single-quoted when it holds
// a '$' or anything outside safeBytes.
func quoteRun(b *strings.Builder, run string, first, atStart bool) {
	whole := first && bashReserved[run] && atStart
	chunk := 0
	emit := func(end int) {
		if end == chunk {
			return
		}
		c := run[chunk:end]
		if whole || needsQuotes(c, first, atStart && chunk == 0) {
			b.WriteByte('\'')
			b.WriteString(c)
			b.WriteByte('\'')
		} else {
			b.WriteString(c)
		}
	}
	for i := 0; i < len(run); i++ {
		switch run[i] {
		case '\'':
			emit(i)
			b.WriteString(`\'`)
			chunk = i + 1
		case '$':
			emit(i + 1)
			chunk = i + 1
		}
	}
	emit(len(run))
}

// needsQuotes reports whether a chunk (without "'") must be single-quoted.
func needsQuotes(c string, first, wordStart bool) bool {
	if wordStart && strings.HasPrefix(c, "//") || first && wordStart && strings.HasPrefix(c, "+") {
		return true
	}
	for i := 0; i < len(c); i++ {
		if c[i] == '=' && first {
			return true
		}
		if strings.IndexByte(safeBytes, c[i]) < 0 {
			return true
		}
	}
	return false
}

// Split does to a command what Dokku does before running a Dockerfile
// image: procfile-util's variable expansion, then GNU xargs' word splitting.
// cmd is a command as Get returns it (comment already cut). env maps
// variable names to values; an absent name expands to nothing, as in
// procfile-util. Dokku's map is the app's config plus PORT (the port) and
// PS (the process type); pass them in env. Passing {"PORT": "$PORT"} makes
// Split the inverse of Join. On error the words are those xargs would
// still have passed on (see splitXargs).
func Split(cmd string, env map[string]string) ([]string, error) {
	return splitXargs(Expand(cmd, env))
}

// Expand is procfile-util's expansion (its commands/main.go expandEnv):
// "$(" first becomes a reference to a variable Dokku never defines, then
// os.Expand replaces $NAME, ${NAME}, ${anything} (so ${X:-d} looks up the
// name "X:-d") and the one-character specials ($1, $$, $#, ...) over the
// whole text, without regard to quotes.
func Expand(cmd string, env map[string]string) string {
	s := strings.ReplaceAll(cmd, "$(", "${EXPENV_PARENTHESIS}")
	return os.Expand(s, func(name string) string { return env[name] })
}

// splitXargs splits s as GNU xargs does by default (checked by running
// GNU findutils xargs 4.9, see TestSplitAgainstRealXargs):
//   - between words any of space, tab, newline, \v, \f and \r is skipped;
//     inside a word only space, tab and newline end it;
//   - '…' and "…" quote everything up to the same quote, with no escapes
//     inside; a newline inside is an error;
//   - a backslash outside quotes makes the next character literal;
//   - a pair of quotes with nothing between is an empty word;
//   - at the end of input, a word with no characters yet is dropped: a
//     final pair of empty quotes gives no word, and a final lone quote or
//     backslash is no error.
//
// On an unmatched quote xargs still runs its command with the words
// completed before it (and Dokku would start the container with them), so
// splitXargs returns those words with its error. NUL cannot be passed on
// and is an error.
func splitXargs(s string) ([]string, error) {
	const (
		between = iota // skipping whitespace before a word
		word           // in a word, outside quotes
		quoted         // inside quotes
		escaped        // after a backslash
	)
	var words []string
	var cur []byte
	state := between
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0 {
			return words, errors.New("split command: NUL byte")
		}
		switch state {
		case quoted:
			switch c {
			case '\n':
				return words, fmt.Errorf("split command: line break inside %s quotes", quoteName(quote))
			case quote:
				state = word
			default:
				cur = append(cur, c)
			}
			continue
		case escaped:
			cur = append(cur, c)
			state = word
			continue
		case between:
			if strings.IndexByte(" \t\n\v\f\r", c) >= 0 {
				continue
			}
			state = word
		}
		switch c {
		case ' ', '\t', '\n':
			words = append(words, string(cur))
			cur = cur[:0]
			state = between
		case '\\':
			state = escaped
		case '\'', '"':
			state, quote = quoted, c
		default:
			cur = append(cur, c)
		}
	}
	switch {
	case len(cur) == 0:
		// xargs stops without a word (or an error) here.
	case state == quoted:
		return words, fmt.Errorf("split command: unmatched %s quote", quoteName(quote))
	default:
		words = append(words, string(cur))
	}
	return words, nil
}

func quoteName(c byte) string {
	if c == '"' {
		return "double"
	}
	return "single"
}
