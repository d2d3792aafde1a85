package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/store"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

func TestBuildLayout(t *testing.T) {
	h := harness.New(t)
	for _, f := range []string{"commands", "subcommands/subcommands", "triggers", "libexec/deploy", "install", "plugin.toml"} {
		fi, err := os.Stat(filepath.Join(h.Plugin, f))
		if err != nil {
			t.Fatalf("%s missing: %v", f, err)
		}
		if f != "plugin.toml" && fi.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable", f)
		}
	}
	for _, sub := range []string{"set", "report", "help"} {
		if l, err := os.Readlink(filepath.Join(h.Plugin, "subcommands", sub)); err != nil || l != "subcommands" {
			t.Errorf("subcommands/%s: link %q, %v", sub, l, err)
		}
	}
	for _, trigger := range store.Triggers {
		tr := trigger.Name
		if tr == "install" || tr == "update" {
			continue // committed scripts, checked below
		}
		if l, err := os.Readlink(filepath.Join(h.Plugin, tr)); err != nil || l != "triggers" {
			t.Errorf("trigger %s: link %q, %v", tr, l, err)
		}
	}
	if l, err := os.Readlink(filepath.Join(h.Plugin, "update")); err != nil || l != "install" {
		t.Errorf("update should link to install: %q %v", l, err)
	}
}

func TestHelp(t *testing.T) {
	h := harness.New(t)
	cases := []struct {
		cmd      string
		code     int
		contains []string
	}{
		{"prodserver", 0, []string{"Usage: dokku prodserver[:COMMAND]", "    prodserver:set [--global] <app> <key> [<value>]", "Additional commands:"}},
		{"prodserver:help", 0, []string{"Usage: dokku prodserver[:COMMAND]", "prodserver:report"}},
		{"help", 0, []string{"    prodserver  "}},
		{"prodserver:nope", 10, nil},
	}
	for _, c := range cases {
		r := h.Dokku(c.cmd)
		if r.Code != c.code {
			t.Errorf("%s: %s", c.cmd, r)
		}
		for _, s := range c.contains {
			if !strings.Contains(r.Stdout, s) {
				t.Errorf("%s: stdout lacks %q:\n%s", c.cmd, s, r.Stdout)
			}
		}
	}
	// `dokku help` without --all prints one summary line only.
	if r := h.Dokku("help"); strings.Count(r.Stdout, "prodserver") != 1 {
		t.Errorf("help summary should be one line:\n%s", r.Stdout)
	}
	// Every help line keeps Dokku's column layout: 4 spaces, command, 2+ spaces, text.
	r := h.Dokku("prodserver:help")
	for _, l := range strings.Split(r.Stdout, "\n") {
		if strings.HasPrefix(l, "    prodserver:") && !strings.Contains(l, "  ") {
			t.Errorf("help line not columnized: %q", l)
		}
	}
}

