package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

// TestFailedDeployKeepsRunningRecord (issue 15): a deploy whose build or
// release fails after core-post-extract leaves the previous release
// running, so ps:restart's docker-args-process-deploy and prodserver's
// commands must keep acting on that release's record, not on the failed
// deploy's plan. The record a deploy writes becomes the app's only at
// core-post-deploy (scheduler-docker-local/scheduler-deploy), as ps's
// Procfile.$DOKKU_PID does; the next deploy that runs drops it, and its
// own record is what then applies.
func TestFailedDeployKeepsRunningRecord(t *testing.T) {
	noHuey := djangoTree(map[string]string{"requirements.txt": "Django==4.2.7\ngunicorn==21.2.0\ncelery[redis]==5.3.4\ndjango-celery-beat==2.5.0\n"})
	unreadable := djangoTree(map[string]string{"Procfile": "web: gunicorn shop.wsgi\n" + strings.Repeat("# padding\n", (4<<20)/10+1)})
	for _, c := range []struct {
		name, at string
		files    map[string]string
	}{
		{"build fails, huey dropped", "build", noHuey},
		{"release fails, huey dropped", "release", noHuey},
		{"build fails, source prodserver cannot read", "build", unreadable},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := harness.New(t)
			h.CreateApp("shop")
			limits(h, "shop")
			deployOK(t, h, "shop", tree(t, djangoTree(nil)))
			if r := dockerArgs(h, "shop", "huey", nil); !strings.Contains(r.Stdout, "--stop-signal=SIGINT") {
				t.Fatalf("first deploy: huey docker args %q", r.Stdout)
			}
			if d := h.DeployFailing("shop", tree(t, c.files), c.at); !d.Failed {
				t.Fatal("DeployFailing did not fail")
			}
			// ps:restart: a new dokku process, the running image.
			if r := dockerArgs(h, "shop", "huey", nil); r.Code != 0 || !strings.Contains(r.Stdout, "--stop-signal=SIGINT") {
				t.Errorf("after a failed deploy, ps:restart's huey docker args %q: the running release's --stop-signal=SIGINT is lost", r.Stdout)
			}
			if r := h.Dokku("prodserver:processes", "shop"); r.Code != 0 || !strings.Contains(r.Stdout, "huey") {
				t.Errorf("after a failed deploy, processes does not show the running release's huey:\n%s", r)
			}
			// The next deploy that runs is what applies, and no pending
			// record of the failed one is left behind.
			deployOK(t, h, "shop", tree(t, c.files))
			if r := dockerArgs(h, "shop", "huey", nil); r.Code != 0 || r.Stdout != "" {
				t.Errorf("after the next deploy ran, huey docker args %q (the old release's plan)", r.Stdout)
			}
			left, _ := filepath.Glob(filepath.Join(h.Lib, "data", "prodserver", "shop", "deploy.json.*"))
			if len(left) > 0 {
				t.Errorf("pending records left behind: %v", left)
			}
			if _, err := os.Stat(filepath.Join(h.Lib, "data", "prodserver", "shop", "deploy.json")); (err == nil) != (c.files["Procfile"] == "") {
				t.Errorf("deploy.json present = %v after the last deploy", err == nil)
			}
		})
	}
}
