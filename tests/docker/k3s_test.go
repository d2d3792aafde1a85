package docker

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// k3sGrace is the pod's termination grace: Kubernetes' default
// terminationGracePeriodSeconds, since scheduler-k3s's chart
// (templates/chart/deployment.yaml, v0.38.27) sets none.
const k3sGrace = 30

// TestK3sPodServesAndStops deploys the fixture with scheduler-k3s selected,
// for a Dockerfile and a herokuish image, takes the web container of the
// Deployment scheduler-k3s would apply (the harness's stand-in renders it
// from extractStartCommand and the chart), and starts it the way the
// kubelet would: the container's command as the entrypoint when set, its
// args as the command, its env and the app's config, no init process. The
// pod must answer GET / with 200 "ok", run the rendered line's program as
// its first process, and stop on SIGTERM within the 30 s grace with exit 0.
// waitress is the backend whose SIGTERM form only k3s gets.
func TestK3sPodServesAndStops(t *testing.T) {
	e := requireEngine(t)
	cases := []struct {
		name, builder, web string
		program            string // the rendered web line's first word
	}{
		{"dockerfile detected", "dockerfile", "", "gunicorn"},
		{"dockerfile waitress", "dockerfile", "waitress", "python3"},
		{"herokuish detected", "herokuish", "", "gunicorn"},
		{"herokuish waitress", "herokuish", "waitress", "python"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := deployFixture(t, deployOptions{web: tc.web, k3s: true, builder: tc.builder})
			argv := d.argv(t, "web")
			if argv[0] != tc.program {
				t.Fatalf("web line runs %q, want %s", argv, tc.program)
			}
			ctr := d.k3s.Deployments[appName+"-web"].Container()
			image := e.image
			if tc.builder == "herokuish" {
				if len(ctr.Args) != 2 || ctr.Args[0] != "/start" {
					t.Fatalf("a herokuish pod runs %q, want /start web", ctr.Args)
				}
				image = herokuishImage(t, e, d.work)
			}
			flags, words := ctr.DockerRun()
			args := append(flags, d.otherPluginArgs()...)
			args = append(append(args, image), words...)
			c := create(t, "k3s-web", args...)
			c.start(t)
			url := "http://" + c.ip(t) + ":" + appPort + "/"
			status, body := getHTTP(t, c, url, startWithin)
			if status != 200 || body != "ok" {
				t.Fatalf("GET %s = %d %q, want 200 \"ok\"", url, status, body)
			}
			leader := firstProcess(t, c)
			// ps shows a script's interpreter first (/usr/bin/python3
			// /usr/bin/gunicorn ...): the rendered words must be the tail.
			first := strings.Fields(leader.args)
			if n := len(argv); len(first) < n || !strings.HasSuffix(first[len(first)-n], argv[0]) || strings.Join(first[len(first)-n+1:], " ") != strings.Join(argv[1:], " ") {
				t.Errorf("the pod's first process is %q, want the rendered line %q", leader.args, argv)
			}
			t.Logf("GET %s = %d from pod args %q (first process %q)", url, status, ctr.Args, leader.args)
			took, code := c.stop(t, k3sGrace)
			t.Logf("STOP %s: SIGTERM, grace %ds → exit %d after %s", tc.name, k3sGrace, code, took.Round(10*time.Millisecond))
			if code != 0 || took >= k3sGrace*time.Second {
				t.Errorf("web exited %d after %s on SIGTERM, want 0 inside the %ds grace", code, took, k3sGrace)
			}
		})
	}
}

// herokuishImage builds a herokuish-shaped image of the app: the fixture
// image with herokuish's /start (tests/docker/herokuish/start) and the
// Procfile prodserver wrote into the source tree before the build, at
// /app/Procfile where /start reads it. Removed when the test ends.
func herokuishImage(t *testing.T, e *engine, work string) string {
	t.Helper()
	ctx := t.TempDir()
	for src, dst := range map[string]string{filepath.Join("herokuish", "start"): "start", filepath.Join(work, "Procfile"): "Procfile"} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ctx, dst), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	df := "FROM " + e.image + "\nCOPY start /start\nCOPY Procfile /app/Procfile\n"
	if err := os.WriteFile(filepath.Join(ctx, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	tag := "prodserver-k3s-herokuish:" + hex.EncodeToString(rnd[:])
	if _, err := dockerCmd("build", "-q", "-t", tag, ctx); err != nil {
		t.Fatalf("building the herokuish-shaped image: %v", err)
	}
	t.Cleanup(func() { _, _ = dockerCmd("image", "rm", "--force", tag) })
	return tag
}

// firstProcess is the container's PID 1 as `docker top` shows it: the one
// process whose parent is outside the container.
func firstProcess(t *testing.T, c *container) proc {
	t.Helper()
	all := c.top(t)
	in := map[int]bool{}
	for _, p := range all {
		in[p.pid] = true
	}
	for _, p := range all {
		if !in[p.ppid] {
			return p
		}
	}
	t.Fatalf("%s: no first process among %v", c.name, all)
	return proc{}
}