func TestSetAndUnset(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	steps := []struct {
		args  []string
		key   string
		want  string // "" = file absent
		scope string
	}{
		{[]string{"myapp", "enabled", "true"}, "enabled", "true\n", "myapp"},
		{[]string{"myapp", "workers", "4"}, "workers", "4\n", "myapp"},
		{[]string{"myapp", "threads", "8"}, "threads", "8\n", "myapp"},
		{[]string{"myapp", "wsgi", "proj.wsgi:application"}, "wsgi", "proj.wsgi:application\n", "myapp"},
		{[]string{"myapp", "app-dir", "src/"}, "app-dir", "src\n", "myapp"},
		{[]string{"--global", "python", "python3"}, "python", "python3\n", "--global"},
		{[]string{"myapp", "enabled"}, "enabled", "", "myapp"},
		{[]string{"myapp", "workers", ""}, "workers", "", "myapp"},
		{[]string{"python", "python3.12", "--global"}, "python", "python3.12\n", "--global"}, // flag after words
	}
	for _, s := range steps {
		r := h.Dokku("prodserver:set", s.args...)
		if r.Code != 0 {
			t.Fatalf("set %v: %s", s.args, r)
		}
		got, ok := h.Property(s.scope, s.key)
		if s.want == "" && ok {
			t.Errorf("set %v: property should be gone, has %q", s.args, got)
		}
		if s.want != "" && got != s.want {
			t.Errorf("set %v: property = %q, want %q", s.args, got, s.want)
		}
	}
	fi, err := os.Stat(filepath.Join(h.Lib, "config", "prodserver", "--global", "python"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("property mode %v, want 0600", fi.Mode().Perm())
	}
	if h.User != nil {
		assertOwner(t, fi, h.User.UID)
	}
}

func TestSetRejectsBadInput(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown key", []string{"myapp", "colour", "blue"}, "Invalid key colour, valid keys:"},
		{"unknown app", []string{"ghost", "enabled", "true"}, "App ghost does not exist"},
		{"invalid app name", []string{"My_App", "enabled", "true"}, "App name must begin with lowercase"},
		{"path in app name", []string{"../etc", "enabled", "true"}, "App name must begin with lowercase"},
		{"bad enum", []string{"myapp", "enabled", "maybe"}, "Invalid value for enabled"},
		{"bad workers", []string{"myapp", "workers", "-1"}, "Invalid value for workers"},
		{"workers too big", []string{"myapp", "workers", "99999"}, "Invalid value for workers"},
		{"zero threads", []string{"myapp", "threads", "0"}, "Invalid value for threads"},
		{"threads a word", []string{"myapp", "threads", "many"}, "Invalid value for threads"},
		{"bad target", []string{"myapp", "wsgi", "proj.wsgi:app;rm -rf /"}, "Invalid value for wsgi"},
		{"escaping app-dir", []string{"myapp", "app-dir", "../../etc"}, "Invalid value for app-dir"},
		{"absolute app-dir", []string{"myapp", "app-dir", "/etc"}, "Invalid value for app-dir"},
		{"newline value", []string{"myapp", "python", "python\nrm"}, "control characters"},
		{"no key", []string{"myapp"}, "Please specify a key"},
		{"too many words", []string{"myapp", "enabled", "true", "extra"}, "Too many arguments"},
		{"no app", nil, "Please specify an app"},
		{"unknown flag", []string{"myapp", "enabled", "true", "--bogus=1"}, "Unknown flag --bogus: prodserver:set takes --global"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := harness.Snapshot(t, h.Lib)
			r := h.Dokku("prodserver:set", c.args...)
			if r.Code == 0 {
				t.Fatalf("want failure: %s", r)
			}
			lines := strings.Split(strings.TrimRight(r.Stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], " !     ") || !strings.Contains(lines[0], c.msg) {
				t.Errorf("want one error line containing %q, got %q", c.msg, r.Stderr)
			}
			if d := harness.Diff(before, harness.Snapshot(t, h.Lib)); len(d) > 0 {
				t.Errorf("files changed: %v", d)
			}
		})
	}
}

