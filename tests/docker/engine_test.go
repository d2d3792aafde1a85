package docker

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

const (
	// enableEnv must be 1 for the tier to run: `make test-docker` sets it, so
	// the plain `go test ./...` of `make test` does not run the tier twice.
	enableEnv = "PRODSERVER_DOCKER"
	// requiredEnv=1 turns "Docker cannot run here" from a skip into a
	// failure, for a machine that is known to run Docker and must not pass
	// by skipping.
	requiredEnv = "PRODSERVER_DOCKER_REQUIRED"
	// baseImageEnv overrides the base image scripts/docker-setup builds.
	baseImageEnv = "PRODSERVER_BASE_IMAGE"
	// defaultBaseImage is scripts/docker-setup's default name.
	defaultBaseImage = "prodserver-base:bookworm"
	// fixtureRepo is the fixture image's name; its tag is a content hash.
	fixtureRepo = "prodserver-fixture"
	// testLabel marks every container the tier creates, so a leftover from a
	// killed run can be found with `docker ps -a --filter label=...`.
	testLabel = "com.dokku-prodserver.test=docker-tier"
	// appPort is the PORT Dokku gives a Dockerfile app's processes.
	appPort = "5000"
)

// engine is a Docker engine that answered, with the fixture image built.
type engine struct {
	// image is the fixture app's image (prodserver-fixture:<hash>).
	image string
}

var (
	engineOnce sync.Once
	theEngine  *engine
	// engineSkip says why Docker cannot run here (the tests skip with it);
	// engineErr says why the fixture image could not be built (they fail).
	engineSkip string
	engineErr  error
)

// requireEngine returns the engine, building the fixture image on first use.
// It skips the test, naming why, when the tier is not enabled or Docker
// cannot run on this machine, and fails it when Docker runs but the fixture
// image does not build (that is the project's fault, not the machine's), or
// when Docker cannot run and PRODSERVER_DOCKER_REQUIRED=1.
func requireEngine(t *testing.T) *engine {
	t.Helper()
	if os.Getenv(enableEnv) != "1" {
		t.Skipf("Docker tier not enabled: it runs with %s=1, which `make test-docker` sets after scripts/docker-setup", enableEnv)
	}
	engineOnce.Do(func() { theEngine, engineSkip, engineErr = setUpEngine(t) })
	if engineSkip != "" && os.Getenv(requiredEnv) == "1" {
		t.Fatalf("Docker tier cannot run, and %s=1: %s", requiredEnv, engineSkip)
	}
	if engineSkip != "" {
		t.Skipf("Docker tier skipped: %s", engineSkip)
	}
	if engineErr != nil {
		t.Fatalf("Docker tier: %v", engineErr)
	}
	return theEngine
}

