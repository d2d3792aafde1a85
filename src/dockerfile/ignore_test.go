package dockerfile

import "testing"

// TestIgnoreExcludes: docker's .dockerignore rules (moby/patternmatcher):
// folders and everything under them, globs at any depth with **, `!`
// bringing a path back (its folder then stays listed), comments.
func TestIgnoreExcludes(t *testing.T) {
	src := "# local only\n.git\nadmin/\n**/local.py\n*.sqlite3\ndocs\n!docs/keep.md\n"
	ig, err := ParseIgnore(".dockerignore", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rel  string
		dir  bool
		want bool
	}{
		{"admin", true, false}, // a ! pattern exists: folders stay listed
		{"admin/manage.py", false, true},
		{"admin/backoffice/settings.py", false, true},
		{"shop/manage.py", false, false},
		{"shop/store/settings/local.py", false, true},
		{"local.py", false, true},
		{"db.sqlite3", false, true},
		{"shop/db.sqlite3", false, false}, // *.sqlite3 is the root's only
		{"docs/index.md", false, true},
		{"docs/keep.md", false, false},
		{"", true, false},
	}
	for _, tt := range tests {
		if got := ig.Excludes(tt.rel, tt.dir); got != tt.want {
			t.Errorf("Excludes(%q, %v) = %v, want %v", tt.rel, tt.dir, got, tt.want)
		}
	}
	plain, _ := ParseIgnore(".dockerignore", []byte("admin\n"))
	if !plain.Excludes("admin", true) {
		t.Error("with no ! pattern an excluded folder is not listed at all")
	}
	var none *Ignore
	if none.Excludes("x", false) {
		t.Error("no ignore file excludes nothing")
	}
	if _, err := ParseIgnore(".dockerignore", []byte("[\n")); err == nil {
		t.Error("a pattern docker cannot use must be an error")
	}
}
