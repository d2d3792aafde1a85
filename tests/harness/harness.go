// Package harness stands in for Dokku in prodserver's tests. Dokku itself
// cannot be installed here, so the harness lays out a throwaway host the way
// dokku-contract.md describes it: DOKKU_ROOT with one folder per app,
// DOKKU_LIB_ROOT with config/ and data/, PLUGIN_PATH with available/ and
// enabled/, the built plugin installed as "prodserver" beside stand-ins for the
// few core plugins it talks to (app-json, ps, resource, config). Commands are
// run with Dokku's argv (argv[1] = "prodserver:<name>"), triggers the way plugn
// runs them (every enabled plugin in alphabetical order, stopping at the first
// failure), as Dokku's system user except for install, which runs as root.
package harness

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/joho/godotenv"
)

// T is what the harness needs from a test: *testing.T satisfies it, and so
// does the demo's stand-in, so `make demo` lays out the same host.
type T interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Host is one throwaway Dokku host.
type Host struct {
	t T
	// Dir holds everything; Root, Lib and PluginPath are Dokku's folders in it.
	Dir, Root, Lib, PluginPath string
	// Plugin is the installed plugin folder (available/prodserver).
	Plugin string
	// Bin holds the plugn and dokku stand-ins, first on PATH.
	Bin string
	// Log is where stand-ins record every trigger call and dokku command.
	Log string
	// User is the unprivileged account commands and triggers run as when the
	// tests run as root; nil otherwise.
	User *Account
	// Env is added to every command's environment (KEY=value).
	Env []string

	pid int // deploys so far, for DOKKU_PID
}

// Account is a Unix user and group.
type Account struct {
	Name, Group string
	UID, GID    uint32
}

// Result is what a command printed and how it exited.
type Result struct {
	Stdout, Stderr string
	Code           int
}

func (r Result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.Code, r.Stdout, r.Stderr)
}

// RepoRoot is the plugin's source folder (the module root).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// built builds the plugin once per test binary, into a plugin-shaped folder
// (binaries, symlinks, plugin.toml, install) that each Host copies.
func built() (string, error) {
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "prodserver-build-")
		if buildErr != nil {
			return
		}
		buildDir = filepath.Join(buildDir, "prodserver")
		cmd := exec.Command(filepath.Join(RepoRoot(), "scripts", "build"), "--out", buildDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("scripts/build: %v\n%s", err, out)
		}
	})
	return buildDir, buildErr
}

// New lays out a fresh host with the freshly built plugin installed.
func New(t T) *Host {
	t.Helper()
	src, err := built()
	if err != nil {
		t.Fatal(err)
	}
	return NewFrom(t, src)
}

// NewFrom lays out a fresh host with the plugin folder src installed (a build
// or an unpacked release tarball).
func NewFrom(t T, src string) *Host {
	t.Helper()
	return NewNamed(t, src, "prodserver")
}

// NewNamed is NewFrom with the plugin installed under another name, as
// `plugin:install URL --name NAME` does; it fails the test when the
// install trigger fails (see Install for a host whose install may fail).
func NewNamed(t T, src, name string) *Host {
	t.Helper()
	h := Install(t, src, name)
	if r := h.Trigger("", "install"); r.Code != 0 {
		t.Fatalf("install trigger: %s", r)
	}
	h.ResetCalls()
	return h
}

// Install lays out a host with src installed as name, and runs no
// install trigger.
func Install(t T, src, name string) *Host {
	t.Helper()
	dir, err := os.MkdirTemp("", "prodserver-host-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	h := &Host{t: t, Dir: dir,
		Root: filepath.Join(dir, "home", "dokku"),
		Lib:  filepath.Join(dir, "var", "lib", "dokku"),
		Bin:  filepath.Join(dir, "bin"),
		Log:  filepath.Join(dir, "calls.log"),
		User: unprivileged(),
	}
	h.PluginPath = filepath.Join(h.Lib, "plugins")
	h.Plugin = filepath.Join(h.PluginPath, "available", name)
	for _, d := range []string{h.Root, filepath.Join(h.Lib, "config"), filepath.Join(h.Lib, "data"),
		filepath.Join(h.PluginPath, "available"), filepath.Join(h.PluginPath, "enabled"), h.Bin} {
		must(t, os.MkdirAll(d, 0o755))
	}
	must(t, os.WriteFile(h.Log, nil, 0o666))
	must(t, os.Chmod(h.Log, 0o666))
	must(t, os.Chmod(dir, 0o755))
	if out, err := exec.Command("cp", "-a", src, h.Plugin).CombinedOutput(); err != nil {
		t.Fatalf("copying plugin: %v\n%s", err, out)
	}
	h.Enable(name)
	h.writeStandIns()
	if h.User != nil {
		// Dokku's folders belong to the dokku user; the plugin folder to root.
		for _, d := range []string{h.Root, filepath.Join(h.Lib, "config"), filepath.Join(h.Lib, "data")} {
			must(t, os.Chown(d, int(h.User.UID), int(h.User.GID)))
		}
	}
	return h
}

