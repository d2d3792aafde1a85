package project

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyname"
)

// maxStarDepth bounds how deep `from .base import *` chains are followed.
const maxStarDepth = 6

// pyModule is one Python module of the app read for detection.
type pyModule struct {
	name string // dotted
	file string // relative path
	pkg  bool   // an __init__.py
	src  []byte
}

// importRoots are the folders modules are resolved from, in sys.path order:
// the project folder (manage.py's), the root, then src/.
func (s *scanner) importRoots() []string {
	return uniq([]string{s.f.ProjectDir, "", "src"})
}

// moduleFile finds the file of a dotted module below the import roots:
// a/b/c.py, else the package a/b/c/__init__.py.
func (s *scanner) moduleFile(module string) (rel string, pkg bool, ok bool) {
	if !pyname.IsDotted(module) {
		return "", false, false
	}
	p := strings.ReplaceAll(module, ".", "/")
	for _, r := range s.importRoots() {
		if f := joinRel(r, p+".py"); s.t.isFile(f) {
			return f, false, true
		}
		if f := joinRel(r, p, "__init__.py"); s.t.isFile(f) {
			return f, true, true
		}
	}
	return "", false, false
}

// notRegular is the file of module when it exists but is not a regular
// file, so the warning says what is wrong instead of "not found".
func (s *scanner) notRegular(module string) string {
	if !pyname.IsDotted(module) {
		return ""
	}
	p := strings.ReplaceAll(module, ".", "/")
	for _, r := range s.importRoots() {
		f := joinRel(r, p+".py")
		if real, err := s.t.resolve(f); err == nil {
			if st, err := os.Stat(real); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
				return f
			}
		}
	}
	return ""
}

// moduleName is the dotted module of a .py file relative to an import root
// ("config/settings/base.py" -> "config.settings.base"), false when the file
// is not below that root or a folder is not an identifier.
func moduleName(root, rel string) (string, bool) {
	if root != "" {
		if !strings.HasPrefix(rel, root+"/") {
			return "", false
		}
		rel = strings.TrimPrefix(rel, root+"/")
	}
	if !strings.HasSuffix(rel, ".py") {
		return "", false
	}
	rel = strings.TrimSuffix(rel, ".py")
	rel = strings.TrimSuffix(rel, "/__init__")
	mod := strings.ReplaceAll(rel, "/", ".")
	if !pyname.IsDotted(mod) || mod == "__init__" {
		return "", false
	}
	return mod, true
}

// moduleOf is moduleName against the first import root that fits.
func (s *scanner) moduleOf(rel string) (string, bool) {
	for _, r := range s.importRoots() {
		if m, ok := moduleName(r, rel); ok {
			return m, true
		}
	}
	return "", false
}

// resolveImport turns the module named in `from X import *` inside module
// current into an absolute module name. Relative names keep their leading
// dots: ".base" inside config.settings.production is
// config.settings.base; inside the package config/settings/__init__.py it
// is also config.settings.base.
func resolveImport(current string, isPkg bool, imp string) (string, bool) {
	dots := len(imp) - len(strings.TrimLeft(imp, "."))
	if dots == 0 {
		return imp, pyname.IsDotted(imp)
	}
	pkg := strings.Split(current, ".")
	if !isPkg {
		pkg = pkg[:len(pkg)-1]
	}
	up := dots - 1
	if len(pkg) == 0 || up >= len(pkg) {
		return "", false // a relative import needs a parent package
	}
	pkg = pkg[:len(pkg)-up]
	rest := imp[dots:]
	if rest != "" {
		pkg = append(pkg, strings.Split(rest, ".")...)
	}
	mod := strings.Join(pkg, ".")
	return mod, pyname.IsDotted(mod)
}

