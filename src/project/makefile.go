package project

import (
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
)

// makefileNames are the files GNU make reads by default, in its order.
var makefileNames = []string{"GNUmakefile", "makefile", "Makefile"}

// maxMakefile bounds the Makefile read: a recipe file, not data.
const maxMakefile = 1 << 20

// findDevServerTargets sets f.DevServerTargets from the root Makefile
// (Procfile lines run at the root): a Procfile `web: make run` starts the
// dev server when the `run` recipe does, and only the Makefile says so.
func findDevServerTargets(t *tree, f *Facts) {
	for _, name := range makefileNames {
		if !t.isFile(name) {
			continue
		}
		b, err := t.read(name, maxMakefile)
		if err != nil {
			warnf(f, "%v; its targets are not checked for Django's development server", err)
			return
		}
		f.DevServerTargets = devServerTargets(string(b))
		return
	}
}

// devServerTargets returns the targets of a Makefile whose recipe runs
// the dev server (facts.RunsDevServer), or that depend on or call (`make
// X`, `$(MAKE) X`) such a target, sorted as they appear; "" is added when
// the default goal (the first target) is one. Only rule and recipe lines
// are read; variables, conditionals and includes are not evaluated.
func devServerTargets(src string) []string {
	type rule struct {
		deps    []string
		recipe  []string
		devServ bool
	}
	rules := map[string]*rule{}
	var order []string
	var cur []*rule
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		if strings.HasPrefix(line, "\t") {
			for _, r := range cur {
				r.recipe = append(r.recipe, strings.ReplaceAll(strings.TrimSpace(line), "$(MAKE)", "make"))
			}
			continue
		}
		cur = nil
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, " ") {
			continue
		}
		line, _, _ = strings.Cut(line, "#")
		before, after, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(after, "=") || strings.ContainsAny(before, "=$%") {
			continue // not a rule: an assignment, a variable or a pattern rule
		}
		after = strings.TrimPrefix(after, ":") // double-colon rule
		deps, inline, _ := strings.Cut(after, ";")
		for _, name := range strings.Fields(before) {
			r := rules[name]
			if r == nil {
				r = &rule{}
				rules[name] = r
				if !strings.HasPrefix(name, ".") {
					order = append(order, name)
				}
			}
			r.deps = append(r.deps, strings.Fields(deps)...)
			if strings.TrimSpace(inline) != "" {
				r.recipe = append(r.recipe, strings.TrimSpace(inline))
			}
			cur = append(cur, r)
		}
	}
	// Propagate through prerequisites and recursive make calls until
	// nothing changes.
	var found []string
	for changed := true; changed; {
		changed = false
		found = found[:0]
		for _, name := range order {
			if rules[name].devServ {
				found = append(found, name)
			}
		}
		for _, name := range order {
			r := rules[name]
			if r.devServ {
				continue
			}
			for _, d := range r.deps {
				if rr := rules[d]; rr != nil && rr.devServ {
					r.devServ = true
				}
			}
			for _, l := range r.recipe {
				if facts.RunsDevServer(l, found) {
					r.devServ = true
				}
			}
			changed = changed || r.devServ
		}
	}
	found = found[:0]
	for _, name := range order {
		if rules[name].devServ {
			found = append(found, name)
		}
	}
	if len(found) > 0 && len(order) > 0 && rules[order[0]].devServ {
		found = append(found, "")
	}
	if len(found) == 0 {
		return nil
	}
	return found
}
