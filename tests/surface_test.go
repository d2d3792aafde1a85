package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// subcommandNames lists the prodserver:<name> commands as installed: the
// symlinks in the plugin's subcommands folder.
func subcommandNames(t *testing.T, h *harness.Host) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(h.Plugin, "subcommands"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != "subcommands" {
			names = append(names, e.Name())
		}
	}
	if len(names) < 8 {
		t.Fatalf("only %d subcommands: %v", len(names), names)
	}
	return names
}

// TestSubcommandHelp: --help and -h on every subcommand, alone or after
// positional words, print that command's usage on stdout and exit 0, as
// `dokku ps:scale --help` does; after a bare -- they are plain words.
func TestSubcommandHelp(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	for _, name := range subcommandNames(t, h) {
		want := "Usage: dokku prodserver:" + name + " "
		if name == "help" {
			want = "Usage: dokku prodserver[:COMMAND]"
		}
		for _, args := range [][]string{{"--help"}, {"-h"}, {"myapp", "--help"}, {"myapp", "web", "-h"}, {"myapp", "web", "gunicorn", "--help"}, {"--format", "json", "--help"}} {
			t.Run(name+" "+strings.Join(args, " "), func(t *testing.T) {
				r := h.Dokku("prodserver:"+name, args...)
				if r.Code != 0 || r.Stderr != "" || !strings.HasPrefix(r.Stdout, want) {
					t.Fatalf("want exit 0 and stdout starting %q:\n%s", want, r)
				}
			})
		}
	}
	// The backend command's usage names its flags, each with what it does.
	r := h.Dokku("prodserver:backend", "myapp", "web", "--help")
	for _, s := range []string{"Show or choose the server for a process.", "    --skip-deploy ", "    --clear "} {
		if !strings.Contains(r.Stdout, s) {
			t.Errorf("backend --help lacks %q:\n%s", s, r.Stdout)
		}
	}
	if _, ok := h.Property("myapp", "backend.web"); ok {
		t.Error("--help stored a backend")
	}
	// After --, --help is an argument for the server, stored as given.
	if r := h.Dokku("prodserver:args", "myapp", "web", "--skip-deploy", "--", "--help"); r.Code != 0 || strings.Contains(r.Stdout, "Usage:") {
		t.Fatalf("args -- --help: %s", r)
	}
	if v, _ := h.Property("myapp", "args.web"); v != "--help\n" {
		t.Errorf("args.web = %q", v)
	}
}

// TestFlagMistakes: a flag a command does not take is refused in one line
// that says which flags it does take; --global names the commands that
// take it instead of urfave/cli's "flag provided but not defined".
func TestFlagMistakes(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	cases := []struct {
		cmd  string
		args []string
		line string
	}{
		{"prodserver:backend", []string{"myapp", "web", "--global"}, "prodserver:backend does not take --global: only prodserver:set does, to set a default for every app"},
		{"prodserver:report", []string{"--global"}, "prodserver:report does not take --global: only prodserver:set does, to set a default for every app"},
		{"prodserver:processes", []string{"--global", "myapp"}, "prodserver:processes does not take --global: only prodserver:set does, to set a default for every app"},
		{"prodserver:backend", []string{"myapp", "web", "--bogus"}, "Unknown flag --bogus: prodserver:backend takes --skip-deploy, --clear, --force"},
		{"prodserver:set", []string{"--force", "myapp", "workers", "2"}, "Unknown flag --force: prodserver:set takes --global"},
		{"prodserver:procfile", []string{"myapp", "--format=json"}, "Unknown flag --format: prodserver:procfile takes no flags"},
		{"prodserver:args", []string{"myapp", "web", "--timeout", "30"}, "Unknown flag --timeout: prodserver:args takes --skip-deploy, --clear; put the server's own arguments after a bare --, e.g. -- --timeout"},
		{"prodserver:export", []string{"myapp", "--format"}, "--format needs a value (see dokku prodserver:export --help)"},
	}
	for _, c := range cases {
		t.Run(c.cmd+" "+strings.Join(c.args, " "), func(t *testing.T) {
			before := harness.Snapshot(t, h.Lib)
			r := h.Dokku(c.cmd, c.args...)
			assertOneFailLine(t, r, c.line)
			if r.Stderr != " !     "+c.line+"\n" {
				t.Errorf("stderr %q, want the line %q", r.Stderr, c.line)
			}
			if diff := harness.Diff(before, harness.Snapshot(t, h.Lib)); len(diff) > 0 {
				t.Errorf("files changed: %v", diff)
			}
		})
	}
	// A negative number is a value, not a flag: the setting's own check answers.
	assertOneFailLine(t, h.Dokku("prodserver:set", "myapp", "workers", "-1"), "Invalid value for workers")
}

