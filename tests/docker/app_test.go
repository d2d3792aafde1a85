package docker

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

const (
	appName = "shop"
	// defaultStopTimeout is Dokku's stop-timeout-seconds when the ps
	// property is not set (`ps:set APP stop-timeout-seconds N`).
	defaultStopTimeout = 30
	// startWithin is how long a process may take to serve or finish a task
	// on a loaded 2-CPU machine.
	startWithin = 90 * time.Second
)

// deployed is the fixture app deployed through the harness: what prodserver
// rendered, and what the other core plugins would add to each container.
type deployed struct {
	h *harness.Host
	// procfile is what ps copied: the Procfile the scheduler starts.
	procfile *procfile.File
	// dockerArgs is docker-args-process-deploy's output per process type.
	dockerArgs map[string]string
	// config is the app's config (config:set), which Dokku also uses to
	// expand the Procfile line and passes to the container.
	config map[string]string
	// data is the host folder mounted at /data (as storage:mount does):
	// the SQLite database the release command migrates and the marker files
	// the tasks write, shared by every container of the app.
	data string
	// stopTimeout is the ps property stop-timeout-seconds: Dokku's
	// `docker stop --time` for this app.
	stopTimeout int
	// k3s is what scheduler-k3s would apply (deployOptions.k3s), and work
	// the source tree the image is built from.
	k3s  *harness.K3sRelease
	work string
}

// deployOptions are what an operator set before the deploy.
type deployOptions struct {
	// web is the `prodserver:backend APP web` choice; "" keeps the detected one.
	web string
	// cpu and memory are `resource:limit --cpu --memory` for every process.
	cpu, memory string
	// redisURL is the broker, set as the app's REDIS_URL.
	redisURL string
	// k3s selects scheduler-k3s for the app (with its harness stand-in);
	// builder is builder:set's choice ("" lets Dokku detect it).
	k3s     bool
	builder string
}

// deployFixture deploys tests/fixtures/djangoapp (with the tier's Dockerfile
// at its root, as a Dockerfile app has) through the harness.
func deployFixture(t *testing.T, o deployOptions) *deployed {
	t.Helper()
	h := harness.New(t)
	h.CreateApp(appName)
	d := &deployed{h: h, data: t.TempDir()}
	if o.k3s {
		h.EnableSchedulerK3s()
		h.WriteFile(filepath.Join(h.Lib, "config", "scheduler", appName, "selected"), []byte("k3s"))
	}
	if o.builder != "" {
		h.WriteFile(filepath.Join(h.Lib, "config", "builder", appName, "selected"), []byte(o.builder))
	}
	d.config = map[string]string{
		"DATABASE_PATH": "/data/db.sqlite3",
		"MARKER_DIR":    "/data/markers",
		"SECRET_KEY":    "docker-tier-secret-key",
	}
	if o.redisURL != "" {
		d.config["REDIS_URL"] = o.redisURL
	}
	h.SetConfig(appName, d.config)
	if o.cpu != "" {
		h.SetResourceLimit(appName, "_default_", "cpu", o.cpu)
	}
	if o.memory != "" {
		h.SetResourceLimit(appName, "_default_", "memory", o.memory)
	}
	if o.web != "" {
		if r := h.Dokku("prodserver:backend", appName, "web", o.web, "--skip-deploy"); r.Code != 0 {
			t.Fatalf("prodserver:backend %s web %s: %s", appName, o.web, r)
		}
	}
	src := realserver.CopyFixture(t, "djangoapp")
	dockerfile, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatalf("reading the tier's Dockerfile: %v", err)
	}
	if err := os.WriteFile(filepath.Join(src, "Dockerfile"), dockerfile, 0o644); err != nil {
		t.Fatal(err)
	}
	res := h.Deploy(appName, src)
	if res.Failed {
		o, e := res.Output()
		t.Fatalf("deploy failed:\n%s\n%s", o, e)
	}
	if res.Procfile == "" {
		t.Fatal("the deploy left ps no Procfile")
	}
	t.Logf("rendered Procfile:\n%s", res.Procfile)
	f, err := procfile.Parse([]byte(res.Procfile))
	if err != nil {
		t.Fatalf("parsing the rendered Procfile: %v\n%s", err, res.Procfile)
	}
	d.procfile, d.dockerArgs = f, res.DockerArgs
	if o.k3s && (res.K3s == nil || res.K3sErr != nil) {
		t.Fatalf("scheduler-k3s render: %v", res.K3sErr)
	}
	d.k3s, d.work = res.K3s, res.Work
	d.stopTimeout = stopTimeoutSeconds(t, h)
	return d
}

