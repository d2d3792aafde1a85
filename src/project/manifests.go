package project

import (
	"fmt"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/tidwall/gjson"
)

// declared is the dependencies one manifest declares, split by whether a
// production install gets them.
type declared struct {
	runtime []Requirement
	dev     []Requirement
	// devAt names the table each dev requirement came from
	// ("[dependency-groups].dev"), mainTable the table a production
	// install reads ("[project].dependencies"), for the warning that says
	// what to move where.
	devAt     map[string]string
	mainTable string
}

// noteDev records where a development-only requirement was declared.
func (d *declared) noteDev(table string, rs ...Requirement) {
	if d.devAt == nil {
		d.devAt = map[string]string{}
	}
	for _, r := range rs {
		if _, ok := d.devAt[r.Name]; !ok {
			d.devAt[r.Name] = table
		}
	}
}

// devGroupWords are the words that mark an extra, dependency group or
// requirements file as development-only ("dev", "requirements-test.txt",
// "requirements/local.txt", "[dependency-groups] lint").
var devGroupWords = map[string]bool{
	"dev": true, "devel": true, "develop": true, "development": true, "local": true,
	"test": true, "tests": true, "testing": true, "lint": true, "linting": true,
	"docs": true, "doc": true, "typing": true, "types": true, "mypy": true,
	"ci": true, "debug": true, "qa": true, "style": true, "format": true, "check": true,
}

// isDevName reports whether a group, extra or file stem names development
// dependencies. Words are split on - _ . so "test-utils" is dev and
// "latest" is not.
func isDevName(name string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return r == '-' || r == '_' || r == '.'
	}) {
		if devGroupWords[w] {
			return true
		}
	}
	return false
}

// pyproject is the part of pyproject.toml detection reads.
type pyproject struct {
	Project struct {
		Dependencies         []string            `toml:"dependencies"`
		OptionalDependencies map[string][]string `toml:"optional-dependencies"`
	} `toml:"project"`
	// PEP 735: each item is a PEP 508 string or {include-group = "name"}.
	DependencyGroups map[string][]any `toml:"dependency-groups"`
	Tool             struct {
		Poetry struct {
			Dependencies    map[string]any `toml:"dependencies"`
			DevDependencies map[string]any `toml:"dev-dependencies"`
			Group           map[string]struct {
				Dependencies map[string]any `toml:"dependencies"`
			} `toml:"group"`
		} `toml:"poetry"`
		UV struct {
			DevDependencies []string `toml:"dev-dependencies"`
		} `toml:"uv"`
	} `toml:"tool"`
}

// parsePyproject reads PEP 621 [project] dependencies and
// optional-dependencies, PEP 735 [dependency-groups], Poetry's dependencies,
// groups and dev-dependencies, and uv's dev-dependencies. Only the main
// dependencies are runtime: the builders install a project without extras
// and with main dependencies only (uv sync --no-default-groups, poetry
// install --only main), so every extra and group, whatever its name, is
// counted with the development dependencies. Poetry's "python" is not a
// package.
func parsePyproject(src []byte) (declared, []string, error) {
	var p pyproject
	if err := decodeTOML(src, &p); err != nil {
		return declared{}, nil, fmt.Errorf("parse pyproject.toml: %w", err)
	}
	var d declared
	var bad []string
	add := func(table string, specs ...string) {
		for _, s := range specs {
			r, ok := parseSpec(s)
			if !ok {
				bad = append(bad, s)
				continue
			}
			if table != "" {
				d.dev = append(d.dev, r)
				d.noteDev(table, r)
			} else {
				d.runtime = append(d.runtime, r)
			}
		}
	}
	d.mainTable = "[project].dependencies"
	if len(p.Project.Dependencies) == 0 && len(p.Tool.Poetry.Dependencies) > 0 {
		d.mainTable = "[tool.poetry.dependencies]"
	}
	add("", p.Project.Dependencies...)
	for _, g := range sortedKeys(p.Project.OptionalDependencies) {
		add("[project.optional-dependencies]."+g, p.Project.OptionalDependencies[g]...)
	}
	for _, g := range sortedKeys(p.DependencyGroups) {
		for _, item := range p.DependencyGroups[g] {
			if s, ok := item.(string); ok { // include-group tables add nothing new
				add("[dependency-groups]."+g, s)
			}
		}
	}
	add("[tool.uv].dev-dependencies", p.Tool.UV.DevDependencies...)
	for _, r := range poetryDeps(p.Tool.Poetry.Dependencies) {
		// optional = true: installed only through an extra (poetry -E).
		if poetryOptional(p.Tool.Poetry.Dependencies, r.Name) {
			d.dev = append(d.dev, r)
			d.noteDev(poetryOptionalTable, r)
			continue
		}
		d.runtime = append(d.runtime, r)
	}
	dev := poetryDeps(p.Tool.Poetry.DevDependencies)
	d.dev = append(d.dev, dev...)
	d.noteDev("[tool.poetry.dev-dependencies]", dev...)
	for _, g := range sortedKeys(p.Tool.Poetry.Group) {
		deps := poetryDeps(p.Tool.Poetry.Group[g].Dependencies)
		d.dev = append(d.dev, deps...)
		d.noteDev("[tool.poetry.group."+g+".dependencies]", deps...)
	}
	return d, bad, nil
}

