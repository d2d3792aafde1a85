package pyliteral

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// appendDecoded appends the value of a string body to buf, applying
// Python's escape rules for str or bytes (flags) and turning source line
// breaks into "\n". Bytes literals keep their raw byte values, so the
// result may not be valid UTF-8. On failure it returns a message and an
// error kind.
func appendDecoded(buf, body []byte, flags uint8) ([]byte, string, error) {
	raw, isBytes := flags&fRaw != 0, flags&fBytes != 0
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\r':
			buf = append(buf, '\n')
			i += newlineLen(body, i)
			continue
		case isBytes && c >= 0x80:
			return nil, "bytes can only contain ASCII literal characters", ErrSyntax
		case c != '\\' || raw || i+1 == len(body):
			buf = append(buf, c)
			i++
			continue
		}
		i++ // the backslash
		e := body[i]
		i++
		switch e {
		case '\n':
		case '\r':
			if i < len(body) && body[i] == '\n' {
				i++
			}
		case '\\', '\'', '"':
			buf = append(buf, e)
		case 'a':
			buf = append(buf, '\a')
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'v':
			buf = append(buf, '\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(e - '0')
			for n := 1; n < 3 && i < len(body) && body[i] >= '0' && body[i] <= '7'; n++ {
				v = v*8 + int(body[i]-'0')
				i++
			}
			if isBytes {
				buf = append(buf, byte(v)) // Python keeps the low byte of \400-\777
			} else {
				buf = utf8.AppendRune(buf, rune(v))
			}
		case 'x':
			v, ok := hexDigits(body, i, 2)
			if !ok {
				return nil, `truncated \xXX escape`, ErrSyntax
			}
			i += 2
			if isBytes {
				buf = append(buf, byte(v))
			} else {
				buf = utf8.AppendRune(buf, rune(v))
			}
		case 'u', 'U':
			if isBytes {
				buf = append(buf, '\\', e)
				break
			}
			n := 4
			if e == 'U' {
				n = 8
			}
			v, ok := hexDigits(body, i, n)
			if !ok {
				return nil, `truncated \` + string(e) + ` escape`, ErrSyntax
			}
			if v > utf8.MaxRune {
				return nil, "illegal Unicode character in escape", ErrSyntax
			}
			i += n
			buf = utf8.AppendRune(buf, rune(v)) // a lone surrogate becomes U+FFFD
		case 'N':
			if isBytes {
				buf = append(buf, '\\', e)
				break
			}
			return nil, `\N{...} escapes are not supported`, ErrNotLiteral
		default:
			// Unknown escapes keep their backslash (Python warns but
			// accepts them); the character itself is copied next round.
			buf = append(buf, '\\')
			i--
		}
	}
	return buf, "", nil
}

// hexDigits parses exactly n hex digits at body[i:].
func hexDigits(body []byte, i, n int) (uint32, bool) {
	if i+n > len(body) {
		return 0, false
	}
	var v uint32
	for _, c := range body[i : i+n] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			d = c | 0x20 - 'a' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint32(d)
	}
	return v, true
}

// parseNumber evaluates a Python numeric literal token (negated when neg).
// Integers must fit in int64 and floats must be finite; a bigger value or
// a complex number is reported as ErrNotLiteral because it is valid Python
// that Value cannot represent. The returned error is an *Error without a
// line.
func parseNumber(s []byte, neg bool) (Value, error) {
	bad := func() error {
		return &Error{Msg: "invalid number literal " + strconv.Quote(clip(string(s))), Kind: ErrSyntax}
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] | 0x20 {
		case 'x':
			base = 16
		case 'o':
			base = 8
		case 'b':
			base = 2
		}
		if base != 0 {
			digits, ok := cleanDigits(s[2:], base, true)
			if !ok {
				return nil, bad()
			}
			u, err := strconv.ParseUint(digits, base, 64)
			if err != nil {
				return nil, rangeError(s)
			}
			return signedInt(u, neg, s)
		}
	}
	// [digitpart] ["." [digitpart]] [exponent] ["j"]
	i := digitPart(s, 0)
	isFloat := false
	if i < len(s) && s[i] == '.' {
		isFloat = true
		i = digitPart(s, i+1)
	}
	if i < len(s) && s[i]|0x20 == 'e' {
		isFloat = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digitPart(s, i)
		if j == i {
			return nil, bad()
		}
		i = j
	}
	if i == len(s)-1 && s[i]|0x20 == 'j' {
		return nil, &Error{Msg: "complex number", Kind: ErrNotLiteral}
	}
	if i != len(s) || i == 0 || s[0] == '_' {
		return nil, bad()
	}
	digits, ok := cleanDigits(s, 10, false)
	if !ok {
		return nil, bad()
	}
	if !isFloat {
		if digits[0] == '0' && strings.Trim(digits, "0") != "" {
			return nil, &Error{Msg: "leading zeros in decimal integer literal", Kind: ErrSyntax}
		}
		u, err := strconv.ParseUint(digits, 10, 64)
		if err != nil {
			return nil, rangeError(s)
		}
		return signedInt(u, neg, s)
	}
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, bad()
	}
	if math.IsInf(f, 0) {
		return nil, &Error{Msg: "float literal " + strconv.Quote(clip(string(s))) + " out of range", Kind: ErrNotLiteral}
	}
	if neg {
		f = -f
	}
	return f, nil
}

// digitPart skips digits with single underscores between them and returns
// the end; a trailing or doubled underscore is left for cleanDigits to
// reject.
func digitPart(s []byte, i int) int {
	for i < len(s) && (isDigit(s[i]) || s[i] == '_') {
		i++
	}
	return i
}

// cleanDigits removes underscores after checking that each one sits
// between two digits (or, with leading, right after a base prefix), and
// checks digits against base (10 also allows the float characters ".eE+-").
func cleanDigits(s []byte, base int, leading bool) (string, bool) {
	out := make([]byte, 0, len(s))
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			prevOK := (i > 0 && isBaseDigit(s[i-1], base)) || (i == 0 && leading)
			if !prevOK || i+1 >= len(s) || !isBaseDigit(s[i+1], base) {
				return "", false
			}
			continue
		}
		if isBaseDigit(c, base) {
			digits++
		} else if base != 10 || !strings.ContainsRune(".eE+-", rune(c)) {
			return "", false
		}
		out = append(out, c)
	}
	return string(out), digits > 0
}

func isBaseDigit(c byte, base int) bool {
	switch base {
	case 2:
		return c == '0' || c == '1'
	case 8:
		return c >= '0' && c <= '7'
	case 16:
		return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f'
	}
	return isDigit(c)
}

func signedInt(u uint64, neg bool, s []byte) (Value, error) {
	switch {
	case !neg && u <= math.MaxInt64:
		return int64(u), nil
	case neg && u <= math.MaxInt64:
		return -int64(u), nil
	case neg && u == 1<<63:
		return int64(math.MinInt64), nil
	}
	return nil, rangeError(s)
}

func rangeError(s []byte) error {
	return &Error{Msg: "integer " + strconv.Quote(clip(string(s))) + " out of int64 range", Kind: ErrNotLiteral}
}

// clip shortens s for messages.
func clip(s string) string {
	if len(s) > 24 {
		return s[:24] + "..."
	}
	return s
}