// settingsChain reads the settings module and, depth-first and bounded,
// the modules it star-imports. The result is in precedence order: the
// module itself, then its star imports from the last to the first (a later
// `import *` overrides an earlier one), each followed by its own imports.
func (s *scanner) settingsChain(module string) []pyModule {
	var chain []pyModule
	seen := map[string]bool{}
	var visit func(module string, depth int, from string)
	var visitFile func(module, file string, pkg bool, src []byte, depth int)
	visit = func(module string, depth int, from string) {
		if seen[module] {
			return
		}
		seen[module] = true
		if depth > maxStarDepth {
			s.warn("settings: star imports nested deeper than %d at %s; not followed", maxStarDepth, module)
			return
		}
		file, pkg, ok := s.moduleFile(module)
		if !ok {
			switch {
			case from != "":
			case s.f.SettingsSource == SettingsFromOption:
				// The app's config: name the key, never print a config value.
				s.warn("the settings module in the app's DJANGO_SETTINGS_MODULE is not in the source tree")
			case s.notRegular(module) != "":
				s.warn("%s is not a regular file (a FIFO, device or socket); the settings module %s was not read", s.notRegular(module), module)
			default:
				s.warn("settings module %s not found in the source tree", module)
			}
			return // an import of an installed package: not the app's
		}
		src, err := s.t.read(file, maxSourceBytes)
		if err != nil {
			s.warn("settings: %v", err)
			return
		}
		visitFile(module, file, pkg, src, depth)
	}
	// visitFile adds one read settings file and, last first, what it
	// star-imports or includes. Included files run in the including
	// module's namespace, so their relative imports resolve against it.
	visitFile = func(module, file string, pkg bool, src []byte, depth int) {
		seen["file:"+file] = true
		chain = append(chain, pyModule{name: module, file: file, pkg: pkg, src: src})
		refs := settingsRefs(src)
		for i := len(refs) - 1; i >= 0; i-- {
			r := refs[i]
			if r.module != "" {
				abs, ok := resolveImport(module, pkg, r.module)
				if !ok {
					s.warn("%s: cannot resolve `from %s import *`", file, r.module)
					continue
				}
				visit(abs, depth+1, file)
				continue
			}
			if r.dynamic {
				name, ok := s.envFile(file, r)
				if !ok {
					s.warn("%s: include() names a file chosen at run time (%q); its settings were not read", file, r.file)
					continue
				}
				r.file = name
			}
			files, ok := s.includedFiles(file, r.file)
			if !ok {
				s.warn("%s: include %q leads outside the source tree, not read", file, r.file)
				continue
			}
			if len(files) == 0 && !r.optional {
				s.warn("%s: include(%q) names no file in the source tree; Django will fail to start (wrap it in optional() if it may be missing)", file, r.file)
			}
			for k := len(files) - 1; k >= 0; k-- {
				f := files[k]
				if seen["file:"+f] || depth+1 > maxStarDepth {
					continue
				}
				b, err := s.t.read(f, maxSourceBytes)
				if err != nil {
					s.warn("settings: %v", err)
					continue
				}
				if m, ok := s.moduleOf(f); ok {
					seen[m] = true // a later star import of it adds nothing
				}
				visitFile(module, f, pkg, b, depth+1)
			}
		}
	}
	visit(module, 0, "")
	return chain
}

// lookup is a settings value: the first module of the chain that assigns
// name decides. present is true when name is assigned at all, even to
// something that is not a literal (then err says so); file is where.
type lookup struct {
	v       pyliteral.Value
	present bool
	err     error
	file    string
}

// lookupSetting finds name in the settings chain: the first module that
// assigns it decides, even when the value is not a literal or is broken
// (Python would take that module's value too). A module pyliteral cannot
// scan at all (too large, too deep) adds a warning and is skipped.
func (s *scanner) lookupSetting(chain []pyModule, name string) lookup {
	for _, m := range chain {
		v, found, err := pyliteral.Lookup(m.src, name)
		if found {
			return lookup{v: v, present: true, err: err, file: m.file}
		}
		if err != nil {
			s.warn("%s: %v", m.file, err)
		}
	}
	return lookup{}
}

// stringSetting is lookupSetting for a setting that must be a string; a
// value that is not a string literal is warned about and treated as unset.
func (s *scanner) stringSetting(chain []pyModule, name string) string {
	l := s.lookupSetting(chain, name)
	if !l.present {
		return ""
	}
	if str, ok := l.v.(string); ok && l.err == nil {
		return str
	}
	switch {
	case l.err != nil:
		s.warn("%s: %s is not a string literal (%v); ignored", l.file, name, l.err)
	case l.v != nil:
		s.warn("%s: %s is not a string literal; ignored", l.file, name)
	}
	return ""
}

// integrationApps are the INSTALLED_APPS labels detection acts on.
var integrationApps = []string{
	"channels", "daphne",
	"django_celery_beat", "django_celery_results",
	"django_rq", "django_q", "huey.contrib.djhuey", "django_dramatiq",
	"django_tasks", "django_tasks.backends.database", "django_tasks_db",
	"django_prodserver",
}

// installedApps returns the integration app labels that occur as string
// literals in the settings modules. INSTALLED_APPS is usually built by
// expressions (DJANGO_APPS + THIRD_PARTY_APPS, `+= [...]`, `[*X, "y"]`)
// that a literal reader cannot evaluate; an exact string literal (never a
// substring, never a comment) is a sound stand-in for these labels.
func installedApps(chain []pyModule) []string {
	var out []string
	lits := map[string]bool{}
	for _, m := range chain {
		for k := range stringLiterals(m.src) {
			lits[k] = true
		}
	}
	for _, a := range integrationApps {
		if lits[a] || lits[a+".apps"] || hasAppConfig(lits, a) {
			out = append(out, a)
		}
	}
	return out
}