func TestReportFormats(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("myapp")
	h.CreateApp("other")
	for _, a := range [][]string{{"myapp", "enabled", "false"}, {"--global", "workers", "3"}} {
		if r := h.Dokku("prodserver:set", a...); r.Code != 0 {
			t.Fatal(r)
		}
	}
	r := h.Dokku("prodserver:report", "myapp")
	if r.Code != 0 {
		t.Fatal(r)
	}
	lines := strings.Split(strings.TrimRight(r.Stdout, "\n"), "\n")
	if lines[0] != "=====> myapp prodserver information" {
		t.Errorf("header %q", lines[0])
	}
	col := -1
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "       ") {
			t.Errorf("detail line not indented 7: %q", l)
		}
		i := strings.Index(l, ":")
		v := i + 1
		for v < len(l) && l[v] == ' ' {
			v++
		}
		if v-7 < harnessMinWidth {
			t.Errorf("label column narrower than %d: %q", harnessMinWidth, l)
		}
		if v < len(l) {
			if col == -1 {
				col = v
			} else if col != v {
				t.Errorf("values not aligned (%d vs %d): %q", v, col, l)
			}
		}
	}
	for _, want := range []string{"Prodserver enabled:", "Prodserver computed workers:", "Prodserver global workers:"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("report lacks %q", want)
		}
	}

	r = h.Dokku("prodserver:report", "myapp", "--format", "json")
	var m map[string]string
	if err := json.Unmarshal([]byte(r.Stdout), &m); err != nil {
		t.Fatalf("json: %v\n%s", err, r)
	}
	if m["prodserver-enabled"] != "false" || m["prodserver-computed-workers"] != "3" || m["prodserver-workers"] != "" {
		t.Errorf("json values: %v", m)
	}
	// Dokku 0.38's Go plugins key JSON reports without the plugin prefix,
	// keeping the prefixed keys alongside during 0.38.x.
	for _, k := range []string{"enabled", "computed-workers", "global-workers"} {
		if v, ok := m[k]; !ok || v != m["prodserver-"+k] {
			t.Errorf("json key %q = %q, %v; want the value of prodserver-%s (%q)", k, v, ok, k, m["prodserver-"+k])
		}
	}

	for flag, want := range map[string]string{
		"--prodserver-computed-enabled": "false\n",
		"--prodserver-global-workers":   "3\n",
		"--prodserver-computed-workers": "3\n",
		"--prodserver-computed-release": "migrate\n",
	} {
		if r := h.Dokku("prodserver:report", "myapp", flag); r.Code != 0 || r.Stdout != want {
			t.Errorf("%s: got %q want %q (%s)", flag, r.Stdout, want, r)
		}
	}
	if r := h.Dokku("prodserver:report", "myapp", "--prodserver-nope"); r.Code == 0 || !strings.Contains(r.Stderr, "Invalid flag passed") {
		t.Errorf("unknown flag: %s", r)
	}
	if r := h.Dokku("prodserver:report", "myapp", "--format", "yaml"); r.Code == 0 {
		t.Errorf("bad format accepted: %s", r)
	}

	// No app: every app, in order.
	r = h.Dokku("prodserver:report")
	if r.Code != 0 || strings.Count(r.Stdout, "=====> ") != 2 || strings.Index(r.Stdout, "myapp") > strings.Index(r.Stdout, "other") {
		t.Errorf("all apps: %s", r)
	}
	// DOKKU_APP_NAME stands in for a missing app (dokku --app other prodserver:report).
	h.Env = []string{"DOKKU_APP_NAME=other"}
	if r := h.Dokku("prodserver:report"); r.Code != 0 || !strings.HasPrefix(r.Stdout, "=====> other prodserver information") {
		t.Errorf("DOKKU_APP_NAME: %s", r)
	}
	h.Env = nil
	// The report trigger (dokku report APP) prints the same block.
	if r := h.Trigger("", "report", "myapp"); r.Code != 0 || !strings.Contains(r.Stdout, "=====> myapp prodserver information") {
		t.Errorf("report trigger: %s", r)
	}
	if r := h.Dokku("prodserver:report", "ghost"); r.Code == 0 || !strings.Contains(r.Stderr, "App ghost does not exist") {
		t.Errorf("unknown app: %s", r)
	}
}

const harnessMinWidth = 31