// WriteFile writes a file the way the dokku user would have (creating its
// folders), for tests that seed state.
func (h *Host) WriteFile(path string, data []byte) {
	h.t.Helper()
	var created []string
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		created = append([]string{d}, created...)
	}
	must(h.t, os.MkdirAll(filepath.Dir(path), 0o755))
	must(h.t, os.WriteFile(path, data, 0o644))
	if h.User != nil {
		for _, p := range append(created, path) {
			must(h.t, os.Chown(p, int(h.User.UID), int(h.User.GID)))
		}
	}
}

// unprivileged picks the account that plays Dokku's system user when the
// tests run as root, so nothing but install may assume root.
func unprivileged() *Account {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		return nil
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &Account{Name: u.Username, Group: g.Name, UID: uint32(uid), GID: uint32(gid)}
}

// Enable symlinks available/<name> into enabled/, as plugin:enable does.
func (h *Host) Enable(name string) {
	must(h.t, os.Symlink(filepath.Join(h.PluginPath, "available", name), filepath.Join(h.PluginPath, "enabled", name)))
}

// CreateApp makes $DOKKU_ROOT/<app>, as apps:create does.
func (h *Host) CreateApp(app string) {
	h.t.Helper()
	d := filepath.Join(h.Root, app)
	must(h.t, os.MkdirAll(d, 0o755))
	if h.User != nil {
		must(h.t, os.Chown(d, int(h.User.UID), int(h.User.GID)))
	}
}

// environ is the environment every plugin process sees (dokku-contract.md).
func (h *Host) environ() []string {
	sysUser, sysGroup := "root", "root"
	if h.User != nil {
		sysUser, sysGroup = h.User.Name, h.User.Group
	} else if u, err := user.Current(); err == nil {
		sysUser = u.Username
		if g, err := user.LookupGroupId(u.Gid); err == nil {
			sysGroup = g.Name
		}
	}
	env := []string{
		"PATH=" + h.Bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + h.Root,
		"DOKKU_ROOT=" + h.Root,
		"DOKKU_LIB_ROOT=" + h.Lib,
		"PLUGIN_PATH=" + h.PluginPath,
		"PLUGIN_AVAILABLE_PATH=" + filepath.Join(h.PluginPath, "available"),
		"PLUGIN_ENABLED_PATH=" + filepath.Join(h.PluginPath, "enabled"),
		"PLUGIN_CORE_AVAILABLE_PATH=" + filepath.Join(h.Lib, "core-plugins", "available"),
		"DOKKU_SYSTEM_USER=" + sysUser,
		"DOKKU_SYSTEM_GROUP=" + sysGroup,
		"DOKKU_NOT_IMPLEMENTED_EXIT=10",
		"DOKKU_PID=" + strconv.Itoa(4000+h.pid),
		"HARNESS_LOG=" + h.Log,
	}
	return append(env, h.Env...)
}

// Command prepares path (a plugin binary, a trigger symlink) to run the way
// the harness runs it: the host's environment, in dir, as the system user
// (root when asRoot). Benchmarks use it to time a trigger process alone.
func (h *Host) Command(dir string, asRoot bool, path string, args ...string) *exec.Cmd {
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	cmd.Env = h.environ()
	if h.User != nil && !asRoot {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: h.User.UID, Gid: h.User.GID}}
	}
	return cmd
}

// Chown hands path (recursively) to the system user, as files under
// Dokku's folders are.
func (h *Host) Chown(path string) {
	if h.User == nil {
		return
	}
	if out, err := exec.Command("chown", "-R", h.User.Name+":"+h.User.Group, path).CombinedOutput(); err != nil {
		h.t.Fatalf("chown %s: %v\n%s", path, err, out)
	}
}