// hasAppConfig reports an AppConfig path of the app ("django_q.apps.DjangoQConfig").
func hasAppConfig(lits map[string]bool, app string) bool {
	for k := range lits {
		if strings.HasPrefix(k, app+".apps.") {
			return true
		}
	}
	return false
}

// settingsCandidates lists modules that look like settings below the
// project folder: pkg/settings.py and pkg/settings/ packages (their
// production.py / prod.py first), ranked by how likely they are deployed.
func (s *scanner) settingsCandidates() []string {
	s.t.ensureDepth(MaxDepth)
	type cand struct {
		mod  string
		rank int
		rel  string
	}
	var cands []cand
	add := func(rel string, rank int) {
		if m, ok := s.moduleOf(rel); ok {
			cands = append(cands, cand{m, rank, rel})
		}
	}
	for _, e := range s.t.named("settings.py") {
		if !e.dir {
			add(e.rel, 0)
		}
	}
	for _, e := range s.t.named("settings") {
		if !e.dir {
			continue
		}
		switch {
		case s.t.isFile(joinRel(e.rel, "production.py")):
			add(joinRel(e.rel, "production.py"), 1)
		case s.t.isFile(joinRel(e.rel, "prod.py")):
			add(joinRel(e.rel, "prod.py"), 1)
		case s.t.isFile(joinRel(e.rel, "__init__.py")):
			init := joinRel(e.rel, "__init__.py")
			if b, err := s.t.read(init, maxSourceBytes); err == nil && emptyModule(b) {
				// An empty __init__ loads nothing: offer a module inside.
				if rel := s.packageSettings(e.rel); rel != "" {
					add(rel, 2)
				}
				continue
			}
			add(init, 2)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if da, db := strings.Count(a.rel, "/"), strings.Count(b.rel, "/"); da != db {
			return da < db
		}
		return a.rel < b.rel
	})
	var out []string
	for _, c := range cands {
		out = append(out, c.mod)
	}
	return uniq(out)
}

// looksDevSettings reports whether a settings module's last component names
// development settings (config.settings.local, mysite.settings.dev).
func looksDevSettings(module string) bool {
	return isDevName(module[strings.LastIndex(module, ".")+1:])
}

// warnDevSettings warns when the default settings module does what
// development settings do (devSettingsReason), naming the production
// module to set: a production/prod sibling, or wsgi.py's default.
func (s *scanner) warnDevSettings(chain []pyModule) {
	f := s.f
	why := s.devSettingsReason(chain)
	if why == "" {
		return
	}
	from := map[string]string{SettingsFromManage: "manage.py defaults", SettingsFromWSGI: "wsgi.py defaults", SettingsFromGuessed: "prodserver guessed"}[f.SettingsSource]
	prod := s.productionSibling(f.Settings, chain[0].file)
	if w := s.wsgiDefault(); prod == "" && w != "" && w != f.Settings {
		if _, _, ok := s.moduleFile(w); ok {
			prod = w
		}
	}
	set := "set DJANGO_SETTINGS_MODULE to your production settings module (dokku config:set <app> DJANGO_SETTINGS_MODULE=...)"
	if prod != "" {
		set = "set DJANGO_SETTINGS_MODULE to " + prod + " for production (dokku config:set <app> DJANGO_SETTINGS_MODULE=" + prod + ")"
	}
	s.warn("%s DJANGO_SETTINGS_MODULE to %s, which looks like development settings (%s); %s", from, f.Settings, why, set)
}

