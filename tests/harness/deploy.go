package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// DeployResult is what a harness deploy did.
type DeployResult struct {
	// Work is the extracted source tree (TMP_WORK_DIR) after the triggers ran.
	Work string
	// Steps are the trigger results in order; the deploy stops at the first failure.
	Steps []Step
	// Failed is true when a trigger failed (and the deploy stopped there).
	Failed bool
	// Procfile is what ps copied (data/ps/APP/Procfile.PID), "" when missing.
	Procfile string
	// DockerArgs holds docker-args-process-deploy's output per process type.
	DockerArgs map[string]string
	// Builder is the builder Dokku would pick (detectBuilder), passed to
	// the *-release-builder triggers and as docker-args' image source type.
	Builder string
	// K3s is what scheduler-k3s's scheduler-deploy would apply (RenderK3s),
	// when the stand-in is enabled and the app's scheduler is k3s; K3sErr
	// says why it could not be rendered.
	K3s    *K3sRelease
	K3sErr error
	// StopFirst says, per process type of the scale, whether
	// scheduler-docker-local's scheduler-deploy-process would stop its
	// running containers before starting the new ones (the checks
	// plugin's disabled list, read where that script reads it: after
	// post-release-builder, when the type is deployed).
	StopFirst map[string]bool
}

// Step is one trigger run of a deploy.
type Step struct {
	Trigger string
	Result
}

// Output joins every step's stdout and stderr, for assertions on messages.
func (d DeployResult) Output() (stdout, stderr string) {
	var o, e strings.Builder
	for _, s := range d.Steps {
		o.WriteString(s.Stdout)
		e.WriteString(s.Stderr)
	}
	return o.String(), e.String()
}

// Deploy runs the parts of a `git push` deploy that involve prodserver, in
// Dokku's order with Dokku's arguments (dokku-contract.md): a fresh
// TMP_WORK_DIR holding a copy of src; core-post-extract APP DIR REV in that
// folder (app-json, prodserver, ps); post-extract; pre-release-builder and
// post-release-builder BUILDER APP IMAGE; then, per process type and
// container, docker-args-process-deploy APP IMAGE_SOURCE_TYPE TAG PROC INDEX;
// and finally what core-post-deploy does (ps promotes the Procfile, common
// marks the app deployed). Each deploy gets its own DOKKU_PID.
func (h *Host) Deploy(app, src string) DeployResult {
	h.t.Helper()
	return h.deploy(app, src, "")
}

// DeployFailing runs a deploy that Dokku stops partway, as a real one does
// when a step outside prodserver fails: at "build" the image build fails
// after post-extract (dokku_build exits before pre-release-builder); at
// "release" app-json's post-release-builder, which runs the Procfile's
// release process first (plugn: app-json < prodserver), exits non-zero, so
// no later plugin's post-release-builder, docker-args-process-deploy or
// core-post-deploy runs, and ps's Procfile.PID is never promoted.
func (h *Host) DeployFailing(app, src, at string) DeployResult {
	h.t.Helper()
	if at != "build" && at != "release" {
		h.t.Fatalf("DeployFailing at %q: want build or release", at)
	}
	return h.deploy(app, src, at)
}

func (h *Host) deploy(app, src, failAt string) DeployResult {
	h.t.Helper()
	h.pid++
	pid := strconv.Itoa(5000 + h.pid)
	work := filepath.Join(h.Dir, "tmp", app+"-"+pid)
	must(h.t, os.MkdirAll(filepath.Dir(work), 0o755))
	if out, err := exec.Command("cp", "-a", src, work).CombinedOutput(); err != nil {
		h.t.Fatalf("copying source: %v\n%s", err, out)
	}
	if h.User != nil {
		if out, err := exec.Command("chown", "-R", h.User.Name+":"+h.User.Group, work).CombinedOutput(); err != nil {
			h.t.Fatalf("chown work dir: %v\n%s", err, out)
		}
	}
	saved := h.Env
	h.Env = append(append([]string{}, h.Env...), "DOKKU_PID="+pid)
	defer func() { h.Env = saved }()

	res := DeployResult{Work: work, DockerArgs: map[string]string{}, Builder: h.detectBuilder(app, work)}
	const image = "dokku/" + "app:latest"
	steps := []struct {
		dir, name string
		args      []string
	}{
		{work, "core-post-extract", []string{app, work, "0123abcd"}},
		{work, "post-extract", []string{app, work, "0123abcd"}},
		{"", "pre-release-builder", []string{res.Builder, app, image}},
		{"", "post-release-builder", []string{res.Builder, app, image}},
	}
	for _, s := range steps {
		if failAt == "build" && s.name == "pre-release-builder" || failAt == "release" && s.name == "post-release-builder" {
			res.Steps = append(res.Steps, Step{s.name, Result{Stderr: " !     " + failAt + " failed (DeployFailing)\n", Code: 1}})
			res.Failed = true
			return res
		}
		r := h.Trigger(s.dir, s.name, s.args...)
		res.Steps = append(res.Steps, Step{s.name, r})
		if r.Code != 0 {
			res.Failed = true
			return res
		}
	}
	psData := filepath.Join(h.Lib, "data", "ps", app)
	if b, err := os.ReadFile(filepath.Join(psData, "Procfile."+pid)); err == nil {
		res.Procfile = string(b)
	}
	if h.k3sScheduled(app) {
		// scheduler-k3s's scheduler-deploy renders the chart (no
		// docker-args-process-deploy: triggers.go TriggerSchedulerDeploy),
		// then runs core-post-deploy APP "" "" TAG.
		res.K3s, res.K3sErr = h.RenderK3s(app, res.Builder, h.autoscaled(app, pid))
		r := h.Trigger("", "core-post-deploy", app, "", "", "latest")
		res.Steps = append(res.Steps, Step{"core-post-deploy", r})
		if r.Code != 0 {
			res.Failed = true
			return res
		}
	}
	for proc, n := range h.Scale(app) {
		if res.K3s != nil || res.K3sErr != nil {
			break
		}
		if res.StopFirst == nil {
			res.StopFirst = map[string]bool{}
		}
		res.StopFirst[proc] = h.ChecksDisabledFor(app, proc)
		for i := 1; i <= n; i++ {
			r := h.Trigger("", "docker-args-process-deploy", app, res.Builder, "latest", proc, strconv.Itoa(i))
			res.Steps = append(res.Steps, Step{"docker-args-process-deploy", r})
			if r.Code != 0 {
				res.Failed = true
				return res
			}
			res.DockerArgs[proc] = r.Stdout
		}
	}
	if res.K3s == nil && res.K3sErr == nil {
		// scheduler-docker-local/scheduler-deploy: once every container
		// started, `plugn trigger core-post-deploy "$APP" "$port" "$ipaddr"
		// "$IMAGE_TAG"` (prodserver keeps this deploy's record there).
		r := h.Trigger("", "core-post-deploy", app, "", "", "latest")
		res.Steps = append(res.Steps, Step{"core-post-deploy", r})
		if r.Code != 0 {
			res.Failed = true
			return res
		}
	}
	// core-post-deploy: ps promotes the Procfile; common records the deploy.
	if res.Procfile != "" {
		must(h.t, os.Rename(filepath.Join(psData, "Procfile."+pid), filepath.Join(psData, "Procfile")))
	}
	// app-json's core-post-deploy keeps this deploy's app.json as app.json.
	appJSON := filepath.Join(h.Lib, "data", "app-json", app, "app.json")
	if _, err := os.Stat(appJSON + "." + pid); err == nil {
		must(h.t, os.Rename(appJSON+"."+pid, appJSON))
	}
	h.WriteFile(filepath.Join(h.Lib, "config", "common", app, "deployed"), []byte("true"))
	return res
}

