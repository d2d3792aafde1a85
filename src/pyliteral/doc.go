// Package pyliteral reads Python source statically: it finds module-level
// assignments in a settings.py and evaluates their right-hand side when it is a
// literal (dicts, lists, tuples, sets, strings incl. implicit concatenation and
// prefixes, numbers, True/False/None). It never executes anything.
package pyliteral