// TestBackendSuggestions: a suggestion is offered only for a near miss;
// swapped words are named as such; a far miss lists the names by kind.
func TestBackendSuggestions(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	// The web servers by kind, in catalogue order, as the message lists
	// them (derived, so a new backend needs no edit here).
	names := map[backend.Kind][]string{}
	for _, b := range backend.All() {
		names[b.Kind] = append(names[b.Kind], b.Name)
	}
	byKind := "valid backends: wsgi: " + strings.Join(names[backend.KindWSGI], ", ") + "; asgi: " + strings.Join(names[backend.KindASGI], ", ") + "; worker: "
	if !strings.HasPrefix(byKind, "valid backends: wsgi: gunicorn, waitress, uwsgi, granian-wsgi, uvicorn-wsgi; asgi: uvicorn, gunicorn-uvicorn, ") {
		t.Fatalf("catalogue order changed: %s", byKind)
	}
	cases := []struct {
		args   []string
		exact  string // the whole line, when given
		prefix string
	}{
		{args: []string{"myapp", "uvicorn", "web"}, exact: "Wrong argument order: the process type comes before the backend; did you mean: dokku prodserver:backend myapp web uvicorn"},
		{args: []string{"myapp", "celery", "worker"}, exact: "Wrong argument order: the process type comes before the backend; did you mean: dokku prodserver:backend myapp worker celery-worker"},
		{args: []string{"myapp", "web", "none"}, prefix: `unknown backend "none"; ` + byKind},
		{args: []string{"myapp", "release", "collectstatic"}, prefix: `unknown backend "collectstatic"; ` + byKind},
		{args: []string{"myapp", "web", "gunicron"}, prefix: `unknown backend "gunicron" (did you mean "gunicorn"?); ` + byKind},
		{args: []string{"myapp", "beat", "celery-bet"}, prefix: `unknown backend "celery-bet" (did you mean "celery-beat"?); `},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := h.Dokku("prodserver:backend", c.args...)
			assertOneFailLine(t, r, "")
			line := strings.TrimSuffix(strings.TrimPrefix(r.Stderr, " !     "), "\n")
			if c.exact != "" && line != c.exact {
				t.Errorf("line %q\nwant %q", line, c.exact)
			}
			if c.prefix != "" && !strings.HasPrefix(line, c.prefix) {
				t.Errorf("line %q\nwant prefix %q", line, c.prefix)
			}
		})
	}
}

// TestHelpAllColumns: `dokku help --all` runs the plugin's help lines
// through column -s, so a comma inside a description would split it into
// columns; every description must come through whole, as prodserver:help
// prints it.
func TestHelpAllColumns(t *testing.T) {
	h := harness.New(t)
	r := h.Dokku("help", "--all")
	if r.Code != 0 {
		t.Fatal(r)
	}
	space := regexp.MustCompile(`\s+`)
	var all []string
	for _, l := range strings.Split(r.Stdout, "\n") {
		all = append(all, space.ReplaceAllString(strings.TrimSpace(l), " "))
	}
	full := h.Dokku("prodserver:help").Stdout
	n := 0
	for _, l := range strings.Split(full, "\n") {
		if !strings.HasPrefix(l, "    prodserver:") {
			continue
		}
		n++
		parts := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(l), -1)
		if len(parts) != 2 {
			t.Errorf("prodserver:help line is not two columns: %q", l)
			continue
		}
		want := space.ReplaceAllString(parts[0], " ") + " " + parts[1]
		found := false
		for _, a := range all {
			if a == want {
				found = true
			}
		}
		if !found {
			t.Errorf("help --all does not carry %q whole:\n%s", want, r.Stdout)
		}
	}
	if n < 8 {
		t.Errorf("only %d prodserver:help lines:\n%s", n, full)
	}
}