// Scale reads the scale the ps stand-in holds for app.
func (h *Host) Scale(app string) map[string]int {
	m := map[string]int{}
	b, err := os.ReadFile(filepath.Join(h.Lib, "data", "ps", app, "scale"))
	if err != nil {
		return m
	}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(l, "=")
		if n, err := strconv.Atoi(v); ok && err == nil {
			m[k] = n
		}
	}
	return m
}

// SetScale writes the ps stand-in's scale, as `ps:scale` would.
func (h *Host) SetScale(app string, scale map[string]int) {
	var b strings.Builder
	for k, v := range scale {
		b.WriteString(k + "=" + strconv.Itoa(v) + "\n")
	}
	h.WriteFile(filepath.Join(h.Lib, "data", "ps", app, "scale"), []byte(b.String()))
}

// CanScale is ps's can-scale property as `ps:scale` reads it
// (plugins/ps/functions.go canScaleApp: default "true", only "true" is true).
func (h *Host) CanScale(app string) bool {
	b, err := os.ReadFile(filepath.Join(h.Lib, "config", "ps", app, "can-scale"))
	if err != nil {
		return true
	}
	return string(b) == "true"
}

// PsScale is `dokku ps:scale APP proc=N...`: refused when can-scale is
// false (plugins/ps/subcommands.go CommandScale), else it sets the scale.
func (h *Host) PsScale(app string, pairs ...string) Result {
	h.t.Helper()
	if !h.CanScale(app) {
		return Result{Stderr: " !     App " + app + " contains an app.json file with a formations key and cannot be manually scaled\n", Code: 1}
	}
	return h.Trigger("", "ps-set-scale", append([]string{app, "true", "false"}, pairs...)...)
}

// detectBuilder picks the builder as Dokku 0.38.27 does: the builder
// plugin's `selected` property, app then global (builder:set;
// plugins/builder/triggers.go TriggerBuilderDetect), else the first
// builder-detect that answers, in the order
// plugins/builder-dockerfile/builder-detect forces: herokuish (a
// .buildpacks file, BUILDPACK_URL in .env or in the app's config;
// plugins/builder-herokuish/builder-detect and functions), pack
// (project.toml; plugins/builder-pack/builder-detect), dockerfile (a
// Dockerfile), else herokuish (plugins/git/functions git_trigger_build).
func (h *Host) detectBuilder(app, work string) string {
	for _, scope := range []string{app, "--global"} {
		if b, err := os.ReadFile(filepath.Join(h.Lib, "config", "builder", scope, "selected")); err == nil && strings.TrimSpace(string(b)) != "" {
			return strings.TrimSpace(string(b))
		}
	}
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(work, name)); return err == nil }
	env, err := os.ReadFile(filepath.Join(work, ".env"))
	config, _ := os.ReadFile(filepath.Join(h.Lib, "config", app, "ENV"))
	if exists(".buildpacks") || (err == nil && strings.Contains(string(env), "BUILDPACK_URL")) || strings.Contains(string(config), "BUILDPACK_URL=") {
		return "herokuish"
	}
	switch {
	case exists("project.toml"):
		return "pack"
	case exists("Dockerfile"):
		return "dockerfile"
	}
	return "herokuish"
}
