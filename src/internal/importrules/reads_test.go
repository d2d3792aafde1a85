package importrules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// readCalls are the standard calls that open or read a file by name. In
// src/ only package safefile makes them (issue 15): everything else reads
// through safefile.Read, which is bounded, never blocks on a FIFO, refuses
// anything but a regular file, and is paired with safefile.Inside for paths
// under the source tree.
var readCalls = map[string][]string{
	"os":        {"ReadFile", "Open", "OpenFile"},
	"io/ioutil": {"ReadFile"},
}

// readAllowed are the calls kept on purpose, by file and function, each
// with its reason. Reading nothing is the only good reason.
var readAllowed = map[string]string{
	"src/dokku/files.go:syncDir": "opens a folder prodserver just wrote into, to fsync it; reads nothing",
}

// TestFileReadsGoThroughSafefile is the grep-level check issue 15 asks
// for: no os.ReadFile / os.Open / os.OpenFile / ioutil.ReadFile outside
// package safefile and tests. It parses every non-test file under src/, so
// a renamed import (`import x "os"`) is caught too.
func TestFileReadsGoThroughSafefile(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	seen := map[string]bool{}
	checked := 0
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(root), p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "src/safefile" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		checked++
		for _, c := range fileReads(t, p) {
			key := rel + ":" + c.fn
			seen[key] = true
			if _, ok := readAllowed[key]; !ok {
				found = append(found, rel+":"+c.pos+" "+c.call+" in "+c.fn)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files under %s", checked, root)
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("%s: read it with safefile.Read (a bound, no FIFO, regular files only)", f)
	}
	for k := range readAllowed {
		if !seen[k] {
			t.Errorf("readAllowed lists %s, which no longer reads a file: drop it", k)
		}
	}
}

type readCall struct{ pos, call, fn string }

// fileReads lists the readCalls in one file with the function they are in.
func fileReads(t *testing.T, path string) []readCall {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{} // local name -> import path
	for _, imp := range f.Imports {
		ip := strings.Trim(imp.Path.Value, `"`)
		if _, ok := readCalls[ip]; !ok {
			continue
		}
		name := filepath.Base(ip)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = ip
	}
	var out []readCall
	for _, decl := range f.Decls {
		fn := "(top level)"
		if fd, ok := decl.(*ast.FuncDecl); ok {
			fn = fd.Name.Name
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			ip, ok := names[id.Name]
			if !ok {
				return true
			}
			for _, c := range readCalls[ip] {
				if sel.Sel.Name == c {
					pos := fset.Position(sel.Pos())
					out = append(out, readCall{pos: strconv.Itoa(pos.Line), call: id.Name + "." + c, fn: fn})
				}
			}
			return true
		})
	}
	return out
}
