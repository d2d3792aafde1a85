package project

import (
	"fmt"
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

// envDefault returns the value a module gives the environment variable name
// when it is unset: os.environ.setdefault("NAME", "x") or
// os.environ["NAME"] = "x"; "" when there is none. The first wins.
func envDefault(src []byte, name string) string {
	toks := tokenize(src)
	for i := 2; i < len(toks); i++ {
		if toks[i].Kind != pyliteral.String || toks[i].Text != name {
			continue
		}
		switch {
		case toks[i-1].Text == "(" && toks[i-2].Text == "setdefault":
			if i+2 < len(toks) && toks[i+1].Text == "," && toks[i+2].Kind == pyliteral.String {
				return toks[i+2].Text
			}
		case toks[i-1].Text == "[" && toks[i-2].Text == "environ":
			if i+3 < len(toks) && toks[i+1].Text == "]" && toks[i+2].Text == "=" && toks[i+3].Kind == pyliteral.String {
				return toks[i+3].Text
			}
		}
	}
	return ""
}

// settingsClasses lists the classes the settings chain defines at module
// level (django-configurations' Configuration subclasses), in order.
func settingsClasses(chain []pyModule) []string {
	var out []string
	for _, m := range chain {
		toks := tokenize(m.src)
		for i := 0; i+1 < len(toks); i++ {
			if toks[i].Stmt && toks[i].Indent == 0 && toks[i].Kind == pyliteral.Name && toks[i].Text == "class" && toks[i+1].Kind == pyliteral.Name {
				out = append(out, toks[i+1].Text)
			}
		}
	}
	return out
}

// checkConfiguration follows django-configurations: DJANGO_CONFIGURATION
// names the class of the settings module Django loads, the app's config or
// the Dockerfile's ENV winning over manage.py's default. The choice is
// kept in SettingsChoices; a class the settings do not define (Django fails
// to start) and a development class by default are warned about, with the
// production class to set.
func (s *scanner) checkConfiguration(chain []pyModule) {
	if _, ok := s.f.Packages["django-configurations"]; !ok || len(chain) == 0 {
		return
	}
	val, from, ok := "", "", false
	if s.opt.Getenv != nil {
		val, from, ok = s.opt.Getenv("DJANGO_CONFIGURATION")
	}
	if !ok {
		val, from = s.manageConfiguration, "manage.py's default"
	}
	if val == "" {
		return
	}
	classes := settingsClasses(chain)
	prod := ""
	for _, c := range classes {
		if l := strings.ToLower(c); l == "production" || l == "prod" {
			prod = c
		}
	}
	set := "dokku config:set <app> DJANGO_CONFIGURATION=..."
	if prod != "" {
		set = "dokku config:set <app> DJANGO_CONFIGURATION=" + prod
	}
	file := chain[0].file
	shown := val
	if from == "app config" {
		shown = "set" // a config value is never printed
	}
	if !contains(classes, val) {
		s.warn("DJANGO_CONFIGURATION (%s, %s) names no class of %s, so Django fails to start; set it to one it defines (%s)", shown, from, file, set)
		return
	}
	s.f.SettingsChoices = append(s.f.SettingsChoices, fmt.Sprintf("django-configurations loads class %s of %s: DJANGO_CONFIGURATION (%s, %s)", val, file, shown, from))
	if !ok && isDevName(val) {
		s.warn("manage.py defaults DJANGO_CONFIGURATION to %s, a development configuration of %s; set DJANGO_CONFIGURATION for production (%s)", val, file, set)
	}
}
