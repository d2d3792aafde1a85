package project

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyversion"
)

// Bounds for following requirements includes.
const (
	maxIncludeDepth = 5
	maxReqFiles     = 32
)

// isRequirementsFile reports whether a file name is a pip requirements file
// detection reads: requirements.txt, requirements-dev.txt,
// requirements_prod.txt, dev-requirements.txt.
func isRequirementsFile(name string) bool {
	if !strings.HasSuffix(name, ".txt") {
		return false
	}
	stem := strings.TrimSuffix(name, ".txt")
	return strings.HasPrefix(stem, "requirements") || strings.HasSuffix(stem, "requirements")
}

// isConstraintsFile reports a pip constraints file (constraints.txt,
// requirements/constraints-prod.txt): it pins versions and declares
// nothing, so it is only read through a -c line.
func isConstraintsFile(name string) bool {
	return strings.Contains(strings.ToLower(name), "constraint")
}

// depsCollector accumulates declarations from several files.
type depsCollector struct {
	t      *tree
	f      *Facts
	seen   map[string]bool // files already parsed
	nReq   int
	anyDep bool // a manifest (not a lock) declared something
	// dirMain are the main dependencies the current folder's manifests
	// declare: where its lock file's closure starts.
	dirMain []string
	// devAt is where each development-only package was declared
	// ("pyproject.toml [dependency-groups].dev"), mainAt the file and
	// table to move it to.
	devAt, mainAt map[string]string
	// inst is what the build's own install commands add (nil: defaults).
	inst *Installed
}

// collectDependencies reads the dependency manifests and lock files of the
// given folders (the root and the project folder): requirements files there
// and in their requirements/ subfolder, pyproject.toml, Pipfile,
// poetry.lock, uv.lock, Pipfile.lock.
func collectDependencies(t *tree, f *Facts, dirs []string, inst *Installed) {
	c := &depsCollector{t: t, f: f, seen: map[string]bool{}, devAt: map[string]string{}, mainAt: map[string]string{}, inst: inst}
	if f.Packages == nil {
		f.Packages = map[string]string{}
		f.DevPackages = map[string]string{}
		f.Locked = map[string]string{}
	}
	if inst != nil {
		for _, p := range inst.Packages {
			if r, ok := parseSpec(p); ok {
				c.add(r, false)
			}
		}
	}
	for _, d := range uniq(dirs) {
		c.dir(d)
	}
	for name := range f.Packages {
		delete(f.DevPackages, name)
	}
	if !c.anyDep && len(f.Locked) > 0 {
		// Only a lock file: what it pins is what gets installed.
		for name, v := range f.Locked {
			f.Packages[name] = "==" + v
		}
	}
	c.warnDevOnly()
}

// servedPackages are the server and task-queue distributions prodserver
// renders a process for. One declared only in a group or extra is not in
// the built image, so it is never chosen and the operator is told what to
// move.
var servedPackages = []string{
	"gunicorn", "uvicorn", "daphne", "hypercorn", "granian", "waitress", "uwsgi",
	"django-prodserver", "celery", "django-rq", "rq", "django-q", "django-q2",
	"huey", "django-dramatiq", "dramatiq", "django-tasks", "django-tasks-db",
}

// warnDevOnly names each served package that only a group, extra or dev
// requirements file declares, with the exact move that installs it.
func (c *depsCollector) warnDevOnly() {
	for _, name := range servedPackages {
		at, ok := c.devAt[name]
		if !ok {
			continue
		}
		if _, main := c.f.Packages[name]; main {
			continue
		}
		if _, locked := c.f.Locked[name]; locked {
			continue
		}
		fix := fmt.Sprintf("move %s from %s to %s", name, at, c.mainAt[name])
		if file, ok := strings.CutSuffix(at, " "+poetryOptionalTable); ok {
			fix = fmt.Sprintf("remove optional = true from %s in %s [tool.poetry.dependencies]", name, file)
		}
		c.warn("%s is declared only in %s, which a production install leaves out, so it is not used; %s", name, at, fix)
	}
}