// resolveSettings sets Settings, SettingsSource, SettingsFile and the chain:
// the operator's DJANGO_SETTINGS_MODULE, else manage.py's default, else
// wsgi.py's, else a settings module found by looking.
func (s *scanner) resolveSettings() []pyModule {
	f := s.f
	switch {
	case s.opt.SettingsModule != "":
		f.Settings, f.SettingsSource = strings.TrimSpace(s.opt.SettingsModule), SettingsFromOption
	case s.manageDefault != "":
		f.Settings, f.SettingsSource = s.manageDefault, SettingsFromManage
	default:
		if m := s.wsgiDefault(); m != "" {
			f.Settings, f.SettingsSource = m, SettingsFromWSGI
		} else if cands := s.settingsCandidates(); len(cands) > 0 {
			f.Settings, f.SettingsSource = cands[0], SettingsFromGuessed
			if len(cands) > 1 {
				s.warn("DJANGO_SETTINGS_MODULE is not set and several settings modules exist (%s); using %s", strings.Join(cands, ", "), cands[0])
			} else {
				s.warn("DJANGO_SETTINGS_MODULE is not set; using %s", cands[0])
			}
		}
	}
	if f.Settings == "" {
		s.warn("no settings module found; set DJANGO_SETTINGS_MODULE")
		return nil
	}
	if !pyname.IsDotted(f.Settings) {
		s.warn("settings module %q is not a dotted module name", f.Settings)
		return nil
	}
	chain := s.settingsChain(f.Settings)
	if len(chain) == 1 && chain[0].pkg && emptyModule(chain[0].src) {
		chain = s.emptySettingsPackage(chain)
	}
	if f.SettingsSource != SettingsFromOption && len(chain) > 0 {
		s.warnDevSettings(chain)
	}
	if len(chain) > 0 {
		f.SettingsFile = chain[0].file
		for _, m := range chain {
			f.SettingsFiles = append(f.SettingsFiles, m.file)
		}
	}
	return chain
}

// wsgiDefault is the DJANGO_SETTINGS_MODULE default of the app's wsgi.py
// (or asgi.py): the one in a package of the settings module when that is
// known (a lookup by path, no walk), else the best one found by looking.
func (s *scanner) wsgiDefault() string {
	var files []string
	if s.f.Settings != "" {
		for _, kind := range []string{"wsgi", "asgi"} {
			if file, _ := s.nearSettings(kind); file != "" {
				files = append(files, file)
			}
		}
	} else {
		for _, kind := range []string{"wsgi", "asgi"} {
			if cands := s.appFileCandidates(kind); len(cands) > 0 {
				files = append(files, cands[0].file)
			}
		}
	}
	for _, file := range files {
		src, err := s.t.read(file, maxSourceBytes)
		if err != nil {
			s.warn("%v", err)
			continue
		}
		if m := settingsModuleDefault(src); m != "" {
			return m
		}
	}
	return ""
}

// nearSettings returns the file and module of the kind ("wsgi"/"asgi")
// module in the innermost package holding the settings module
// (config/wsgi.py for config.settings.production), "" when there is none.
func (s *scanner) nearSettings(kind string) (file, module string) {
	parts := strings.Split(s.f.Settings, ".")
	for i := len(parts) - 1; i >= 1; i-- {
		mod := strings.Join(parts[:i], ".") + "." + kind
		if file, _, ok := s.moduleFile(mod); ok {
			return file, mod
		}
	}
	return "", ""
}

// emptySettingsPackage handles DJANGO_SETTINGS_MODULE naming a settings
// package whose __init__.py is empty: Django would start with no settings
// at all. Detection reads the package's deployable module instead and the
// warning names it as the module to set.
func (s *scanner) emptySettingsPackage(chain []pyModule) []pyModule {
	init := chain[0].file
	rel := s.packageSettings(dirOf(init))
	mod, ok := s.moduleOf(rel)
	if rel == "" || !ok {
		s.warn("%s is empty, so DJANGO_SETTINGS_MODULE=%s loads no settings; set DJANGO_SETTINGS_MODULE to the module of that package to deploy", init, s.f.Settings)
		return chain
	}
	s.warn("%s is empty, so DJANGO_SETTINGS_MODULE=%s loads no settings; detection read %s instead, set DJANGO_SETTINGS_MODULE=%s", init, s.f.Settings, mod, mod)
	return s.settingsChain(mod)
}

// envFile resolves a split-settings include whose file name is built from
// an environment variable ("environments/{0}.py".format(DJANGO_ENV)): the
// value the app runs with (its config, else the Dockerfile's ENV, through
// Options.Getenv), else the code's own default. The choice is kept in
// Facts.SettingsChoices, so the deploy can say which file was read and why.
func (s *scanner) envFile(file string, r settingsRef) (string, bool) {
	if !r.envOK {
		return "", false
	}
	val, from, ok := "", "", false
	if s.opt.Getenv != nil {
		val, from, ok = s.opt.Getenv(r.env.name)
	}
	if !ok {
		if !r.env.hasDefault {
			return "", false
		}
		val, from = r.env.def, "unset, so the default in "+file
	}
	name, ok := formatWith(r.file, val)
	if !ok || val == "" || strings.ContainsAny(val, "/\\") {
		return "", false
	}
	what := r.env.name + "=" + val
	if from == "app config" {
		what = r.env.name + " set" // a config value is never printed
	}
	s.f.SettingsChoices = append(s.f.SettingsChoices, fmt.Sprintf("%s: include(%q) reads %s: %s (%s)", file, r.file, name, what, from))
	return name, true
}
