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
			depth, opt := 0, 0
			for j := i + 1; j < len(toks); j++ {
				switch tj := toks[j]; {
				case tj.Text == "(" || tj.Text == "[":
					depth++
					if j > 0 && toks[j-1].Kind == pyliteral.Name && toks[j-1].Text == "optional" {
						opt = depth
					}
				case tj.Text == ")" || tj.Text == "]":
					if depth == opt {
						opt = 0
					}
					depth--
				case tj.Kind == pyliteral.String && (depth == 1 || opt > 0 && depth == opt):
					refs = append(refs, settingsRef{file: tj.Text, optional: opt > 0})
				}
				if depth == 0 {
					i = j
					break
				}
			}
		}
	}
	return refs
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