// dir reads the manifests of one folder.
func (c *depsCollector) dir(d string) {
	files := c.t.files(d)
	// A manifest that is a FIFO, device or socket is not read (it could
	// block or never end): say so, since what it declares is then missing.
	if ents, err := c.t.readDir(d); err == nil {
		for _, e := range ents {
			n := e.Name()
			manifest := isRequirementsFile(n) || n == "pyproject.toml" || n == "Pipfile" || n == "Pipfile.lock" || strings.HasSuffix(n, ".lock")
			if manifest && !e.IsDir() && !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
				c.warn("%s is not a regular file (a FIFO, device or socket); what it declares was not read", joinRel(d, n))
			}
		}
	}
	var reqs []string
	for _, name := range files {
		if isRequirementsFile(name) && !isConstraintsFile(name) {
			reqs = append(reqs, joinRel(d, name))
		}
	}
	for _, sub := range []string{"requirements", "reqs"} {
		if c.t.isDir(joinRel(d, sub)) {
			for _, name := range c.t.files(joinRel(d, sub)) {
				if strings.HasSuffix(name, ".txt") && !isConstraintsFile(name) {
					reqs = append(reqs, joinRel(d, sub, name))
				}
			}
		}
	}
	// Runtime files first, so that a file both included by a runtime file
	// and named like a dev one counts as runtime. When the build names its
	// -r files, those are the runtime ones.
	dev := func(r string) bool { return isDevName(reqStem(r)) }
	if c.inst != nil && len(c.inst.Requirements) > 0 {
		dev = func(r string) bool { return !contains(c.inst.Requirements, r) }
		for _, r := range c.inst.Requirements {
			if dirOf(r) == d || dirOf(r) == joinRel(d, "requirements") || dirOf(r) == joinRel(d, "reqs") {
				if !contains(reqs, r) && c.t.isFile(r) {
					reqs = append(reqs, r)
				}
			}
		}
	}
	sort.SliceStable(reqs, func(i, j int) bool {
		return !dev(reqs[i]) && dev(reqs[j])
	})
	for _, r := range reqs {
		c.requirements(r, dev(r), false, 0)
	}
	has := map[string]bool{}
	for _, name := range files {
		has[name] = true
	}
	if has["pyproject.toml"] {
		c.pyproject(joinRel(d, "pyproject.toml"))
	}
	if has["Pipfile"] {
		c.manifest(joinRel(d, "Pipfile"), func(b []byte) (declared, []string, error) {
			dd, err := parsePipfile(b)
			return dd, nil, err
		})
	}
	for _, lock := range []struct {
		name  string
		parse func([]byte) (map[string]string, error)
	}{
		{"poetry.lock", c.closure(parsePoetryLock)},
		{"uv.lock", c.closure(parseUVLock)},
		{"Pipfile.lock", parsePipfileLock}, // "default" is already the closure
	} {
		if !has[lock.name] {
			continue
		}
		rel := joinRel(d, lock.name)
		if c.seen[rel] {
			continue
		}
		c.seen[rel] = true
		b, err := c.t.read(rel, maxLockBytes)
		if err != nil {
			c.warn("%v", err)
			continue
		}
		m, err := lock.parse(b)
		if err != nil {
			c.warn("%s: %v", rel, err)
			continue
		}
		c.f.DependencyFiles = append(c.f.DependencyFiles, rel)
		for name, v := range m {
			if _, ok := c.f.Locked[name]; !ok && v != "" {
				c.f.Locked[name] = v
			}
		}
	}
	c.dirMain = nil
}

// closure turns a lock graph parser into one that returns what a
// production install gets: the closure from this folder's main
// dependencies.
func (c *depsCollector) closure(parse func([]byte) (*lockGraph, error)) func([]byte) (map[string]string, error) {
	return func(b []byte) (map[string]string, error) {
		g, err := parse(b)
		if err != nil {
			return nil, err
		}
		return g.installed(c.dirMain), nil
	}
}

// reqStem is the part of a requirements file's path that says what it is
// for: "requirements-dev.txt" -> "dev", "requirements/local.txt" -> "local".
func reqStem(rel string) string {
	stem := strings.TrimSuffix(path.Base(rel), ".txt")
	stem = strings.TrimPrefix(stem, "requirements")
	stem = strings.TrimSuffix(stem, "requirements")
	return stem
}

// requirements parses a requirements file and, bounded, the files it
// includes. Includes inherit runtime-ness from a runtime includer; -c files
// only pin versions.
func (c *depsCollector) requirements(rel string, dev, constraint bool, depth int) {
	if c.seen[rel] {
		return
	}
	if depth > maxIncludeDepth || c.nReq >= maxReqFiles {
		c.warn("%s: not read, too many nested requirements files", rel)
		return
	}
	c.seen[rel] = true
	c.nReq++
	b, err := c.t.read(rel, maxSourceBytes)
	if err != nil {
		c.warn("%v", err)
		return
	}
	c.f.DependencyFiles = append(c.f.DependencyFiles, rel)
	reqs, incs, bad := parseRequirements(b)
	for _, l := range bad {
		c.warn("%s: cannot parse requirement %q", rel, l)
	}
	for _, r := range reqs {
		if constraint {
			if v, ok := pyversion.Pinned(r.Spec); ok {
				if _, had := c.f.Locked[r.Name]; !had {
					c.f.Locked[r.Name] = v
				}
			}
			continue
		}
		c.add(r, dev)
		if dev {
			main := path.Join(dirOf(rel), "requirements.txt")
			if c.inst != nil && len(c.inst.Requirements) > 0 {
				main = c.inst.Requirements[0]
			}
			c.noteDev(r.Name, rel, main)
		} else {
			c.dirMain = append(c.dirMain, r.Name)
		}
	}
	for _, inc := range incs {
		target, ok := includePath(rel, inc.file)
		if !ok {
			c.warn("%s: include %q leads outside the source tree, not read", rel, inc.file)
			continue
		}
		c.requirements(target, dev, constraint || inc.constraint, depth+1)
	}
}

