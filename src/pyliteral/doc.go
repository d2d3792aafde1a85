// Package pyliteral reads Python source statically: it finds module-level
// assignments in a settings.py and evaluates their right-hand side when it is a
// literal (dicts, lists, tuples, sets, strings incl. implicit concatenation and
// prefixes, numbers, True/False/None). It never executes anything.
//
// It runs as root during deploys on untrusted application code, so it is
// written to fail with an error rather than panic, hang or grow: input is
// capped at MaxSize, nesting at MaxDepth and literal size at MaxValues, and
// the tokenizer is linear in the input.
//
// # Finding assignments
//
// A small tokenizer understands enough of Python's lexical rules (every string
// form including f-strings with nested quotes, comments, brackets, backslash
// continuations, ";") to split the module into logical lines. A statement is
// module-level when its logical line starts in column 0 and is not a compound
// statement header (if, for, while, try, with, def, class, decorators...), or
// when it follows a ";" on such a line. Only the right-hand side of the
// assignment asked for is evaluated; everything else is skipped. Lexical
// errors elsewhere in the file (an unterminated string, say) are tolerated the
// way Python's tokenize module tolerates them, since only the value matters.
//
// Not tracked, by design: tuple targets ("A, B = 1, 2"), assignments inside
// blocks (if DEBUG: ...), later mutation ("X['k'] = v", "X.update(...)"),
// and names bound by imports; star imports are reported by StarImports so the
// caller can follow them.
//
// # Literals
//
//   - str with any valid prefix (r, u, b, rb, br, any case), single, double or
//     triple quotes, all Python escapes except \N{...} (ErrNotLiteral); a lone
//     surrogate escape becomes U+FFFD and unknown escapes keep their
//     backslash, as in Python. bytes become a string holding the raw bytes
//     (possibly invalid UTF-8). Adjacent strings are concatenated; mixing str
//     and bytes is ErrSyntax.
//   - int in decimal, hex, octal or binary with underscores, as int64; values
//     outside int64 are ErrNotLiteral. float as float64; values that overflow
//     to infinity are ErrNotLiteral. Unary + and - are applied. Complex
//     numbers are ErrNotLiteral.
//   - True, False, None (nil).
//   - list, tuple (also bare "X = 1, 2" and "X = 1,") and set as []Value in
//     source order; sets drop duplicates. dict as *Dict; a repeated key keeps
//     its first position and takes the last value, as in Python (1, 1.0 and
//     True are equal keys; so are a str and a bytes key with the same
//     content, since both become string). An empty list or tuple is a non-nil
//     empty slice.
//
// Anything else is ErrNotLiteral: names, calls, attribute access, subscripts,
// f-strings and t-strings, binary and boolean operators, conditional
// expressions, comprehensions, lambdas, unpacking, Ellipsis.
package pyliteral
