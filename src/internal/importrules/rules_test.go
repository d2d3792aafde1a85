package importrules

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is this module's import path; packages are named below without it.
const module = "github.com/dokku-prodserver/dokku-prodserver/"

// core are the packages that decide: plain data in, plain data out. They
// import no prodserver package outside the core, and none of the standard
// packages that reach the operating system.
var core = []string{"src/plan", "src/adopt", "src/backend", "src/tuning", "src/facts", "src/procfile", "src/pyliteral", "src/pyname", "src/pyversion"}

// osPackages are the standard packages through which code reaches the
// system: files, processes, users, signals, the network, the clock.
var osPackages = []string{"os", "os/exec", "os/user", "os/signal", "syscall", "io/fs", "io/ioutil", "path/filepath", "net", "net/http", "log", "time"}

// osAllowed are the uses of package os a core package may make: procfile
// expands variables with os.Expand because procfile-util, whose expansion
// it mirrors, calls exactly that function. It reads no environment.
var osAllowed = map[string][]string{"src/procfile": {"Expand"}}

// binaries are the prodserver packages each binary may link, beyond the
// standard library. The triggers binary runs in every deploy of every app
// on the host, so it links store and dokku only; the deploy binary never
// links the command-line parser.
var binaries = map[string][]string{
	"src/cmd/prodserver-triggers": {"src/dokku", "src/store", "src/pyname", "src/safefile", "github.com/joho/godotenv"},
	"src/cmd/prodserver-commands": {"src/dokku", "src/store", "src/pyname", "src/safefile", "github.com/joho/godotenv"},
}

// forbidden are edges no package may have, transitively: the deploy edge
// and the stored settings do not call back into the commands or the CLI.
var forbidden = map[string][]string{
	"src/deploy":                {"src/subcmd", "src/cli", "github.com/urfave/cli/v2"},
	"src/store":                 {"src/deploy", "src/subcmd", "src/cli", "src/plan", "src/project", "src/backend"},
	"src/dokku":                 {"src/store", "src/deploy", "src/subcmd", "src/cli", "src/plan", "src/project", "src/backend"},
	"src/project":               {"src/dockerfile", "src/dokku", "src/store", "src/deploy", "src/subcmd", "src/cli", "src/plan", "src/backend"},
	"src/cmd/prodserver-deploy": {"src/subcmd", "src/cli", "github.com/urfave/cli/v2"},
	// The Dockerfile reader and buildkit's parser are the deploy edge's:
	// the binaries that run on every deploy of every app never link them,
	// and the reader links nothing of prodserver but safefile.
	"src/cmd/prodserver-triggers": {"src/dockerfile", "github.com/moby/buildkit/frontend/dockerfile/parser"},
	"src/cmd/prodserver-commands": {"src/dockerfile", "github.com/moby/buildkit/frontend/dockerfile/parser"},
	"src/dockerfile":              {"src/dokku", "src/store", "src/project", "src/plan", "src/deploy", "src/backend", "src/facts"},
}

// pkg is what `go list -deps -json` says about one package.
type pkg struct {
	ImportPath string
	Dir        string
	Standard   bool
	Imports    []string
	Deps       []string
	GoFiles    []string
}

// graph lists every package of the module with its imports and deps.
func graph(t *testing.T) map[string]*pkg {
	t.Helper()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if p, err := exec.LookPath("go"); err == nil {
		gobin = p
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gobin, "list", "-deps", "-json=ImportPath,Dir,Standard,Imports,Deps,GoFiles", "./src/...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	all := map[string]*pkg{}
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("go list output: %v", err)
		}
		all[strings.TrimPrefix(p.ImportPath, module)] = &p
	}
	for _, name := range append(append([]string(nil), core...), "src/cmd/prodserver-triggers", "src/deploy") {
		if all[name] == nil {
			t.Fatalf("go list did not list %s: the rules name a package that moved", name)
		}
	}
	return all
}

// local trims the module prefix from import paths.
func local(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = strings.TrimPrefix(p, module)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCoreIsPure: the core imports no OS package (procfile's os.Expand
// aside) and links no prodserver package outside the core.
func TestCoreIsPure(t *testing.T) {
	all := graph(t)
	for _, name := range core {
		p := all[name]
		for _, imp := range p.Imports {
			if !contains(osPackages, imp) {
				continue
			}
			if imp == "os" && osAllowed[name] != nil {
				checkOSUses(t, name, p, osAllowed[name])
				continue
			}
			t.Errorf("%s imports %s: the core must not reach the system; gather the value at the edge (src/deploy) and pass it in", name, imp)
		}
		for _, dep := range local(p.Deps) {
			if strings.HasPrefix(dep, "src/") && !contains(core, dep) {
				t.Errorf("%s links %s, which is outside the core", name, dep)
			}
		}
	}
}

// checkOSUses parses a package's files and fails on any use of package os
// other than the allowed functions.
func checkOSUses(t *testing.T, name string, p *pkg, allowed []string) {
	t.Helper()
	fset := token.NewFileSet()
	for _, f := range p.GoFiles {
		src, err := os.ReadFile(filepath.Join(p.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		imported := false
		for _, imp := range file.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "os" {
				imported = imp.Name == nil // a renamed import would hide uses
				if !imported {
					t.Errorf("%s/%s imports os under another name", name, f)
				}
			}
		}
		if !imported {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "os" && !contains(allowed, sel.Sel.Name) {
				t.Errorf("%s/%s uses os.%s; the core may use only os.%s", name, f, sel.Sel.Name, strings.Join(allowed, ", os."))
			}
			return true
		})
	}
}

// TestBinariesLinkOnlyWhatTheyNeed: the small binaries link exactly the
// packages named, and the forbidden edges do not exist anywhere.
func TestBinariesLinkOnlyWhatTheyNeed(t *testing.T) {
	all := graph(t)
	for bin, allowed := range binaries {
		var extra []string
		for _, dep := range local(all[bin].Deps) {
			if p := all[dep]; p != nil && p.Standard {
				continue
			}
			if !contains(allowed, dep) {
				extra = append(extra, dep)
			}
		}
		sort.Strings(extra)
		if len(extra) > 0 {
			t.Errorf("%s links %s beyond %s; it must stay small", bin, strings.Join(extra, ", "), strings.Join(allowed, ", "))
		}
	}
	for from, tos := range forbidden {
		deps := local(all[from].Deps)
		for _, to := range tos {
			if contains(deps, to) {
				t.Errorf("%s links %s: the flow is one-way (docs/architecture.md)", from, to)
			}
		}
	}
}

// TestArchitectureDocNamesEveryPackage: docs/architecture.md names every
// package under src/, so the picture cannot silently miss one.
func TestArchitectureDocNamesEveryPackage(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/architecture.md")
	if err != nil {
		t.Fatalf("docs/architecture.md: %v", err)
	}
	for name, p := range graph(t) {
		if p.Standard || !strings.HasPrefix(name, "src/") {
			continue
		}
		if !bytes.Contains(doc, []byte("`"+name+"`")) {
			t.Errorf("docs/architecture.md does not name `%s`", name)
		}
	}
}