// setUpEngine checks that an engine answers and the base image is there, and
// builds the fixture image unless an image of the same content hash exists.
func setUpEngine(t *testing.T) (e *engine, skip string, err error) {
	if _, err := exec.LookPath("docker"); err != nil {
		return nil, "no docker client on PATH (scripts/docker-setup installs Debian's docker.io, as root)", nil
	}
	if _, err := dockerCmd("info", "--format", "{{.ServerVersion}}"); err != nil {
		why := fmt.Sprintf("no Docker engine answers (%v)", err)
		if os.Geteuid() != 0 {
			why += fmt.Sprintf("; the tests run as uid %d, and starting dockerd needs root", os.Geteuid())
		}
		return nil, why + "; run scripts/docker-setup as root to install docker.io and start dockerd", nil
	}
	base := os.Getenv(baseImageEnv)
	if base == "" {
		base = defaultBaseImage
	}
	baseID, err := dockerCmd("image", "inspect", "--format", "{{.Id}}", base)
	if err != nil {
		return nil, fmt.Sprintf("base image %s is missing (%v); scripts/docker-setup builds it with debootstrap", base, err), nil
	}
	ctx := realserver.CopyFixture(t, "djangoapp")
	dockerfile, err := os.ReadFile("Dockerfile")
	if err != nil {
		return nil, "", fmt.Errorf("reading tests/docker/Dockerfile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(ctx, "Dockerfile"), dockerfile, 0o644); err != nil {
		return nil, "", fmt.Errorf("writing the build context: %w", err)
	}
	sum, err := hashTree(ctx, baseID)
	if err != nil {
		return nil, "", fmt.Errorf("hashing the build context: %w", err)
	}
	image := fixtureRepo + ":" + sum[:16]
	if _, err := dockerCmd("image", "inspect", "--format", "{{.Id}}", image); err == nil {
		t.Logf("fixture image %s is built already", image)
		return &engine{image: image}, "", nil
	}
	start := time.Now()
	t.Logf("building fixture image %s FROM %s", image, base)
	// The whole build log, not --quiet: a failing apt-get says why in it.
	if out, err := exec.Command("docker", "build", "--build-arg", "BASE="+base, "--tag", image, ctx).CombinedOutput(); err != nil {
		return nil, "", fmt.Errorf("docker build of the fixture image from tests/docker/Dockerfile: %w\n%s", err, tail(string(out), 6000))
	}
	t.Logf("built fixture image %s in %s", image, time.Since(start).Round(time.Second))
	return &engine{image: image}, "", nil
}

// hashTree is a content hash of every file under dir (path, mode, bytes) and
// the base image's id, so the fixture image is rebuilt exactly when the
// fixture, the Dockerfile or the base image change.
func hashTree(dir, baseID string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "base %s\n", baseID)
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return "", err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %o %d\n", rel, fi.Mode().Perm(), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// dockerTimeout bounds one docker CLI call (the longest is a docker stop
// of up to stop-timeout-seconds), so a hung engine fails a test instead of
// holding it until go test's own timeout.
const dockerTimeout = 3 * time.Minute

// dockerCmd runs the docker CLI and returns its trimmed stdout; a failure
// carries the command and its stderr.
func dockerCmd(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), dockerTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return strings.TrimSpace(out.String()), fmt.Errorf("docker %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// container is one container the test created; it is removed when the test
// ends, after its logs were shown if the test failed.
type container struct {
	id, name string
	argv     []string // the create command, for messages
}

// create runs `docker container create args...` and registers the removal.
// name is a readable prefix; a random suffix keeps parallel runs apart.
func create(t *testing.T, name string, args ...string) *container {
	t.Helper()
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	c := &container{name: "prodserver-test-" + name + "-" + hex.EncodeToString(rnd[:])}
	full := append([]string{"container", "create", "--name", c.name, "--label", testLabel}, args...)
	c.argv = append([]string{"docker"}, full...)
	id, err := dockerCmd(full...)
	if err != nil {
		t.Fatalf("creating container %s: %v", name, err)
	}
	c.id = id
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s\nlogs of %s:\n%s", strings.Join(c.argv, " "), c.name, tail(c.logs(), 6000))
		}
		if _, err := dockerCmd("container", "rm", "--force", "--volumes", c.id); err != nil {
			t.Logf("removing container %s: %v", c.name, err)
		}
	})
	return c
}

// start runs `docker start`.
func (c *container) start(t *testing.T) {
	t.Helper()
	if _, err := dockerCmd("start", c.id); err != nil {
		t.Fatalf("starting %s: %v", c.name, err)
	}
}

// inspect evaluates a Go template over `docker inspect`.
func (c *container) inspect(t *testing.T, format string) string {
	t.Helper()
	out, err := dockerCmd("inspect", "--format", format, c.id)
	if err != nil {
		t.Fatalf("inspecting %s: %v", c.name, err)
	}
	return out
}

