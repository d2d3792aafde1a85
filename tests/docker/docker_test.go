package docker

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWebServesAndStops runs the web line prodserver renders for each web
// backend Debian packages and the fixture can use, in a container, expects
// 200 "ok" through the container's bridge IP, then stops it the way Dokku
// retires a container. waitress stops gracefully only on SIGINT, so it also
// proves the --stop-signal prodserver emits reaches the program through
// docker-init.
func TestWebServesAndStops(t *testing.T) {
	e := requireEngine(t)
	cases := []struct {
		name, backend string
		program       string // the rendered line's first word
		signal        string // the --stop-signal prodserver must emit
	}{
		{"detected", "", "gunicorn", ""}, // gunicorn with UvicornWorker: the fixture has asgi.py
		{"gunicorn", "gunicorn", "gunicorn", ""},
		{"uvicorn", "uvicorn", "uvicorn", ""},
		{"waitress", "waitress", "waitress-serve", "SIGINT"},
		// Debian's modular uWSGI: this Dockerfile installs
		// uwsgi-plugin-python3, so the line loads it first.
		{"uwsgi", "uwsgi", "uwsgi", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := deployFixture(t, deployOptions{web: tc.backend})
			argv := d.argv(t, "web")
			if argv[0] != tc.program {
				t.Fatalf("web runs %q, want %s", argv, tc.program)
			}
			if tc.program == "uwsgi" && argv[1] != "--plugin=python3" {
				t.Fatalf("web runs %q: the image's uwsgi-plugin-python3 is not loaded first", argv)
			}
			if got := d.stopSignal(t, "web"); got != tc.signal {
				t.Fatalf("docker-args-process-deploy gives web --stop-signal %q, want %q", got, tc.signal)
			}
			c := d.run(t, e, "web")
			url := "http://" + c.ip(t) + ":" + appPort + "/"
			status, body := getHTTP(t, c, url, startWithin)
			if status != 200 || body != "ok" {
				t.Fatalf("GET %s = %d %q, want 200 \"ok\"", url, status, body)
			}
			t.Logf("GET %s = %d %q from %q", url, status, body, argv)
			d.stopCleanly(t, c, "web", 0)
		})
	}
}

// TestWorkersRunTasksAndStop deploys the fixture as detected (Celery worker
// and beat, django-rq, django-q), runs the release line, starts every worker
// beside a real redis-server, sends each a task from a one-off container and
// waits for the marker the task writes, then stops each worker cleanly.
func TestWorkersRunTasksAndStop(t *testing.T) {
	e := requireEngine(t)
	redis := startRedis(t, e)
	d := deployFixture(t, deployOptions{redisURL: redis})

	release := d.argv(t, "release")
	if out := d.oneOff(t, e, "release", release...); !strings.Contains(out, "Applying shop.0001_initial... OK") {
		t.Fatalf("the release line %q did not migrate:\n%s", release, tail(out, 4000))
	}

	workers := []struct {
		proc     string
		marker   string // the file the task writes under /data/markers
		text     string // what it writes before " pid=N"
		wantExit int    // the program's exit code on a clean stop
	}{
		{"worker", "celery-task", "celery", 0},
		{"beat", "beat-tick", "beat", 0}, // beat enqueues it every second; the Celery worker runs it
		{"rq-worker", "rq-job", "rq", 0},
		{"django-q", "q-task", "django-q", 0},
	}
	running := map[string]*container{}
	for _, w := range workers {
		running[w.proc] = d.run(t, e, w.proc)
	}
	d.oneOff(t, e, "send", "python", "-c", strings.Join([]string{
		"import django; django.setup()",
		"import proj",
		"from shop.tasks import touch_marker; touch_marker.delay('celery-task')",
		"import django_rq; from shop.jobs import rq_job; django_rq.enqueue(rq_job, 'rq-job')",
		"from django_q.tasks import async_task; async_task('shop.jobs.q_task', 'q-task')",
	}, "\n"))
	for _, w := range workers {
		t.Run(w.proc, func(t *testing.T) {
			by := running[w.proc]
			if w.proc == "beat" {
				by = running["worker"] // the worker runs what beat scheduled
			}
			d.waitMarker(t, by, w.marker, w.text)
			t.Logf("%s: task marker %s written (%q)", w.proc, w.marker, d.argv(t, w.proc))
		})
	}
	for _, w := range workers {
		t.Run("stop/"+w.proc, func(t *testing.T) {
			d.stopCleanly(t, running[w.proc], w.proc, w.wantExit)
		})
	}
}

