// Package pyname checks Python names the way servers take them:
// identifiers, dotted module paths and "module:attr" application targets.
// It is the one owner of the module:attr form, so the setting an operator
// stores, the target detection reads from settings.py and the target a
// backend renders cannot disagree about it. It imports nothing, so the
// small triggers binary (through package store) links it at no cost.
package pyname

import "strings"

// IsIdentifier reports whether s is an ASCII Python identifier. Non-ASCII
// identifiers are valid Python but refused: no server or Procfile
// launcher here is known to carry them safely.
func IsIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// IsDotted reports whether s is a dotted module path such as
// "config.settings.production" (one identifier counts).
func IsDotted(s string) bool {
	for {
		part, rest, more := strings.Cut(s, ".")
		if !IsIdentifier(part) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

// IsTarget reports whether s is exactly "module:attr", the form every
// server takes: a dotted module and one identifier.
func IsTarget(s string) bool {
	mod, attr, ok := strings.Cut(s, ":")
	return ok && IsDotted(mod) && IsIdentifier(attr)
}

// Target normalises an application target to "module:attr": a value
// already in that form is returned as is, and Django's dotted form
// (WSGI_APPLICATION = "config.wsgi.application") has its last dot made the
// colon. Surrounding blanks are dropped. False for anything else (a bare
// module, an attribute path, a blank), so a value no server can import is
// refused where it enters rather than rendered into a command line.
func Target(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ":") {
		return s, IsTarget(s)
	}
	i := strings.LastIndexByte(s, '.')
	if i <= 0 || !IsDotted(s) {
		return "", false
	}
	return s[:i] + ":" + s[i+1:], true
}
