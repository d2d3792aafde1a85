package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestDefaultReportOutsideTree: `make bench` without BENCH_OUT must not
// write into the tracked tree (issue 14: it dirtied docs/benchmarks.md in
// every clone that ran it), whatever TMPDIR says.
func TestDefaultReportOutsideTree(t *testing.T) {
	root := harness.RepoRoot()
	for _, tmp := range []string{"", "/tmp", t.TempDir()} {
		t.Setenv("TMPDIR", tmp)
		out := defaultOut()
		rel, err := filepath.Rel(root, out)
		if !filepath.IsAbs(out) || err == nil && !strings.HasPrefix(rel, "..") {
			t.Errorf("TMPDIR=%q: default report %s is inside the tree %s", tmp, out, root)
		}
		if _, err := os.Stat(filepath.Dir(out)); err != nil {
			t.Errorf("TMPDIR=%q: report folder: %v", tmp, err)
		}
	}
}
