package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestReleaseTarball installs the release tarball the way plugn does (one
// top-level folder stripped) into a fresh host whose PATH has no Go, and runs
// a command and a trigger from it.
func TestReleaseTarball(t *testing.T) {
	dist := t.TempDir()
	out, err := exec.Command(filepath.Join(harness.RepoRoot(), "scripts", "release"), "--out", dist, "amd64").CombinedOutput()
	if err != nil {
		t.Fatalf("release: %v\n%s", err, out)
	}
	tarball := strings.TrimSpace(string(out))
	tarball = tarball[strings.LastIndex(tarball, "\n")+1:]
	if !strings.HasPrefix(filepath.Base(tarball), "prodserver-") || !strings.HasSuffix(tarball, "-linux-amd64.tar.gz") {
		t.Fatalf("tarball name %q", tarball)
	}
	unpacked := t.TempDir()
	if out, err := exec.Command("tar", "-xzf", tarball, "-C", unpacked).CombinedOutput(); err != nil {
		t.Fatalf("untar: %v\n%s", err, out)
	}
	entries, _ := os.ReadDir(unpacked)
	if len(entries) != 1 || !entries[0].IsDir() {
		t.Fatalf("tarball must hold one top-level folder, has %v", entries)
	}
	top := filepath.Join(unpacked, entries[0].Name())
	if _, err := os.Stat(filepath.Join(top, "src")); err == nil {
		t.Error("tarball should ship binaries, not sources")
	}
	if b, err := os.ReadFile(filepath.Join(top, "LICENSE")); err != nil || !strings.HasPrefix(string(b), "MIT License") {
		t.Errorf("tarball should ship the MIT LICENSE: %v", err)
	}
	h := harness.NewFrom(t, top) // runs the install trigger, with no Go on PATH
	h.CreateApp("myapp")
	if r := h.Dokku("prodserver:set", "myapp", "enabled", "true"); r.Code != 0 {
		t.Fatal(r)
	}
	if r := h.Dokku("prodserver:report", "myapp", "--prodserver-enabled"); r.Stdout != "true\n" {
		t.Errorf("report from tarball: %s", r)
	}
}

// TestInstallFromGit installs the plugin as `plugin:install <git URL>` leaves
// it (sources, no binaries): the install trigger builds with the host's Go,
// is a fast no-op the second time, rebuilds when a source changes, and fails
// with one line naming the tarball when there is no Go.
func TestInstallFromGit(t *testing.T) {
	root := harness.RepoRoot()
	files, err := exec.Command("git", "-C", root, "ls-files", "-co", "--exclude-standard").Output()
	if err != nil {
		t.Fatal(err)
	}
	plugin := filepath.Join(t.TempDir(), "prodserver")
	for _, f := range strings.Fields(string(files)) {
		src := filepath.Join(root, f)
		fi, err := os.Lstat(src)
		if err != nil {
			continue // deleted in the work tree
		}
		dst := filepath.Join(plugin, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			l, _ := os.Readlink(src)
			if err := os.Symlink(l, dst); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "DOKKU_LIB_ROOT="+t.TempDir(), "DOKKU_SYSTEM_USER=root", "DOKKU_SYSTEM_GROUP=root")
	install := func(path string) (string, error) {
		cmd := exec.Command(filepath.Join(plugin, "install"))
		cmd.Env = append(env, "PATH="+path)
		if !strings.Contains(path, "go") {
			cmd.Env = append(cmd.Env, "GO=/nonexistent/go") // the script also looks in /usr/local/go
		}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	goPath := filepath.Dir(mustLookPath(t, "go")) + ":/usr/bin:/bin"

	if out, err := install("/usr/bin:/bin"); err == nil || strings.Count(strings.TrimSpace(out), "\n") != 0 || !strings.Contains(out, "Go is not installed") || !strings.Contains(out, "tar.gz") {
		t.Errorf("without Go: want one line naming the tarball and a failure, got %v %q", err, out)
	} else if url := "https://github.com/dokku-prodserver/dokku-prodserver/releases/download/v" + pluginVersion(t) + "/prodserver-" + pluginVersion(t) + "-linux-"; !strings.Contains(out, url) || strings.Contains(out, "VERSION") {
		t.Errorf("without Go: the tarball URL must be this version's (%s...), ready to copy: %q", url, out)
	}
	if out, err := install(goPath); err != nil {
		t.Fatalf("install with Go: %v\n%s", err, out)
	}
	bin := filepath.Join(plugin, "triggers")
	first, err := os.Stat(bin)
	if err != nil {
		t.Fatalf("install did not build: %v", err)
	}
	if l, err := os.Readlink(filepath.Join(plugin, "subcommands", "set")); err != nil || l != "subcommands" {
		t.Errorf("subcommand link: %q %v", l, err)
	}

	start := time.Now()
	if out, err := install("/usr/bin:/bin"); err != nil { // fresh binaries: Go not even needed
		t.Fatalf("second install: %v\n%s", err, out)
	}
	t.Logf("no-op install took %v", time.Since(start))
	if again, _ := os.Stat(bin); !again.ModTime().Equal(first.ModTime()) {
		t.Error("second install rebuilt fresh binaries")
	}

	future := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(filepath.Join(plugin, "plugin.toml"), future, future); err != nil {
		t.Fatal(err)
	}
	if out, err := install(goPath); err != nil {
		t.Fatalf("install after change: %v\n%s", err, out)
	}
	if again, _ := os.Stat(bin); again.ModTime().Equal(first.ModTime()) {
		t.Error("a changed source did not trigger a rebuild")
	}

	// Dokku's help runs every file named "commands" under enabled/ (find -L):
	// the whole cloned tree, sources and tests included, must hold only the
	// root one. Real Dokku 0.38.27 failed here with "src/commands: Is a
	// directory" and plugin:install exited 126.
	h := harness.NewFrom(t, plugin)
	for _, args := range [][]string{nil, {"--all"}} {
		r := h.Dokku("help", args...)
		if r.Code != 0 || strings.Contains(r.Stderr, "Is a directory") || !strings.Contains(r.Stdout, "prodserver") {
			t.Errorf("dokku help %v from a git install: %s", args, r)
		}
	}
}

func mustLookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not on PATH: %v", name, err)
	}
	return p
}

// pluginVersion is plugin.toml's version, which names the release tarball.
func pluginVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(harness.RepoRoot(), "plugin.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^version *= *"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("plugin.toml has no version")
	}
	return string(m[1])
}