// TestConcurrencyUnderLimits sets `resource:limit --cpu 1 --memory 512m`
// before the deploy, starts the web and worker lines in containers with the
// --cpus=1 --memory=512m that the resource plugin gives them, and counts the
// processes inside: gunicorn's workers and Celery's pool must be what
// prodserver rendered for those limits.
func TestConcurrencyUnderLimits(t *testing.T) {
	e := requireEngine(t)
	redis := startRedis(t, e)
	d := deployFixture(t, deployOptions{web: "gunicorn", cpu: "1", memory: "512m", redisURL: redis})
	if r := d.h.Dokku("prodserver:processes", appName); !strings.Contains(r.Stdout, "1 CPU, 512 MB") {
		t.Errorf("prodserver:processes does not say it sized for 1 CPU, 512 MB:\n%s", r)
	}
	limits := []string{"--cpus=1", "--memory=512m"}
	cases := []struct {
		proc, option string // the rendered option holding the process count
		// child tells the leader's children that count (not helpers).
		child string
	}{
		{"web", "--workers", "gunicorn"},
		{"worker", "--concurrency", "celery"},
	}
	for _, tc := range cases {
		t.Run(tc.proc, func(t *testing.T) {
			want := optionValue(t, d.argv(t, tc.proc), tc.option)
			c := d.run(t, e, tc.proc, limits...)
			if got := c.inspect(t, "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}"); got != fmt.Sprintf("%d %d", int64(1e9), 512<<20) {
				t.Fatalf("container limits (NanoCpus Memory) = %s, want 1 CPU and 512 MiB", got)
			}
			got, procs := waitChildren(t, c, tc.child, want)
			if got != want {
				t.Fatalf("%s runs %d %s processes under --cpus=1 --memory=512m, prodserver rendered %s=%d; processes:\n%s",
					tc.proc, got, tc.child, tc.option, want, procs)
			}
			t.Logf("%s: %d %s processes inside, as rendered (%s=%d)", tc.proc, got, tc.child, tc.option, want)
			d.stopCleanly(t, c, tc.proc, 0)
		})
	}
}

// waitChildren waits until the leader has started want children whose
// command line holds name and the count stays there for a second (a pool
// starts its processes one by one), or until startWithin; it returns the
// last count and the process list for the message.
func waitChildren(t *testing.T, c *container, name string, want int) (int, string) {
	t.Helper()
	deadline := time.Now().Add(startWithin)
	var n, stableSince int
	var list string
	for i := 0; ; i++ {
		if run, code := c.running(t); !run {
			t.Fatalf("%s exited (code %d); logs:\n%s", c.name, code, tail(c.logs(), 4000))
		}
		_, kids, all := c.children(t)
		count := 0
		for _, k := range kids {
			if strings.Contains(k.args, name) {
				count++
			}
		}
		var b strings.Builder
		for _, p := range all {
			b.WriteString(strconv.Itoa(p.pid) + " " + strconv.Itoa(p.ppid) + " " + p.args + "\n")
		}
		list = b.String()
		if count != n {
			n, stableSince = count, i
		}
		if n == want && i-stableSince >= 4 {
			return n, list
		}
		if time.Now().After(deadline) {
			return n, list
		}
		time.Sleep(250 * time.Millisecond)
	}
}
