package tests

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestK3sPodStartsRenderedLine deploys with scheduler-k3s selected (per
// app and globally) through the scheduler-k3s stand-in, for each builder,
// and reads the pod spec scheduler-k3s would apply: a herokuish image runs
// `/start PROC`, which reads the Procfile prodserver wrote into the
// image's source; a Dockerfile image runs the rendered line's words as
// args; a pack image runs them through `launcher`. ps's start-cmd and
// dockerfile-start-cmd replace the line where extractStartCommand says so,
// which is what the deploy warns about (TestStartCmdWarns).
func TestK3sPodStartsRenderedLine(t *testing.T) {
	cases := []struct {
		name, builder string
		global        bool
		prop, value   string // a ps property set before the deploy
		web           string // prodserver:backend web; "" keeps the detected one
		command       []string
		// args: nil means the rendered web line's words; otherwise exact
		args []string
		// renderErr is part of the error scheduler-k3s's apply would give
		renderErr string
	}{
		{name: "dockerfile per app", builder: "dockerfile"},
		{name: "dockerfile globally", builder: "dockerfile", global: true},
		{name: "herokuish per app", builder: "herokuish", args: []string{"/start", "web"}},
		{name: "herokuish globally", builder: "herokuish", global: true, args: []string{"/start", "web"}},
		{name: "pack", builder: "pack", command: []string{"launcher"}},
		{name: "dockerfile waitress SIGTERM form", builder: "dockerfile", web: "waitress"},
		{name: "dockerfile start-cmd replaces", builder: "dockerfile", prop: "start-cmd", value: "bin/start-everything --port=$PORT", args: []string{"bin/start-everything", "--port=5000"}},
		// Helm writes each arg unquoted (`- {{ . }}`): a bare number is a
		// YAML integer, which a container's args cannot hold.
		{name: "start-cmd with a bare number fails the apply", builder: "dockerfile", prop: "start-cmd", value: "bin/run --port $PORT", renderErr: "cannot unmarshal number"},
		{name: "dockerfile dockerfile-start-cmd replaces", builder: "dockerfile", prop: "dockerfile-start-cmd", value: "bin/run", args: []string{"bin/run"}},
		{name: "pack start-cmd replaces", builder: "pack", prop: "start-cmd", value: "bin/run", command: []string{"launcher"}, args: []string{"bin/run"}},
		{name: "pack dockerfile-start-cmd inert", builder: "pack", prop: "dockerfile-start-cmd", value: "bin/run", command: []string{"launcher"}},
		{name: "herokuish start-cmd inert", builder: "herokuish", prop: "start-cmd", value: "bin/run", args: []string{"/start", "web"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.EnableSchedulerK3s()
			h.CreateApp("shop")
			limits(h, "shop")
			k3sApp(h, "shop", c.global)
			h.WriteFile(filepath.Join(h.Lib, "config", "builder", "shop", "selected"), []byte(c.builder))
			if c.prop != "" {
				h.WriteFile(filepath.Join(h.Lib, "config", "ps", "shop", c.prop), []byte(c.value))
			}
			if c.web != "" {
				if r := h.Dokku("prodserver:backend", "shop", "web", c.web, "--skip-deploy"); r.Code != 0 {
					t.Fatal(r)
				}
			}
			d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			if c.renderErr != "" {
				if d.K3sErr == nil || !strings.Contains(d.K3sErr.Error(), c.renderErr) {
					t.Fatalf("render error %v, want one with %q", d.K3sErr, c.renderErr)
				}
				return
			}
			if d.K3sErr != nil || d.K3s == nil {
				t.Fatalf("scheduler-k3s render: %v", d.K3sErr)
			}
			pf, err := procfile.Parse([]byte(d.Procfile))
			if err != nil {
				t.Fatal(err)
			}
			line, ok := pf.Get("web")
			if !ok {
				t.Fatalf("no web line:\n%s", d.Procfile)
			}
			want := c.args
			if want == nil {
				// The line's own words with $PORT the pod's port: the
				// rendered lines hold no variable but $PORT, and quote
				// only the python -c code (one word, no spaces).
				want = strings.Fields(strings.ReplaceAll(line, "$PORT", "5000"))
				for i, w := range want {
					want[i] = strings.Trim(w, "'")
				}
			}
			dep, ok := d.K3s.Deployments["shop-web"]
			if !ok {
				t.Fatalf("no shop-web Deployment in %v:\n%s", d.K3s.Names(), d.K3s.Manifest)
			}
			ctr := dep.Container()
			if !reflect.DeepEqual(ctr.Args, want) || !reflect.DeepEqual(ctr.Command, c.command) {
				t.Errorf("web pod runs command %q args %q, want %q %q\nProcfile line: %s\n%s", ctr.Command, ctr.Args, c.command, want, line, d.K3s.Manifest)
			}
			if port, ok := ctr.EnvValue("PORT"); !ok || port != "5000" {
				t.Errorf("web pod PORT = %q (%v), want 5000", port, ok)
			}
			if c.web == "waitress" && (len(ctr.Args) < 3 || (ctr.Args[0] != "python" && ctr.Args[0] != "python3") || !strings.HasPrefix(ctr.Args[2], `signal=__import__("signal")`)) {
				t.Errorf("waitress on k3s should start its SIGTERM form, one -c word: %q", ctr.Args)
			}
			if c.builder == "herokuish" {
				// /start web reads the Procfile baked into the image: the
				// one prodserver wrote into the source before the build.
				b, err := os.ReadFile(filepath.Join(d.Work, "Procfile"))
				if err != nil {
					t.Fatal(err)
				}
				baked, err := procfile.Parse(b)
				if err != nil {
					t.Fatal(err)
				}
				if got, _ := baked.Get("web"); got != line {
					t.Errorf("the image's Procfile has web %q, want the rendered %q", got, line)
				}
			}
			worker := d.K3s.Deployments["shop-worker"].Container()
			if _, ok := worker.EnvValue("PORT"); ok {
				t.Errorf("worker pod has PORT; scheduler-k3s sets it for web only: %+v", worker.Env)
			}
			if len(worker.Args) == 0 {
				t.Errorf("worker pod has no args:\n%s", d.K3s.Manifest)
			}
		})
	}
}

// TestK3sHelmArgWarns: on scheduler-k3s with a Dockerfile or pack image, a
// word the chart's unquoted args would read as a number (here from
// prodserver:args given as two words) warns at deploy, and the stand-in's
// render shows the apply would indeed fail; herokuish pods run /start, and
// docker-local passes words as strings, so neither warns.
func TestK3sHelmArgWarns(t *testing.T) {
	cases := []struct {
		name, builder string
		k3s           bool
		args          []string
		warns         bool
	}{
		{"dockerfile split number", "dockerfile", true, []string{"--graceful-timeout", "20"}, true},
		{"pack split number", "pack", true, []string{"--graceful-timeout", "20"}, true},
		{"dockerfile joined", "dockerfile", true, []string{"--graceful-timeout=20"}, false},
		{"herokuish split number", "herokuish", true, []string{"--graceful-timeout", "20"}, false},
		{"docker-local split number", "dockerfile", false, []string{"--graceful-timeout", "20"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.EnableSchedulerK3s()
			h.CreateApp("shop")
			limits(h, "shop")
			if c.k3s {
				k3sApp(h, "shop", false)
			}
			h.WriteFile(filepath.Join(h.Lib, "config", "builder", "shop", "selected"), []byte(c.builder))
			if r := h.Dokku("prodserver:args", append([]string{"shop", "web", "--skip-deploy", "--"}, c.args...)...); r.Code != 0 {
				t.Fatal(r)
			}
			d := deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			out, errOut := d.Output()
			if got := strings.Contains(errOut, `web: scheduler-k3s writes each word of the line unquoted`) && strings.Contains(errOut, `["20"]`); got != c.warns {
				t.Errorf("warning %v, want %v:\n%s%s", got, c.warns, out, errOut)
			}
			if c.warns && (d.K3sErr == nil || !strings.Contains(d.K3sErr.Error(), "cannot unmarshal number")) {
				t.Errorf("the render should fail as the apply would: %v", d.K3sErr)
			}
		})
	}
}
