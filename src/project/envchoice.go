package project

import (
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// envRead is an environment variable a settings module reads to choose
// what it loads (django-split-settings' "environments/{0}.py".format(ENV),
// ENV = environ.get("DJANGO_ENV") or "production"): the variable and the
// default the code falls back to ("" with hasDefault false when none).
type envRead struct {
	name, def  string
	hasDefault bool
}

// envCall reads toks, one Python expression, as an environment lookup:
// os.environ.get("V"[, "d"]), os.getenv("V"[, "d"]), os.environ["V"],
// environ/env-style env("V", default="d") or env.str(...), each optionally
// followed by `or "d"`. ok is false for anything else.
func envCall(toks []pyliteral.Token) (r envRead, ok bool) {
	for i, t := range toks {
		if t.Kind != pyliteral.Name {
			continue
		}
		open := -1
		switch {
		case (t.Text == "get" || t.Text == "getenv" || t.Text == "str") && i+1 < len(toks) && toks[i+1].Text == "(":
			open = i + 1
		case t.Text == "env" && i+1 < len(toks) && toks[i+1].Text == "(" && (i == 0 || toks[i-1].Text != "."):
			open = i + 1
		case t.Text == "environ" && i+1 < len(toks) && toks[i+1].Text == "[":
			open = i + 1
		}
		if open < 0 || open+1 >= len(toks) || toks[open+1].Kind != pyliteral.String {
			continue
		}
		r.name = toks[open+1].Text
		depth, j := 0, open
		for ; j < len(toks); j++ {
			switch toks[j].Text {
			case "(", "[":
				depth++
			case ")", "]":
				depth--
			}
			if depth == 0 {
				break
			}
			// The second positional argument, or default=.
			if depth == 1 && toks[j].Kind == pyliteral.String && j > open+1 &&
				(toks[j-1].Text == "," || toks[j-1].Text == "=" && toks[j-2].Text == "default") {
				r.def, r.hasDefault = toks[j].Text, true
			}
		}
		if j+2 < len(toks) && toks[j+1].Kind == pyliteral.Name && toks[j+1].Text == "or" && toks[j+2].Kind == pyliteral.String {
			r.def, r.hasDefault = toks[j+2].Text, true
		}
		return r, r.name != ""
	}
	return envRead{}, false
}

// assignedExpr returns the tokens of the last module-level assignment to
// name (NAME = expression), nil when there is none.
func assignedExpr(toks []pyliteral.Token, name string) []pyliteral.Token {
	var out []pyliteral.Token
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].Stmt && toks[i].Indent == 0 && toks[i].Kind == pyliteral.Name && toks[i].Text == name && toks[i+1].Text == "=" {
			end := i + 2
			for end < len(toks) && !toks[end].Stmt {
				end++
			}
			out = toks[i+2 : end]
		}
	}
	return out
}

// formatWith puts value where a Python format string ("{0}", "{}",
// "%s") takes its one argument.
func formatWith(pattern, value string) (string, bool) {
	for _, p := range []string{"{0}", "{}", "%s"} {
		if strings.Contains(pattern, p) {
			return strings.ReplaceAll(pattern, p, value), true
		}
	}
	return "", false
}
