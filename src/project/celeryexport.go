package project

import (
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyname"
)

// A package's __init__.py re-exports its Celery app so that Django loads
// it at start (Celery's Django guide: `from .celery import app as
// celery_app`); projects spell it with an absolute import too (`from
// proj.taskqueue import app`), or a star import governed by __all__.

// fromImport is one column-0 `from module import name [as alias]` (name
// "*" for a star import); level counts the leading dots.
type fromImport struct {
	level        int
	module, name string
}

// fromImports returns the module-level from-imports of src, one per
// imported name. Pure.
func fromImports(src []byte) []fromImport {
	var out []fromImport
	for _, st := range statements(tokenize(src)) {
		if st[0].Indent != 0 || st[0].Text != "from" {
			continue
		}
		i, level := 1, 0
		for ; i < len(st) && (st[i].Text == "." || st[i].Text == "..." || st[i].Text == ".."); i++ {
			level += len(st[i].Text)
		}
		var mod []string
		for ; i < len(st) && st[i].Text != "import"; i++ {
			mod = append(mod, st[i].Text)
		}
		module := strings.Join(mod, "")
		if i == len(st) || module != "" && !pyname.IsDotted(module) || level == 0 && module == "" {
			continue
		}
		for i++; i < len(st); i++ {
			t := st[i]
			if t.Text == "*" || t.Kind == pyliteral.Name && t.Text != "as" && (i == 0 || st[i-1].Text != "as") {
				out = append(out, fromImport{level, module, t.Text})
			}
		}
	}
	return out
}

// exportedCelery returns the Celery app names that imp brings in from a
// module whose source is src: the imported name when it is one, for a
// star import those __all__ lists (every public one when there is none).
func exportedCelery(imp fromImport, src []byte) []string {
	apps := celeryInstances(src)
	if imp.name != "*" {
		if contains(apps, imp.name) {
			return []string{imp.name}
		}
		return nil
	}
	all, found, err := pyliteral.Lookup(src, "__all__")
	var out []string
	for _, a := range apps {
		if strings.HasPrefix(a, "_") {
			continue
		}
		if found && err == nil {
			if l, ok := all.([]pyliteral.Value); ok && !listHas(l, a) {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// listHas reports a string item in a literal list or tuple.
func listHas(l []pyliteral.Value, s string) bool {
	for _, v := range l {
		if str, ok := v.(string); ok && str == s {
			return true
		}
	}
	return false
}

// importedModuleFile resolves the module of imp, imported by the package
// whose __init__.py is initRel, to its file in the tree.
func (s *scanner) importedModuleFile(initRel string, imp fromImport) (string, bool) {
	if imp.level == 0 {
		rel, _, ok := s.moduleFile(imp.module)
		return rel, ok
	}
	dir := dirOf(initRel)
	for k := 1; k < imp.level; k++ {
		dir = dirOf(dir)
	}
	p := joinRel(dir, strings.ReplaceAll(imp.module, ".", "/"))
	if s.t.isFile(p + ".py") {
		return p + ".py", true
	}
	if s.t.isFile(joinRel(p, "__init__.py")) {
		return joinRel(p, "__init__.py"), true
	}
	return "", false
}
