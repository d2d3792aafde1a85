package project

import (
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// mutatingMethods are the dict methods that change a setting in place.
var mutatingMethods = map[string]bool{"update": true, "pop": true, "popitem": true, "setdefault": true, "clear": true, "__setitem__": true, "__delitem__": true}

// settingChanges lists how src changes the setting name besides its
// literal assignment, each once, in the words the warning shows:
// `NAME[...] = …`, `del NAME[...]`, `NAME.update(…)` and the other
// mutating methods, `NAME |= …`, and an assignment inside a block (if,
// try, def), which the literal reader does not evaluate but Django runs
// (issue 15: these were silently ignored, so the Procfile differed from
// Django's real settings). applySettingChanges applies the static ones;
// these are what is left to warn about.
func settingChanges(src []byte, name string) []string {
	return settingChangesExcept(src, name, nil)
}

// settingChangesExcept is settingChanges leaving out the statements whose
// NAME token index is in skip (those applySettingChanges applied).
func settingChangesExcept(src []byte, name string, skip map[int]bool) []string {
	toks := pyliteral.Tokens(src)
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	op := func(i int, text string) bool {
		return i >= 0 && i < len(toks) && toks[i].Kind == pyliteral.Op && toks[i].Text == text
	}
	for i, t := range toks {
		if t.Kind != pyliteral.Name || t.Text != name || skip[i] {
			continue
		}
		if i > 0 && toks[i-1].Kind == pyliteral.Name && toks[i-1].Text == "del" {
			add("del " + name + "[...]")
			continue
		}
		// Follow NAME[...][...].attr to what is done with it.
		j, subscripted := i+1, false
		for j < len(toks) {
			if op(j, "[") {
				depth := 0
				for ; j < len(toks); j++ {
					if op(j, "[") {
						depth++
					} else if op(j, "]") {
						if depth--; depth == 0 {
							break
						}
					}
				}
				j++
				subscripted = true
				continue
			}
			if op(j, ".") && j+1 < len(toks) && toks[j+1].Kind == pyliteral.Name {
				if m := toks[j+1].Text; mutatingMethods[m] && op(j+2, "(") {
					add(name + "." + m + "(…)")
				}
				break
			}
			break
		}
		switch {
		case j < len(toks) && toks[j].Kind == pyliteral.Op && isAssignOp(toks[j].Text) && subscripted:
			add(name + "[...] " + toks[j].Text + " …")
		case op(j, "|="), op(j, "+="):
			if !t.Stmt || t.Indent > 0 {
				add(name + " " + toks[j].Text + " … in a block")
			}
		case op(j, "=") && t.Stmt && t.Indent > 0:
			add(name + " = … in a block (if, try, def)")
		}
	}
	return out
}

func isAssignOp(s string) bool {
	return s == "=" || (strings.HasSuffix(s, "=") && s != "==" && s != "!=" && s != "<=" && s != ">=")
}