func TestLifecycleTriggers(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("one")
	if r := h.Dokku("prodserver:set", "one", "workers", "5"); r.Code != 0 {
		t.Fatal(r)
	}
	data := filepath.Join(h.Lib, "data", "prodserver", "one")
	h.WriteFile(filepath.Join(data, "last-deploy.json"), []byte(`{"x":1}`))

	h.CreateApp("two")
	if r := h.Trigger("", "post-app-clone-setup", "one", "two"); r.Code != 0 {
		t.Fatal(r)
	}
	for _, app := range []string{"one", "two"} {
		if v, _ := h.Property(app, "workers"); v != "5\n" {
			t.Errorf("%s workers = %q after clone", app, v)
		}
		if _, err := os.Stat(filepath.Join(h.Lib, "data", "prodserver", app, "last-deploy.json")); err != nil {
			t.Errorf("%s data after clone: %v", app, err)
		}
	}

	h.CreateApp("three")
	if r := h.Trigger("", "post-app-rename-setup", "two", "three"); r.Code != 0 {
		t.Fatal(r)
	}
	if _, ok := h.Property("two", "workers"); ok {
		t.Error("rename left the old app's property")
	}
	if v, _ := h.Property("three", "workers"); v != "5\n" {
		t.Errorf("renamed workers = %q", v)
	}
	if _, err := os.Stat(filepath.Join(h.Lib, "data", "prodserver", "three", "last-deploy.json")); err != nil {
		t.Errorf("renamed data: %v", err)
	}

	if r := h.Trigger("", "post-delete", "one"); r.Code != 0 {
		t.Fatal(r)
	}
	for _, d := range []string{filepath.Join(h.Lib, "config", "prodserver", "one"), data} {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s survived post-delete: %v", d, err)
		}
	}
	if v, _ := h.Property("three", "workers"); v != "5\n" {
		t.Error("post-delete of one touched another app")
	}
	// A bad app name never reaches the file system.
	if r := h.Trigger("", "post-delete", "../config"); r.Code == 0 {
		t.Errorf("post-delete accepted a path: %s", r)
	}
}

func TestInstallTrigger(t *testing.T) {
	h := harness.New(t)
	r := h.Trigger("", "install")
	if r.Code != 0 || r.Stdout != "" {
		t.Fatalf("install: %s", r)
	}
	for _, d := range []string{"config/prodserver/--global", "data/prodserver"} {
		fi, err := os.Stat(filepath.Join(h.Lib, d))
		if err != nil {
			t.Fatalf("install did not create %s: %v", d, err)
		}
		if h.User != nil {
			assertOwner(t, fi, h.User.UID)
		}
	}
	// Idempotent: a second run succeeds and changes nothing.
	before := harness.Snapshot(t, h.Lib)
	if r := h.Trigger("", "install"); r.Code != 0 {
		t.Fatal(r)
	}
	if d := harness.Diff(before, harness.Snapshot(t, h.Lib)); len(d) > 0 {
		t.Errorf("second install changed %v", d)
	}
}

// TestUninstallTrigger: Dokku fires `uninstall NAME` at every enabled
// plugin; only prodserver's own name answers: it keeps its settings and
// records (a reinstall picks them up), says how to forget them, and names
// the apps that keep their last rendered commands until rebuilt.
func TestUninstallTrigger(t *testing.T) {
	h := harness.New(t)
	h.CreateApp("shop")
	limits(h, "shop")
	deployOK(t, h, "shop", tree(t, djangoTree(nil)))
	if r := h.Dokku("prodserver:set", "--global", "workers", "4"); r.Code != 0 {
		t.Fatal(r)
	}
	state := []string{filepath.Join(h.Lib, "config", "prodserver"), filepath.Join(h.Lib, "data", "prodserver")}
	if r := h.Trigger("", "uninstall", "letsencrypt"); r.Code != 0 || r.Stdout+r.Stderr != "" {
		t.Fatalf("another plugin's uninstall: %s", r)
	}
	for _, d := range state {
		if _, err := os.Stat(d); err != nil {
			t.Fatalf("another plugin's uninstall removed %s", d)
		}
	}
	// A tarball is upgraded by uninstall + install: the state stays, and
	// the output says where it is and which apps still run rendered lines.
	r := h.Trigger("", "uninstall", "prodserver")
	if r.Code != 0 || !strings.Contains(r.Stdout, "dokku ps:rebuild shop") || !strings.Contains(r.Stdout, "rm -rf "+state[0]+" "+state[1]) {
		t.Fatalf("uninstall: %s", r)
	}
	for _, d := range state {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("uninstall removed %s: %v", d, err)
		}
	}
}
