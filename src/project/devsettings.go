package project

import (
	"path"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// devSettingsReason tells why a settings chain is development-grade, judged
// by what it does, never by its name: DEBUG is True, or defaults to True
// when the environment does not say (env.bool("DEBUG", default=True),
// os.environ.get("DEBUG", "True")), or a module of the chain star-imports a
// dev/local module. "" when none of these holds.
func (s *scanner) devSettingsReason(chain []pyModule) string {
	if l := s.lookupSetting(chain, "DEBUG"); l.present {
		if b, ok := l.v.(bool); ok && l.err == nil && b {
			return "DEBUG = True in " + l.file
		}
		if l.err != nil {
			for _, m := range chain {
				if m.file == l.file && debugDefaultsTrue(m.src) {
					return "DEBUG defaults to True in " + l.file
				}
			}
		}
	}
	for _, m := range chain {
		for _, imp := range pyliteral.StarImports(m.src) {
			last := imp[strings.LastIndexAny(imp, ".")+1:]
			if last != "" && isDevName(last) {
				return m.file + " imports " + strings.TrimLeft(imp, ".") + " (from " + imp + " import *)"
			}
		}
	}
	return ""
}

// debugDefaultsTrue reports a module-level DEBUG assignment whose fallback,
// when the environment variable is unset, is true: a `default=True`
// keyword, or a string default "True"/"1"/"yes"/"on" passed after a comma.
func debugDefaultsTrue(src []byte) bool {
	toks := tokenize(src)
	for i := 0; i+1 < len(toks); i++ {
		if !toks[i].Stmt || toks[i].Indent != 0 || toks[i].Text != "DEBUG" || toks[i+1].Text != "=" {
			continue
		}
		for j := i + 2; j < len(toks) && !toks[j].Stmt; j++ {
			t := toks[j]
			if t.Kind == pyliteral.Name && t.Text == "True" && j >= 2 && toks[j-1].Text == "=" && toks[j-2].Text == "default" {
				return true
			}
			if t.Kind == pyliteral.String && toks[j-1].Text == "," && j+1 < len(toks) && toks[j+1].Text == ")" {
				switch strings.ToLower(t.Text) {
				case "true", "1", "yes", "on":
					return true
				}
			}
		}
	}
	return false
}

// productionSibling names a module beside the settings module that reads as
// the production one (production, prod, live), "" when the tree has none.
func (s *scanner) productionSibling(module, file string) string {
	dir := path.Dir(file)
	pkg := module[:max(strings.LastIndex(module, "."), 0)]
	for _, name := range []string{"production", "prod", "live"} {
		rel := joinRel(dir, name+".py")
		if dir == "." {
			rel = name + ".py"
		}
		if s.t.isFile(rel) {
			if pkg == "" {
				return name
			}
			return pkg + "." + name
		}
	}
	return ""
}
