// Package fuzzseed adds seed inputs to fuzz targets and, on request, writes
// them as the committed seed corpus, so every package's fuzz tests share one
// way of keeping their seeds in testdata/fuzz/<Target>/.
package fuzzseed

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Add adds a seed input. With PRODSERVER_WRITE_SEEDS=1 it also writes it to
// testdata/fuzz/<Target>/ in Go's corpus format, the committed seed corpus
// (`PRODSERVER_WRITE_SEEDS=1 go test -run 'Fuzz' ./src/...`).
func Add(f *testing.F, args ...any) {
	f.Helper()
	f.Add(args...)
	if os.Getenv("PRODSERVER_WRITE_SEEDS") == "" {
		return
	}
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, a := range args {
		switch v := a.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		case string:
			fmt.Fprintf(&b, "string(%q)\n", v)
		case uint8:
			fmt.Fprintf(&b, "byte(%q)\n", v)
		default:
			f.Fatalf("seed: unsupported type %T", a)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	dir := filepath.Join("testdata", "fuzz", f.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%x", sum[:6])), []byte(b.String()), 0o644); err != nil {
		f.Fatal(err)
	}
}
