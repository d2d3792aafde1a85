package project

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestCheckTOMLNesting(t *testing.T) {
	ok := []string{
		"[project]\ndependencies = [\"Django>=5.0\", \"celery[redis]==5.3\"]\n",
		"[tool.poetry.group.dev.dependencies]\npytest = {version = \"^8\", extras = [\"a\", \"b\"]}\n",
		"a = \"" + strings.Repeat("{[.", 200) + "\"\n",         // brackets and dots in a string
		"a = '''\n" + strings.Repeat("{a.b=", 200) + "\n'''\n", // in a multi-line literal
		"# " + strings.Repeat("{", 200) + "\nx = 1\n",          // in a comment
		"a = [\n" + strings.Repeat("  1.5,\n", 1000) + "]\n",   // floats in a long array
		"a = [" + strings.Repeat("[", 60) + strings.Repeat("]", 60) + "]\n",
		"x = {a = {b = {c = 1}}}\n[a.b.c]\nd.e = 1\n",
	}
	for _, s := range ok {
		if err := checkTOMLNesting([]byte(s)); err != nil {
			t.Errorf("%.60q: %v", s, err)
		}
	}
	bad := []string{
		"a=" + strings.Repeat("{b=", 100),
		"a" + strings.Repeat(".a", 100) + "=1\n",
		"[" + strings.Repeat("a.", 100) + "a]\n",
		"[[" + strings.Repeat("a.", 100) + "a]]\n",
		"a=" + strings.Repeat("[{b=", 70),
		"a=" + strings.Repeat("[", 100),
		"[" + strings.Repeat("a.", 40) + "a]\nx=" + strings.Repeat("{y=", 30),
		"a = {\n" + strings.Repeat("b.c.d = {\n", 30),                 // multi-line inline tables (TOML 1.1)
		"a = [\"\"\"x\"\"\"\", " + strings.Repeat("{b=", 100) + "]\n", // a closing run of four quotes
		"a = ['''x''''', " + strings.Repeat("{b=", 100) + "]\n",       // and of five
		"a = [\"x\\\"\", " + strings.Repeat("{b=", 100) + "]\n",       // an escaped quote
	}
	for _, s := range bad {
		if err := checkTOMLNesting([]byte(s)); err == nil {
			t.Errorf("%.60q: accepted", s)
		}
	}
}

func TestCheckJSONNesting(t *testing.T) {
	for s, want := range map[string]bool{
		`{"default": {"django": {"version": "==5.0"}}}`:     true,
		`{"a": "` + strings.Repeat("[", 1000) + `"}`:        true,
		`{"a": "\"` + strings.Repeat("[", 1000) + `"}`:      true,
		strings.Repeat("[", 65) + strings.Repeat("]", 65):   false,
		strings.Repeat("]", 1000) + strings.Repeat("[", 65): false,
		`{"a": "\\"` + strings.Repeat(",[", 100) + `}`:      false,
	} {
		if err := checkJSONNesting([]byte(s)); (err == nil) != want {
			t.Errorf("%.60q: %v, want ok=%v", s, err, want)
		}
	}
}

// TestManifestParsersBounded feeds each parser the inputs that made the
// decoders allocate gigabytes or overflow the stack before the nesting
// checks: each must fail fast, within a small allocation budget, at the
// size detection reads (maxSourceBytes, maxLockBytes for lock files).
func TestManifestParsersBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	tomlBombs := map[string]string{
		"inline tables": "a=" + strings.Repeat("{b=", maxSourceBytes/3),
		"dotted key":    "a" + strings.Repeat(".a", maxSourceBytes/2) + "=1\n",
		"table header":  "[" + strings.Repeat("a.", maxSourceBytes/2) + "a]\n",
		"arrays":        "a=" + strings.Repeat("[", maxSourceBytes),
	}
	parsers := map[string]func([]byte) error{
		"pyproject":   func(b []byte) error { _, _, err := parsePyproject(b); return err },
		"Pipfile":     func(b []byte) error { _, err := parsePipfile(b); return err },
		"poetry.lock": func(b []byte) error { _, err := parsePoetryLock(b); return err },
		"uv.lock":     func(b []byte) error { _, err := parseUVLock(b); return err },
	}
	check := func(name string, parse func([]byte) error, input string) {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		start := time.Now()
		err := parse([]byte(input))
		took := time.Since(start)
		runtime.ReadMemStats(&m1)
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: allocated %d MB", name, alloc>>20)
		}
		if took > 5*time.Second {
			t.Errorf("%s: took %v", name, took)
		}
	}
	for pn, parse := range parsers {
		for bn, bomb := range tomlBombs {
			check(pn+" "+bn, parse, bomb)
		}
	}
	check("Pipfile.lock arrays", func(b []byte) error { _, err := parsePipfileLock(b); return err },
		strings.Repeat("[", maxLockBytes)+strings.Repeat("]", maxLockBytes))
}
