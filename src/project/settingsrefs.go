package project

import (
	"path"
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// settingsRef is one place a settings module pulls more settings from:
// a `from X import *` (module, as written, relative ones with their dots)
// or a django-split-settings include()/optional() file pattern (file,
// relative to the including file's folder).
type settingsRef struct {
	module   string
	file     string
	optional bool // optional(): a missing file is not an error
	dynamic  bool // a file name built at run time (.format, %)
	// env is the environment variable a dynamic name is built from, when
	// envOK: the file is then read for the variable's value.
	env   envRead
	envOK bool
}

// settingsRefs returns a settings module's star imports, at any indent
// (inside try/except ImportError or if blocks too: the file is in the image,
// so Python runs them), and, when the module uses django-split-settings,
// the files named in include(...) and optional(...), in source order.
func settingsRefs(src []byte) []settingsRef {
	toks := tokenize(src)
	split := false
	for _, t := range toks {
		if t.Kind == pyliteral.Name && t.Text == "split_settings" {
			split = true
			break
		}
	}
	var refs []settingsRef
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Stmt && t.Kind == pyliteral.Name && t.Text == "from" {
			mod, j := "", i+1
			for ; j < len(toks) && !toks[j].Stmt && (toks[j].Text == "." || toks[j].Text == "..." || toks[j].Kind == pyliteral.Name && toks[j].Text != "import"); j++ {
				mod += toks[j].Text
			}
			if j+1 < len(toks) && toks[j].Text == "import" && toks[j+1].Text == "*" && mod != "" {
				refs = append(refs, settingsRef{module: mod})
			}
			continue
		}
		if split && t.Kind == pyliteral.Name && t.Text == "include" && i+1 < len(toks) && toks[i+1].Text == "(" &&
			(i == 0 || toks[i-1].Text != "def") {
			args, names, end := includeArgs(toks, i+1)
			refs = append(refs, args...)
			// include(*_base_settings): the names' tuple or list literals.
			for _, n := range names {
				for k := 0; k+2 < len(toks); k++ {
					if toks[k].Stmt && toks[k].Kind == pyliteral.Name && toks[k].Text == n && toks[k+1].Text == "=" &&
						(toks[k+2].Text == "(" || toks[k+2].Text == "[") {
						more, _, _ := includeArgs(toks, k+2)
						refs = append(refs, more...)
						break
					}
				}
			}
			i = end
		}
	}
	return refs
}

// includeArgs reads the bracket opening at toks[open]: its string items
// (optional(...) ones flagged), a string built at run time
// ("environments/{0}.py".format(env)) flagged dynamic, and the plain names
// passed (include(*names)). end is the closing bracket's index.
func includeArgs(toks []pyliteral.Token, open int) (refs []settingsRef, names []string, end int) {
	depth, opt := 0, 0
	for j := open; j < len(toks); j++ {
		switch tj := toks[j]; {
		case tj.Text == "(" || tj.Text == "[":
			depth++
			if toks[j-1].Kind == pyliteral.Name && toks[j-1].Text == "optional" {
				opt = depth
			}
		case tj.Text == ")" || tj.Text == "]":
			if depth == opt {
				opt = 0
			}
			depth--
		case tj.Kind == pyliteral.String && (depth == 1 || opt > 0 && depth == opt):
			r := settingsRef{file: tj.Text, optional: opt > 0}
			if j+1 < len(toks) && (toks[j+1].Text == "." || toks[j+1].Text == "%") {
				r.dynamic = true
				r.env, r.envOK = envCall(formatArg(toks, j))
			}
			refs = append(refs, r)
		case tj.Kind == pyliteral.Name && depth == 1 && tj.Text != "optional" && (toks[j-1].Text == "*" || toks[j-1].Text == "(" || toks[j-1].Text == ",") &&
			j+1 < len(toks) && (toks[j+1].Text == "," || toks[j+1].Text == ")"):
			names = append(names, tj.Text)
		}
		if depth == 0 {
			return refs, names, j
		}
	}
	return refs, names, len(toks)
}

// formatArg returns the tokens of the one argument a string at toks[j]
// is formatted with ("…".format(ARG) or "…" % ARG), a plain name's
// module-level assignment standing for the name.
func formatArg(toks []pyliteral.Token, j int) []pyliteral.Token {
	var arg []pyliteral.Token
	switch {
	case j+3 < len(toks) && toks[j+1].Text == "." && toks[j+2].Text == "format" && toks[j+3].Text == "(":
		depth := 0
		for k := j + 3; k < len(toks); k++ {
			switch toks[k].Text {
			case "(", "[":
				depth++
			case ")", "]":
				depth--
			}
			if depth == 0 {
				arg = toks[j+4 : k]
				break
			}
		}
	case j+2 < len(toks) && toks[j+1].Text == "%":
		arg = toks[j+2:]
		if toks[j+2].Kind == pyliteral.Name {
			arg = toks[j+2 : j+3]
		}
	}
	if len(arg) == 1 && arg[0].Kind == pyliteral.Name {
		return assignedExpr(toks, arg[0].Text)
	}
	return arg
}

// includedFiles resolves a split-settings pattern against the including
// file's folder: the file itself, or for a glob (components/*.py) the
// matching files in name order, as split-settings runs them. ok is false
// for a pattern leaving the source tree.
func (s *scanner) includedFiles(from, pattern string) (files []string, ok bool) {
	p, ok := includePath(from, pattern)
	if !ok {
		return nil, false
	}
	if !strings.ContainsAny(path.Base(p), "*?[") {
		if s.t.isFile(p) {
			return []string{p}, true
		}
		return nil, true
	}
	dir := dirOf(p)
	names := s.t.files(dir)
	sort.Strings(names)
	for _, n := range names {
		if m, _ := path.Match(path.Base(p), n); m {
			files = append(files, joinRel(dir, n))
		}
	}
	return files, true
}

// emptyModule reports a module with no statements beyond a docstring: an
// empty settings/__init__.py, which makes DJANGO_SETTINGS_MODULE pointing
// at the package load no settings at all.
func emptyModule(src []byte) bool {
	for _, t := range tokenize(src) {
		if t.Kind != pyliteral.String {
			return false
		}
	}
	return true
}

// packageSettings picks the module of a settings package folder to deploy
// when its __init__.py selects nothing: production.py or prod.py, else the
// first module whose name is neither development (local, dev, test) nor a
// shared base (base, common, components), else base.py. "" when none.
func (s *scanner) packageSettings(dir string) string {
	names := s.t.files(dir)
	sort.Strings(names)
	has := map[string]bool{}
	for _, n := range names {
		has[n] = true
	}
	for _, n := range []string{"production.py", "prod.py"} {
		if has[n] {
			return joinRel(dir, n)
		}
	}
	for _, n := range names {
		stem := strings.TrimSuffix(n, ".py")
		if !strings.HasSuffix(n, ".py") || stem == "__init__" || isDevName(stem) || baseSettingsNames[stem] {
			continue
		}
		return joinRel(dir, n)
	}
	for _, n := range []string{"base.py", "common.py"} {
		if has[n] {
			return joinRel(dir, n)
		}
	}
	return ""
}

// baseSettingsNames are modules of a settings package that hold the shared
// part every environment imports, never a whole deployable configuration.
var baseSettingsNames = map[string]bool{"base": true, "common": true, "components": true, "defaults": true, "default": true, "shared": true}