// TestReadmeGoVersion: every Go version the README asks for is go.mod's,
// the version the build really needs; an older one there sends the operator
// to a toolchain that cannot build the plugin.
func TestReadmeGoVersion(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(harness.RepoRoot(), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	want := string(m[1])
	readme, err := os.ReadFile(filepath.Join(harness.RepoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	found := regexp.MustCompile(`Go (?:≥ |>= )?(\d+\.\d+)`).FindAllSubmatch(readme, -1)
	if len(found) < 2 {
		t.Fatalf("README names Go's version %d times; the prerequisites and the git install must both", len(found))
	}
	for _, f := range found {
		if string(f[1]) != want {
			t.Errorf("README says %q; go.mod needs Go %s", f[0], want)
		}
	}
}

// TestReadmeUninstallNotes: the uninstall notes name the folders the plugin
// really keeps its state in, so an operator who wants to forget it deletes
// the right ones.
func TestReadmeUninstallNotes(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	if r := h.Dokku("prodserver:set", "myapp", "workers", "2"); r.Code != 0 {
		t.Fatal(r)
	}
	if d := h.Deploy("myapp", tree(t, smallDjango(nil))); d.Failed {
		o, e := d.Output()
		t.Fatalf("deploy failed:\n%s\n%s", o, e)
	}
	readme, err := os.ReadFile(filepath.Join(harness.RepoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"config/prodserver", "data/prodserver"} {
		if _, err := os.Stat(filepath.Join(h.Lib, dir, "myapp")); err != nil {
			t.Errorf("state folder %s: %v", dir, err)
		}
		if !strings.Contains(string(readme), "`/var/lib/dokku/"+dir+"/`") {
			t.Errorf("README's uninstall notes do not name /var/lib/dokku/%s/", dir)
		}
	}
	for _, s := range []string{"### Upgrade and uninstall", "plugin:uninstall prodserver", "plugin:update prodserver"} {
		if !strings.Contains(string(readme), s) {
			t.Errorf("README lacks %q", s)
		}
	}
}

// TestSetSuggestions: a key cut short or run on is suggested, an unrelated
// one is not, and a value given before its key is named as such.
func TestSetSuggestions(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	keys := "valid keys: adopt, app-dir, asgi, celery-app, daemons, enabled, python, release, settings-module, singleton-stop-first, strict, threads, workers, wsgi"
	cases := []struct {
		args []string
		line string
	}{
		{[]string{"myapp", "worker", "3"}, "Invalid key worker (did you mean workers?), " + keys},
		{[]string{"myapp", "settings", "proj.settings"}, "Invalid key settings (did you mean settings-module?), " + keys},
		{[]string{"myapp", "colour", "blue"}, "Invalid key colour, " + keys},
		{[]string{"myapp", "4", "workers"}, "Wrong argument order: the key comes before the value; did you mean: dokku prodserver:set myapp workers 4"},
		{[]string{"--global", "gunicorn", "python"}, "Wrong argument order: the key comes before the value; did you mean: dokku prodserver:set --global python gunicorn"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			before := harness.Snapshot(t, h.Lib)
			r := h.Dokku("prodserver:set", c.args...)
			assertOneFailLine(t, r, c.line)
			if r.Stderr != " !     "+c.line+"\n" {
				t.Errorf("stderr %q, want the line %q", r.Stderr, c.line)
			}
			if diff := harness.Diff(before, harness.Snapshot(t, h.Lib)); len(diff) > 0 {
				t.Errorf("files changed: %v", diff)
			}
		})
	}
}

// TestNoGoInternalsInReports: the notes and warnings that the read-only
// commands repeat (a count asked of a one-process backend, a package the app
// does not declare) name settings and files, never Go fields or types.
func TestNoGoInternalsInReports(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	if r := h.Dokku("prodserver:set", "myapp", "workers", "4"); r.Code != 0 {
		t.Fatal(r)
	}
	d := h.Deploy("myapp", tree(t, smallDjango(map[string]string{
		"app.json": `{"prodserver": {"processes": {"worker": "rq-worker", "clock": "django-tasks", "ws": "daphne"}}}`,
	})))
	o, e := d.Output()
	if d.Failed {
		t.Fatalf("deploy failed:\n%s\n%s", o, e)
	}
	assertNoPanic(t, o+e)
	if !strings.Contains(e, "the workers setting above 1") {
		t.Errorf("deploy lacks the one-process note:\n%s", e)
	}
	for _, args := range [][]string{{"processes", "myapp"}, {"processes", "myapp", "--format", "json"}, {"procfile", "myapp"}, {"report", "myapp"}, {"export", "myapp"}, {"export", "myapp", "--format", "django"}, {"backends"}, {"backends", "--format", "json"}} {
		r := h.Dokku("prodserver:"+args[0], args[1:]...)
		if r.Code != 0 {
			t.Errorf("%v: %s", args, r)
		}
		assertNoPanic(t, r.Stdout+r.Stderr)
	}
}

// TestReadmeFixesNamedTests: every row of README's "What it fixes" table
// names, in its last column, at least one test, and each named test exists
// as a func in the repository's tests, so a claim cannot outlive its proof.
func TestReadmeFixesNamedTests(t *testing.T) {
	root := harness.RepoRoot()
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## What it fixes\n")
	if !ok {
		t.Fatal("README has no \"What it fixes\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	defined := map[string]bool{}
	funcRE := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == ".git" || d.Name() == "fixtures") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(p, "_test.go") {
			b, _ := os.ReadFile(p)
			for _, m := range funcRE.FindAllStringSubmatch(string(b), -1) {
				defined[m[1]] = true
			}
		}
		return nil
	})
	rows := 0
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| hand-written") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		rows++
		names := regexp.MustCompile("`(Test\\w+)`").FindAllStringSubmatch(cells[len(cells)-1], -1)
		if len(cells) < 3 || len(names) == 0 {
			t.Errorf("row names no test: %s", line)
			continue
		}
		for _, n := range names {
			if !defined[n[1]] {
				t.Errorf("row names %s, which no _test.go defines: %s", n[1], line)
			}
		}
	}
	if rows < 8 {
		t.Errorf("found %d rows in \"What it fixes\"", rows)
	}
}
