package project

import (
	"fmt"
)

// lockDep is one edge of a lock file: a dependency on name, with the
// extras it asks of that package. Optional edges (Poetry's optional = true)
// are only followed when an extra of the depending package asks for them.
type lockDep struct {
	name     string
	extras   []string
	optional bool
}

// lockPkg is one locked package and what it pulls in.
type lockPkg struct {
	version string
	deps    []lockDep
	extras  map[string][]lockDep // extra name -> what it adds
	root    bool                 // the project itself (uv: source virtual/editable ".")
	devOnly bool                 // Poetry: locked for non-main groups only
}

// lockGraph is a parsed lock file. A lock pins every group and extra the
// project has, so what a production install gets is the closure from the
// main dependencies, never the whole file.
type lockGraph struct {
	pkgs map[string]*lockPkg
}

// maxLockPackages bounds the packages a lock may hold before it is refused.
const maxLockPackages = 20000

// all is every locked package, name -> version.
func (g *lockGraph) all() map[string]string {
	out := map[string]string{}
	for name, p := range g.pkgs {
		out[name] = p.version
	}
	return out
}

// installed is what a production install of the project gets, name ->
// version: the closure from the root package's runtime dependencies and
// from mainDeps (the names the manifest declares as main dependencies).
// Root optional and dev edges are not followed. With no root and no main
// dependency (a lock on its own) every package not marked dev-only counts.
func (g *lockGraph) installed(mainDeps []string) map[string]string {
	var start []lockDep
	for _, name := range sortedKeys(g.pkgs) {
		if p := g.pkgs[name]; p.root {
			start = append(start, lockDep{name: name})
		}
	}
	for _, n := range mainDeps {
		start = append(start, lockDep{name: n})
	}
	out := map[string]string{}
	if len(start) == 0 {
		for name, p := range g.pkgs {
			if !p.devOnly {
				out[name] = p.version
			}
		}
		return out
	}
	type visit struct{ name, extra string }
	seen := map[visit]bool{}
	queue := start
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		p, ok := g.pkgs[d.name]
		if !ok {
			continue
		}
		out[d.name] = p.version
		for _, e := range append([]string{""}, d.extras...) {
			if seen[visit{d.name, e}] {
				continue
			}
			seen[visit{d.name, e}] = true
			if e == "" {
				for _, dd := range p.deps {
					if !dd.optional {
						queue = append(queue, dd)
					}
				}
				continue
			}
			queue = append(queue, p.extras[e]...)
			// Poetry names an extra's packages in [package.extras] and
			// keeps the edge (with its extras) in the optional deps.
			for _, dd := range p.deps {
				if dd.optional && containsDep(p.extras[e], dd.name) {
					queue = append(queue, dd)
				}
			}
		}
	}
	return out
}

func containsDep(list []lockDep, name string) bool {
	for _, d := range list {
		if d.name == name {
			return true
		}
	}
	return false
}

// uvLockDep is a uv.lock dependency entry: { name = "x", extra = ["y"] }.
type uvLockDep struct {
	Name  string   `toml:"name"`
	Extra []string `toml:"extra"`
}

// parseUVLock reads a uv.lock: packages, their dependencies and
// optional-dependencies (extras). The project itself is the package whose
// source is virtual or editable "."; its optional and dev dependencies are
// what `uv sync --no-dev` leaves out.
func parseUVLock(src []byte) (*lockGraph, error) {
	var l struct {
		Package []struct {
			Name         string                 `toml:"name"`
			Version      string                 `toml:"version"`
			Source       map[string]any         `toml:"source"`
			Dependencies []uvLockDep            `toml:"dependencies"`
			Optional     map[string][]uvLockDep `toml:"optional-dependencies"`
		} `toml:"package"`
	}
	if err := decodeTOML(src, &l); err != nil {
		return nil, fmt.Errorf("parse uv.lock: %w", err)
	}
	if len(l.Package) > maxLockPackages {
		return nil, fmt.Errorf("parse uv.lock: more than %d packages", maxLockPackages)
	}
	conv := func(ds []uvLockDep) []lockDep {
		out := make([]lockDep, 0, len(ds))
		for _, d := range ds {
			ex := make([]string, len(d.Extra))
			for i, e := range d.Extra {
				ex[i] = NormalizeName(e)
			}
			out = append(out, lockDep{name: NormalizeName(d.Name), extras: ex})
		}
		return out
	}
	g := &lockGraph{pkgs: map[string]*lockPkg{}}
	for _, p := range l.Package {
		lp := &lockPkg{version: p.Version, deps: conv(p.Dependencies), extras: map[string][]lockDep{}}
		for e, ds := range p.Optional {
			lp.extras[NormalizeName(e)] = conv(ds)
		}
		for _, k := range []string{"virtual", "editable"} {
			if s, _ := p.Source[k].(string); s == "." {
				lp.root = true
			}
		}
		g.pkgs[NormalizeName(p.Name)] = lp
	}
	return g, nil
}

// parsePoetryLock reads a poetry.lock: packages, their
// [package.dependencies] (optional ones only through an extra) and
// [package.extras]. Packages marked for development (category = "dev"
// before Poetry 1.5, groups without "main" since Poetry 2) are flagged for
// a lock read without a manifest.
func parsePoetryLock(src []byte) (*lockGraph, error) {
	var l struct {
		Package []struct {
			Name         string              `toml:"name"`
			Version      string              `toml:"version"`
			Category     string              `toml:"category"` // poetry < 1.5
			Groups       []string            `toml:"groups"`   // poetry 2
			Dependencies map[string]any      `toml:"dependencies"`
			Extras       map[string][]string `toml:"extras"`
		} `toml:"package"`
	}
	if err := decodeTOML(src, &l); err != nil {
		return nil, fmt.Errorf("parse poetry.lock: %w", err)
	}
	if len(l.Package) > maxLockPackages {
		return nil, fmt.Errorf("parse poetry.lock: more than %d packages", maxLockPackages)
	}
	g := &lockGraph{pkgs: map[string]*lockPkg{}}
	for _, p := range l.Package {
		lp := &lockPkg{version: p.Version, extras: map[string][]lockDep{},
			devOnly: p.Category == "dev" || len(p.Groups) > 0 && !contains(p.Groups, "main")}
		for _, name := range sortedKeys(p.Dependencies) {
			d := lockDep{name: NormalizeName(name)}
			for _, t := range poetryTables(p.Dependencies[name]) {
				if b, _ := t["optional"].(bool); b {
					d.optional = true
				}
				if ex, ok := t["extras"].([]any); ok {
					for _, e := range ex {
						if s, ok := e.(string); ok {
							d.extras = append(d.extras, NormalizeName(s))
						}
					}
				}
			}
			lp.deps = append(lp.deps, d)
		}
		for e, specs := range p.Extras {
			for _, s := range specs {
				if r, ok := parseSpec(s); ok {
					lp.extras[NormalizeName(e)] = append(lp.extras[NormalizeName(e)], lockDep{name: r.Name})
				}
			}
		}
		g.pkgs[NormalizeName(p.Name)] = lp
	}
	return g, nil
}

// poetryTables returns the table form(s) of a Poetry dependency value.
func poetryTables(v any) []map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []map[string]any:
		return v
	case []any:
		var out []map[string]any
		for _, x := range v {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}