// run executes argv (argv[0] is a path, name is what the program sees as
// argv[0]) in dir, as root when asRoot, else as the system user.
func (h *Host) run(dir string, asRoot bool, stdin []byte, path string, args ...string) Result {
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	cmd.Env = h.environ()
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if h.User != nil && !asRoot {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: h.User.UID, Gid: h.User.GID}}
	}
	err := cmd.Run()
	code := 0
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			code = -1
			errb.WriteString(err.Error())
		}
	}
	return Result{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

// Dokku runs `dokku <command> <args...>` the way Dokku's entry script does
// for a plugin: `prodserver:x` runs enabled/prodserver/subcommands/x with
// argv[1] = "prodserver:x"; `help`, `prodserver` and `prodserver:help` go
// through the plugin's `commands`.
func (h *Host) Dokku(command string, args ...string) Result {
	h.t.Helper()
	plugin := filepath.Join(h.PluginPath, "enabled", filepath.Base(h.Plugin))
	if command == "help" {
		return h.run(h.Root, false, nil, filepath.Join(h.Bin, "dokku"), append([]string{command}, args...)...)
	}
	if command == "prodserver" {
		return h.run(h.Root, false, nil, filepath.Join(plugin, "commands"), append([]string{command}, args...)...)
	}
	name, ok := strings.CutPrefix(command, "prodserver:")
	if !ok {
		h.t.Fatalf("harness: %s is not a prodserver command", command)
	}
	sub := filepath.Join(plugin, "subcommands", name)
	if fi, err := os.Stat(sub); err != nil || fi.Mode()&0o111 == 0 {
		// Dokku falls back to `commands <cmd>`; ours exits 10 for unknown words.
		return h.run(h.Root, false, nil, filepath.Join(plugin, "commands"), append([]string{command}, args...)...)
	}
	return h.run(h.Root, false, nil, sub, append([]string{command}, args...)...)
}

// Trigger runs `plugn trigger name args...` through the stand-in plugn, in
// dir (Dokku runs core-post-extract in TMP_WORK_DIR).
func (h *Host) Trigger(dir, name string, args ...string) Result {
	h.t.Helper()
	if dir == "" {
		dir = h.Root
	}
	return h.run(dir, name == "install" || name == "update", nil, filepath.Join(h.Bin, "plugn"), append([]string{"trigger", name}, args...)...)
}

// Calls returns the lines the stand-ins logged: "trigger <plugin> <name> args"
// and "dokku <args>".
func (h *Host) Calls() []string {
	b, err := os.ReadFile(h.Log)
	must(h.t, err)
	s := strings.TrimRight(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// ResetCalls empties the call log.
func (h *Host) ResetCalls() { must(h.t, os.Truncate(h.Log, 0)) }

// SetConfig stores app config as `config:set` does on Dokku 0.38.26 and
// later (plugins/config/environment.go Write): godotenv's format
// (KEY="value", sorted) in $DOKKU_LIB_ROOT/config/APP/ENV.
func (h *Host) SetConfig(app string, kv map[string]string) {
	h.t.Helper()
	body, err := godotenv.Marshal(kv)
	must(h.t, err)
	h.WriteFile(filepath.Join(h.Lib, "config", app, "ENV"), []byte(body+"\n"))
}

// SetLegacyConfig stores app config as Dokku before 0.38.26 kept it:
// export KEY='value' lines in $DOKKU_ROOT/APP/ENV (values must not hold a
// single quote).
func (h *Host) SetLegacyConfig(app string, kv map[string]string) {
	h.t.Helper()
	var b strings.Builder
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "export %s='%s'\n", k, kv[k])
	}
	h.WriteFile(filepath.Join(h.Root, app, "ENV"), []byte(b.String()))
}

// SetResourceLimit stores what `resource:limit --cpu/--memory
// [--process-type PROC]` would: the resource plugin's property
// PROC.limit.RES (PROC "_default_" for every process).
func (h *Host) SetResourceLimit(app, proc, res, value string) {
	h.WriteFile(filepath.Join(h.Lib, "config", "resource", app, proc+".limit."+res), []byte(value))
}

// SetNginxProperty stores what `nginx:set APP KEY VALUE` would (APP
// "--global" for `nginx:set --global`): the nginx-vhosts plugin's property
// file $DOKKU_LIB_ROOT/config/nginx/<app>/<key> (plugins/nginx-vhosts/
// subcommands/set, fn-plugin-property-write in Dokku 0.38.27); an empty
// value removes it, as nginx:set with no value does.
func (h *Host) SetNginxProperty(app, key, value string) {
	p := filepath.Join(h.Lib, "config", "nginx", app, key)
	if value == "" {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			h.t.Fatal(err)
		}
		return
	}
	h.WriteFile(p, []byte(value))
}

// Property reads a prodserver property file directly ("" and false if absent).
func (h *Host) Property(app, key string) (string, bool) {
	b, err := os.ReadFile(filepath.Join(h.Lib, "config", "prodserver", app, key))
	if err != nil {
		return "", false
	}
	return string(b), true
}

// Snapshot maps every file under dir (relative path) to its content, to
// prove a command changed nothing.
func Snapshot(t T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			m[rel] = "-> " + l
		case fi.IsDir():
			m[rel+"/"] = fi.Mode().String()
		case !fi.Mode().IsRegular():
			// A FIFO or device is described, never opened (that could block).
			m[rel] = fi.Mode().String()
		default:
			b, _ := os.ReadFile(p)
			m[rel] = fi.Mode().String() + " " + string(b)
		}
		return nil
	})
	return m
}

// Diff lists what changed between two snapshots, sorted.
func Diff(a, b map[string]string) []string {
	var d []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			d = append(d, "removed "+k)
		} else if v != w {
			d = append(d, "changed "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, "added "+k)
		}
	}
	sort.Strings(d)
	return d
}

func must(t T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