// stopTimeoutSeconds reads the ps property stop-timeout-seconds where
// Dokku's property functions keep it (config/ps/APP/), 30 when unset.
func stopTimeoutSeconds(t *testing.T, h *harness.Host) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(h.Lib, "config", "ps", appName, "stop-timeout-seconds"))
	if err != nil {
		return defaultStopTimeout
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n <= 0 {
		t.Fatalf("stop-timeout-seconds holds %q, not a positive number", b)
	}
	return n
}

// argv is what Dokku makes of a Dockerfile app's Procfile line: procfile-util
// expands the app's config, PORT and PS over it, then the words are split as
// xargs does (procfile.Split), and passed to the image in exec form.
func (d *deployed) argv(t *testing.T, proc string) []string {
	t.Helper()
	line, ok := d.procfile.Get(proc)
	if !ok {
		t.Fatalf("the rendered Procfile has no %s line:\n%s", proc, d.procfile.Bytes())
	}
	env := map[string]string{"PORT": appPort, "PS": proc}
	for k, v := range d.config {
		env[k] = v
	}
	argv, err := procfile.Split(line, env)
	if err != nil {
		t.Fatalf("splitting the %s line %q: %v", proc, line, err)
	}
	return argv
}

// prodserverArgs is prodserver's docker-args-process-deploy output for proc
// as separate words. Dokku evaluates the collected output as a bash array;
// prodserver prints only unquoted --flag=value words, so splitting on spaces
// is the same, and the check below keeps it so.
func (d *deployed) prodserverArgs(t *testing.T, proc string) []string {
	t.Helper()
	s, ok := d.dockerArgs[proc]
	if !ok {
		t.Fatalf("docker-args-process-deploy did not run for %s (scale %v)", proc, d.h.Scale(appName))
	}
	if strings.ContainsAny(s, `'"\$`) {
		t.Fatalf("docker-args-process-deploy for %s printed quoting, which bash's eval would change: %q", proc, s)
	}
	return strings.Fields(s)
}

// stopSignal is the --stop-signal prodserver asked for proc ("" for none,
// so Docker's SIGTERM).
func (d *deployed) stopSignal(t *testing.T, proc string) string {
	t.Helper()
	for _, a := range d.prodserverArgs(t, proc) {
		if v, ok := strings.CutPrefix(a, "--stop-signal="); ok {
			return v
		}
	}
	return ""
}

// run starts proc's rendered line as scheduler-docker-local starts a
// Dockerfile app's process:
//
//	docker container create --init --env PORT=5000 <docker args> IMAGE <words>
//
// where <docker args> are what the other core plugins add (config's
// environment, storage's mount, then extra, e.g. resource's limits) followed
// by prodserver's docker-args-process-deploy output.
func (d *deployed) run(t *testing.T, e *engine, proc string, extra ...string) *container {
	t.Helper()
	args := []string{"--init", "--env", "PORT=" + appPort}
	args = append(args, d.otherPluginArgs()...)
	args = append(args, extra...)
	args = append(args, d.prodserverArgs(t, proc)...)
	args = append(args, e.image)
	args = append(args, d.argv(t, proc)...)
	c := create(t, proc, args...)
	c.start(t)
	return c
}

// oneOff runs a command in a fresh container of the app, as `dokku run` and
// the release phase do, and waits for it; it fails unless it exits 0.
func (d *deployed) oneOff(t *testing.T, e *engine, name string, argv ...string) string {
	t.Helper()
	args := append([]string{"--init"}, d.otherPluginArgs()...)
	args = append(args, "--env", "DJANGO_SETTINGS_MODULE=proj.settings", e.image)
	c := create(t, name, append(args, argv...)...)
	c.start(t)
	if code := c.wait(t, startWithin); code != 0 {
		t.Fatalf("%s (%q) exited %d; logs:\n%s", name, argv, code, tail(c.logs(), 4000))
	}
	return c.logs()
}