// poetryOptionalTable marks a Poetry main dependency declared with
// optional = true: it is installed only when an extra asks for it.
const poetryOptionalTable = "[tool.poetry.dependencies] with optional = true"

// poetryOptional reports whether the Poetry dependency named (normalised)
// name is declared with optional = true.
func poetryOptional(m map[string]any, name string) bool {
	for k, v := range m {
		if NormalizeName(k) != name {
			continue
		}
		for _, t := range poetryTables(v) {
			if b, _ := t["optional"].(bool); b {
				return true
			}
		}
	}
	return false
}

// decodeTOML is toml.Decode behind checkTOMLNesting, which bounds the
// decoder's time and memory.
func decodeTOML(src []byte, v any) error {
	if err := checkTOMLNesting(src); err != nil {
		return err
	}
	_, err := toml.Decode(string(src), v)
	return err
}

// poetryDeps converts a Poetry dependency table: `name = "^1.2"`,
// `name = {version = "^1.2", extras = [...]}`, `name = {git = "..."}` or a
// list of such tables (multiple constraints).
func poetryDeps(m map[string]any) []Requirement {
	var out []Requirement
	for _, name := range sortedKeys(m) {
		if NormalizeName(name) == "python" {
			continue
		}
		out = append(out, Requirement{Name: NormalizeName(name), Spec: poetrySpec(m[name])})
	}
	return out
}

func poetrySpec(v any) string {
	switch v := v.(type) {
	case string:
		v = strings.Join(strings.Fields(v), "") // any whitespace, as in requirements
		if v == "*" {
			return ""
		}
		return v
	case map[string]any:
		if s, ok := v["version"].(string); ok {
			return poetrySpec(s)
		}
	case []map[string]any:
		if len(v) > 0 {
			return poetrySpec(v[0])
		}
	case []any:
		if len(v) > 0 {
			return poetrySpec(v[0])
		}
	}
	return ""
}

// parsePipfile reads a Pipfile's [packages] (runtime) and [dev-packages].
func parsePipfile(src []byte) (declared, error) {
	var p struct {
		Packages    map[string]any `toml:"packages"`
		DevPackages map[string]any `toml:"dev-packages"`
	}
	if err := decodeTOML(src, &p); err != nil {
		return declared{}, fmt.Errorf("parse Pipfile: %w", err)
	}
	d := declared{runtime: poetryDeps(p.Packages), dev: poetryDeps(p.DevPackages), mainTable: "[packages]"}
	d.noteDev("[dev-packages]", d.dev...)
	return d, nil
}

// parsePipfileLock returns name -> version ("==1.2" -> "1.2") of a
// Pipfile.lock's "default" section; "develop" is not installed in
// production.
func parsePipfileLock(src []byte) (map[string]string, error) {
	if err := checkJSONNesting(src); err != nil {
		return nil, fmt.Errorf("parse Pipfile.lock: %w", err)
	}
	if !gjson.ValidBytes(src) {
		return nil, fmt.Errorf("parse Pipfile.lock: invalid JSON")
	}
	out := map[string]string{}
	gjson.GetBytes(src, "default").ForEach(func(k, v gjson.Result) bool {
		out[NormalizeName(k.String())] = strings.TrimPrefix(strings.TrimPrefix(v.Get("version").String(), "=="), "=")
		return true
	})
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