// ip is the container's address on Docker's default bridge.
func (c *container) ip(t *testing.T) string {
	t.Helper()
	ip := c.inspect(t, "{{.NetworkSettings.IPAddress}}")
	if ip == "" {
		t.Fatalf("%s has no bridge IP address (network settings: %s)", c.name, c.inspect(t, "{{json .NetworkSettings}}"))
	}
	return ip
}

// running reports whether the container still runs, and its exit code if not.
func (c *container) running(t *testing.T) (bool, int) {
	t.Helper()
	s := strings.Fields(c.inspect(t, "{{.State.Running}} {{.State.ExitCode}}"))
	code, _ := strconv.Atoi(s[1])
	return s[0] == "true", code
}

// logs is what the container printed (stdout and stderr).
func (c *container) logs() string {
	out, err := exec.Command("docker", "logs", c.id).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("(docker logs: %v) %s", err, out)
	}
	return string(out)
}

// wait waits for a container that should finish by itself (the release
// command, a task sender) and returns its exit code.
func (c *container) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if run, code := c.running(t); !run {
			return code
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not finish within %s; logs:\n%s", c.name, within, tail(c.logs(), 4000))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop runs `docker stop --time=timeout`, as Dokku's scheduler does when it
// retires a container, and returns how long it took and the exit code.
func (c *container) stop(t *testing.T, timeout int) (time.Duration, int) {
	t.Helper()
	if run, code := c.running(t); !run {
		t.Fatalf("%s had exited (code %d) before docker stop; logs:\n%s", c.name, code, tail(c.logs(), 4000))
	}
	start := time.Now()
	// --time is what Dokku passes; the newer client calls it --timeout.
	if _, err := dockerCmd("stop", "--time="+strconv.Itoa(timeout), c.id); err != nil {
		t.Fatalf("stopping %s: %v", c.name, err)
	}
	took := time.Since(start)
	_, code := c.running(t)
	return took, code
}

// proc is one process in a container, as `docker top` shows it.
type proc struct {
	pid, ppid int
	args      string
}

// top lists the container's processes (host pids).
func (c *container) top(t *testing.T) []proc {
	t.Helper()
	out, err := dockerCmd("top", c.id, "-eo", "pid,ppid,args")
	if err != nil {
		t.Fatalf("docker top %s: %v", c.name, err)
	}
	var ps []proc
	for _, l := range strings.Split(out, "\n")[1:] {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		pid, err1 := strconv.Atoi(f[0])
		ppid, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			continue
		}
		ps = append(ps, proc{pid, ppid, strings.Join(f[2:], " ")})
	}
	return ps
}

// children returns the program --init started (the child of docker-init)
// and that program's own children: gunicorn's workers, celery's pool.
func (c *container) children(t *testing.T) (leader proc, kids []proc, all []proc) {
	t.Helper()
	all = c.top(t)
	var initPid int
	for _, p := range all {
		if strings.Contains(p.args, "docker-init") {
			initPid = p.pid
		}
	}
	if initPid == 0 {
		t.Fatalf("%s: no docker-init process; was it created with --init? processes: %v", c.name, all)
	}
	for _, p := range all {
		if p.ppid == initPid {
			leader = p
		}
	}
	for _, p := range all {
		if leader.pid != 0 && p.ppid == leader.pid {
			kids = append(kids, p)
		}
	}
	return leader, kids, all
}

// getHTTP polls url until it answers, failing fast when the container exits.
func getHTTP(t *testing.T, c *container, url string, within time.Duration) (int, string) {
	t.Helper()
	return realserver.PollHTTP(t, url, within, func() (string, bool) {
		if run, code := c.running(t); !run {
			return fmt.Sprintf("%s exited (code %d) before answering %s; logs:\n%s", c.name, code, url, tail(c.logs(), 4000)), true
		}
		return "", false
	}, func() string { return c.name })
}

// tail keeps messages readable: the end of a log holds the traceback.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "...(cut)...\n" + s[len(s)-n:]
}