// otherPluginArgs stands for what Dokku's config and storage plugins add to
// every container of the app: its config as environment, and the data mount.
func (d *deployed) otherPluginArgs() []string {
	var a []string
	for k, v := range d.config {
		a = append(a, "--env", k+"="+v)
	}
	return append(a, "--volume", d.data+":/data")
}

// stopCleanly stops c with `docker stop --time=<stop-timeout-seconds>` and
// fails unless the container took the stop signal prodserver asked for and
// the program exited with wantExit (its clean code) before the deadline,
// rather than being SIGKILLed (137) or killed by a signal it does not handle
// (128+N).
func (d *deployed) stopCleanly(t *testing.T, c *container, proc string, wantExit int) {
	t.Helper()
	sig := d.stopSignal(t, proc)
	if got := c.inspect(t, "{{.Config.StopSignal}}"); got != sig {
		t.Errorf("%s: the container's stop signal is %q, want %q from docker-args-process-deploy", proc, got, sig)
	}
	if sig == "" {
		sig = "SIGTERM"
	}
	took, code := c.stop(t, d.stopTimeout)
	t.Logf("STOP %s: docker stop --time=%d (%s) → exit %d after %s", proc, d.stopTimeout, sig, code, took.Round(10*time.Millisecond))
	switch {
	case code == 137:
		t.Errorf("%s was SIGKILLed (exit 137): it did not stop within %ds of %s; logs:\n%s", proc, d.stopTimeout, sig, tail(c.logs(), 4000))
	case code != wantExit:
		t.Errorf("%s exited %d on %s, want %d (a clean stop); logs:\n%s", proc, code, sig, wantExit, tail(c.logs(), 4000))
	case took >= time.Duration(d.stopTimeout)*time.Second:
		t.Errorf("%s took %s to stop, not inside the %ds deadline", proc, took, d.stopTimeout)
	}
}

// startRedis runs redis-server from the fixture image (no registry can be
// reached for a redis image) on the default bridge and returns its URL once
// it answers PING.
func startRedis(t *testing.T, e *engine) string {
	t.Helper()
	c := create(t, "redis", "--init", e.image,
		"redis-server", "--port", "6379", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no")
	c.start(t)
	url := "redis://" + c.ip(t) + ":6379/0"
	realserver.WaitFor(t, 30*time.Second, func() bool {
		if run, code := c.running(t); !run {
			t.Fatalf("redis-server exited (code %d); logs:\n%s", code, c.logs())
		}
		r, err := realserver.RedisCommand(url, "PING")
		return err == nil && r == "PONG"
	}, "redis-server to answer PING at "+url)
	return url
}

// optionValue reads --name=N or "--name N" from a rendered command's words.
func optionValue(t *testing.T, argv []string, name string) int {
	t.Helper()
	for i, w := range argv {
		v, ok := strings.CutPrefix(w, name+"=")
		if !ok && w == name && i+1 < len(argv) {
			v, ok = argv[i+1], true
		}
		if ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("%s %q is not a number in %q", name, v, argv)
			}
			return n
		}
	}
	t.Fatalf("no %s in the rendered command %q", name, argv)
	return 0
}

// waitMarker waits for the marker file a task writes into the shared /data
// folder and checks which kind of worker wrote it.
func (d *deployed) waitMarker(t *testing.T, worker *container, name, text string) {
	t.Helper()
	path := filepath.Join(d.data, "markers", name)
	realserver.WaitFor(t, startWithin, func() bool {
		if run, code := worker.running(t); !run {
			t.Fatalf("%s exited (code %d) before the task ran; logs:\n%s", worker.name, code, tail(worker.logs(), 4000))
		}
		_, err := os.Stat(path)
		return err == nil
	}, "marker "+name+" from "+worker.name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(text) + ` pid=\d+\n$`).Match(b) {
		t.Fatalf("marker %s holds %q, want %q pid=N", name, b, text)
	}
}
