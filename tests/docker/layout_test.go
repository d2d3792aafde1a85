package docker

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
	"github.com/dokku-prodserver/dokku-prodserver/tests/realserver"
)

// layoutDockerfile holds the fixture app, which the tree keeps in backend/,
// flat in its WORKDIR, and names the settings module in ENV: the layout of
// tests/fixtures/layouts/dockerfile-workdir-flat. BASE is the fixture image,
// itself built FROM prodserver-base:bookworm, for its Debian servers.
const layoutDockerfile = `ARG BASE=prodserver-base:bookworm
FROM ${BASE}
ENV PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=proj.settings
WORKDIR /srv/app
COPY backend/ .
`

// TestDockerfileLayoutServes deploys a tree whose Dockerfile copies the
// project folder flat into WORKDIR, builds it with `docker build`, and
// starts the rendered release and web lines as Dokku starts a Dockerfile
// app's processes: the web line must answer 200 "ok". Rendered from the
// checkout (`--chdir=backend`, `python backend/manage.py`), neither could
// start, because the image has no backend/ folder.
func TestDockerfileLayoutServes(t *testing.T) {
	e := requireEngine(t)
	src := realserver.CopyFixtureAt(t, "djangoapp", "backend")
	if err := os.WriteFile(filepath.Join(src, "Dockerfile"), []byte(layoutDockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	h := harness.New(t)
	h.CreateApp(appName)
	d := &deployed{h: h, data: t.TempDir(), config: map[string]string{
		"DATABASE_PATH": "/data/db.sqlite3",
		"MARKER_DIR":    "/data/markers",
		"SECRET_KEY":    "docker-tier-secret-key",
	}}
	h.SetConfig(appName, d.config)
	res := h.Deploy(appName, src)
	if res.Failed {
		o, errOut := res.Output()
		t.Fatalf("deploy failed:\n%s\n%s", o, errOut)
	}
	t.Logf("rendered Procfile:\n%s", res.Procfile)
	f, err := procfile.Parse([]byte(res.Procfile))
	if err != nil {
		t.Fatalf("parsing the rendered Procfile: %v\n%s", err, res.Procfile)
	}
	d.procfile, d.dockerArgs, d.stopTimeout = f, res.DockerArgs, stopTimeoutSeconds(t, h)

	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	image := "prodserver-layout:" + hex.EncodeToString(rnd[:])
	if out, err := exec.Command("docker", "build", "--build-arg", "BASE="+e.image, "--tag", image, src).CombinedOutput(); err != nil {
		t.Fatalf("docker build of the layout: %v\n%s", err, tail(string(out), 4000))
	}
	t.Cleanup(func() {
		if _, err := dockerCmd("image", "rm", "--force", image); err != nil {
			t.Logf("removing %s: %v", image, err)
		}
	})
	img := &engine{image: image}

	release := d.argv(t, "release")
	if slices.Contains(release, "backend/manage.py") {
		t.Fatalf("release runs %q: the image holds manage.py in WORKDIR, not in backend/", release)
	}
	d.oneOff(t, img, "release", release...)

	argv := d.argv(t, "web")
	for _, w := range argv {
		if strings.Contains(w, "backend") {
			t.Fatalf("web runs %q: the image has no backend/ folder", argv)
		}
	}
	c := d.run(t, img, "web")
	url := "http://" + c.ip(t) + ":" + appPort + "/"
	status, body := getHTTP(t, c, url, startWithin)
	if status != 200 || body != "ok" {
		t.Fatalf("GET %s = %d %q, want 200 \"ok\"", url, status, body)
	}
	t.Logf("GET %s = %d %q from %q", url, status, body, argv)
	d.stopCleanly(t, c, "web", 0)
}