// includePath resolves an -r/-c argument against the including file's folder
// (as pip does), refusing absolute paths, URLs and paths leaving the root.
func includePath(from, arg string) (string, bool) {
	if strings.Contains(arg, "://") || path.IsAbs(arg) || strings.HasPrefix(arg, "\\") || len(arg) > 1 && arg[1] == ':' {
		return "", false
	}
	p := path.Join(dirOf(from), arg)
	if p == ".." || strings.HasPrefix(p, "../") || p == "." {
		return "", false
	}
	return p, true
}

func (c *depsCollector) pyproject(rel string) {
	c.manifest(rel, parsePyproject)
}

// manifest reads a TOML manifest with parse and records its declarations.
func (c *depsCollector) manifest(rel string, parse func([]byte) (declared, []string, error)) {
	if c.seen[rel] {
		return
	}
	c.seen[rel] = true
	b, err := c.t.read(rel, maxSourceBytes)
	if err != nil {
		c.warn("%v", err)
		return
	}
	d, bad, err := parse(b)
	if err != nil {
		c.warn("%s: %v", rel, err)
		return
	}
	c.f.DependencyFiles = append(c.f.DependencyFiles, rel)
	for _, s := range bad {
		c.warn("%s: cannot parse requirement %q", rel, s)
	}
	for _, r := range d.runtime {
		c.add(r, false)
		c.dirMain = append(c.dirMain, r.Name)
	}
	for _, r := range d.dev {
		if c.inst.covers(d.devAt[r.Name]) {
			c.add(r, false)
			c.dirMain = append(c.dirMain, r.Name)
			continue
		}
		c.add(r, true)
		c.noteDev(r.Name, rel+" "+d.devAt[r.Name], rel+" "+d.mainTable)
	}
}

// add records one declaration; a specifier fills in an earlier bare name.
func (c *depsCollector) add(r Requirement, dev bool) {
	if r.Name == "" || r.Name == "python" {
		return
	}
	c.anyDep = true
	m := c.f.Packages
	if dev {
		m = c.f.DevPackages
	}
	if old, ok := m[r.Name]; !ok || old == "" {
		m[r.Name] = r.Spec
	}
}

// noteDev records the first place a development-only package was found.
func (c *depsCollector) noteDev(name, at, main string) {
	if _, ok := c.devAt[name]; !ok {
		c.devAt[name] = at
		c.mainAt[name] = main
	}
}

func (c *depsCollector) warn(format string, args ...any) {
	warnf(c.f, format, args...)
}

func uniq(list []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// covers says the build installs the manifest table a dev requirement was
// declared in: a group it names (uv sync --group, poetry install --with),
// an extra (--extra, pip install .[x]), or the dev group uv sync installs
// unless told --no-dev.
func (in *Installed) covers(table string) bool {
	if in == nil {
		return false
	}
	switch {
	case strings.HasPrefix(table, "[dependency-groups]."):
		g := strings.TrimPrefix(table, "[dependency-groups].")
		return in.AllGroups || containsName(in.Groups, g) || g == "dev" && in.Dev
	case strings.HasPrefix(table, "[project.optional-dependencies]."):
		return in.AllExtras || containsName(in.Extras, strings.TrimPrefix(table, "[project.optional-dependencies]."))
	case strings.HasPrefix(table, "[tool.poetry.group."):
		g := strings.TrimSuffix(strings.TrimPrefix(table, "[tool.poetry.group."), ".dependencies]")
		return containsName(in.Groups, g)
	case table == "[tool.poetry.dev-dependencies]":
		return containsName(in.Groups, "dev")
	case table == "[tool.uv].dev-dependencies":
		return in.Dev
	case table == poetryOptionalTable:
		return in.AllExtras
	}
	return false
}

// containsName compares group and extra names as PEP 685 does.
func containsName(list []string, name string) bool {
	for _, x := range list {
		if NormalizeName(x) == NormalizeName(name) {
			return true
		}
	}
	return false
}
