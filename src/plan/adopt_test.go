package plan

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/adopt"
	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
)

// twoCores sizes as a deploy does for a 2-CPU, 1 GB container.
func twoCores(_ string, b *backend.Backend, threads int) (int, int, string) {
	return tuning.Size(b, tuning.Limits{CPUs: 2, MemoryMB: 1024, From: "resource:limit"}, threads)
}

// TestAdoptGolden: the common hand-written Procfile lines, in auto mode,
// are adopted: the user's flags kept and winning, $PORT, sizing and the
// production defaults filled in, and the deploy told before and after.
func TestAdoptGolden(t *testing.T) {
	for _, c := range []struct {
		name, line string
		want       string
		warn       string // a warning that must be given
	}{
		{"gunicorn no flags", "web: gunicorn mysite.wsgi",
			"web: gunicorn --bind=0.0.0.0:$PORT --workers=3 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 mysite.wsgi:application", ""},
		{"gunicorn -w 4", "web: gunicorn mysite.wsgi -w 4",
			"web: gunicorn --bind=0.0.0.0:$PORT --workers=4 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 mysite.wsgi:application", ""},
		{"gunicorn --bind :8000", "web: gunicorn --bind :8000 mysite.wsgi:application",
			"web: gunicorn --bind=0.0.0.0:$PORT --workers=3 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 mysite.wsgi:application",
			"web: the Procfile's bind :8000 dropped"},
		{"gunicorn keeps unknown flags", "web: gunicorn mysite.wsgi --log-file - --timeout 60 --preload",
			"web: gunicorn --bind=0.0.0.0:$PORT --workers=3 --threads=8 --worker-connections=16 --graceful-timeout=25 '--forwarded-allow-ips=*' --access-logfile=- --max-requests=1000 --max-requests-jitter=100 --log-file=- --timeout=60 --preload mysite.wsgi:application", ""},
		{"uvicorn app:app", "web: uvicorn app:app",
			"web: uvicorn --host=0.0.0.0 --port=$PORT --workers=1 --proxy-headers '--forwarded-allow-ips=*' app:app", ""},
		{"uvicorn with its own port", "web: uvicorn mysite.asgi:application --port $PORT --host 0.0.0.0",
			"web: uvicorn --host=0.0.0.0 --port=$PORT --workers=1 --proxy-headers '--forwarded-allow-ips=*' mysite.asgi:application", ""},
		{"celery -A proj worker", "worker: celery -A proj worker",
			"worker: celery --app=proj worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=1000", ""},
		{"celery worker -l info -c 8", "worker: celery -A proj worker -l info -c 8 -Q high,low",
			"worker: celery --app=proj worker --loglevel=info --concurrency=8 --max-tasks-per-child=1000 --queues=high,low", ""},
		// An adopted -P decides the pool: gevent runs no child to recycle.
		{"celery worker -P gevent", "worker: celery -A proj worker -P gevent",
			"worker: celery --app=proj worker --loglevel=INFO --concurrency=2 --pool=gevent", ""},
		// The user's own recycling flag is kept and wins.
		{"celery worker --max-tasks-per-child 50", "worker: celery -A proj worker --max-tasks-per-child 50",
			"worker: celery --app=proj worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=50", ""},
		{"celery beat", "beat: celery -A proj beat -l info",
			"beat: celery --app=proj beat --loglevel=info", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			facts := djangoFacts()
			pl := Make(Inputs{Facts: facts, Procfile: []byte(c.line + "\n"), Concurrency: twoCores})
			name, _, _ := strings.Cut(c.want, ": ")
			if !strings.Contains(string(pl.Procfile), c.want+"\n") {
				t.Fatalf("Procfile:\n%s\nwant the line %s\nwarnings %q", pl.Procfile, c.want, pl.Warnings)
			}
			p := pl.Process(name)
			if p == nil || !p.Managed || p.Source != SourceProcfile || p.Adopted != strings.TrimPrefix(c.line, name+": ") {
				t.Fatalf("process %s = %+v, want managed, source Procfile, adopted from %q", name, p, c.line)
			}
			notice := strings.Join(pl.Notices, "\n")
			if !strings.Contains(notice, "before: "+p.Adopted) || !strings.Contains(notice, "after:  "+p.Command) {
				t.Errorf("notices %q do not show the line before and after", pl.Notices)
			}
			if c.warn != "" && !strings.Contains(strings.Join(pl.Warnings, "\n"), c.warn) {
				t.Errorf("warnings %q lack %q", pl.Warnings, c.warn)
			}
			// A second run over the rewritten Procfile changes nothing.
			again := Make(Inputs{Facts: facts, Procfile: pl.Procfile, Concurrency: twoCores})
			if string(again.Procfile) != string(pl.Procfile) {
				t.Errorf("second run changed the Procfile:\n%s\n→\n%s", pl.Procfile, again.Procfile)
			}
		})
	}
}

// TestAdoptKeeps: lines adopt cannot read, or that the operator keeps, stay
// byte for byte.
func TestAdoptKeeps(t *testing.T) {
	for _, c := range []struct {
		name, procfile string
		op             Operator
		warn           string
	}{
		{"adopt false", "web: gunicorn mysite.wsgi\n", Operator{Verbatim: true}, ""},
		{"enabled false", "web: gunicorn mysite.wsgi\n", Operator{Enabled: "false"}, ""},
		{"shell chain", "web: cd src && gunicorn mysite.wsgi\n", Operator{}, ""},
		{"env prefix", "web: WEB_CONCURRENCY=4 gunicorn mysite.wsgi\n", Operator{}, ""},
		{"wrapper", "web: newrelic-admin run-program gunicorn mysite.wsgi\n", Operator{}, ""},
		{"other variable", "web: gunicorn mysite.wsgi --workers $WORKERS\n", Operator{}, "variable other than $PORT"},
		{"config file", "web: gunicorn -c gunicorn.conf.py mysite.wsgi\n", Operator{}, "flag -c is left to you"},
		{"two positionals", "web: gunicorn --strange value mysite.wsgi\n", Operator{}, "want one application"},
		{"unknown short flag", "web: gunicorn -Z mysite.wsgi\n", Operator{}, "flag -Z is not one prodserver knows"},
		{"web server off web", "api: gunicorn mysite.wsgi\n", Operator{}, ""},
		{"comment and crlf", "# mine\r\nweb: uvicorn app:app --workers $W\r\n", Operator{}, "variable other than $PORT"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pl := Make(Inputs{Facts: djangoFacts(), Procfile: []byte(c.procfile), Operator: c.op, Concurrency: twoCores})
			if !strings.HasPrefix(string(pl.Procfile), c.procfile) {
				t.Fatalf("Procfile:\n%q\nwant it to keep %q", pl.Procfile, c.procfile)
			}
			if len(pl.Notices) > 0 {
				t.Errorf("notices %q for a line kept as written", pl.Notices)
			}
			got := strings.Join(pl.Warnings, "\n")
			if c.warn != "" && !strings.Contains(got, c.warn) {
				t.Errorf("warnings %q lack %q", pl.Warnings, c.warn)
			}
		})
	}
}

// TestGracefulFromStopTimeout: ps's stop-timeout-seconds, read at deploy,
// sets the drain time rendered, which ends before it.
func TestGracefulFromStopTimeout(t *testing.T) {
	for _, c := range []struct {
		stop int
		want string
	}{{0, "--graceful-timeout=25"}, {10, "--graceful-timeout=8"}, {60, "--graceful-timeout=50"}} {
		pl := Make(Inputs{Facts: djangoFacts(), StopTimeout: c.stop, StopTimeoutFrom: "app",
			Operator: Operator{Backends: map[string]string{"web": "hypercorn"}}})
		p := pl.Process("web")
		if p == nil || !strings.Contains(p.Command, " "+c.want+" ") {
			t.Errorf("stop-timeout %d: web = %+v, want %s", c.stop, p, c.want)
		}
		if pl.Graceful >= pl.StopTimeout || pl.StopTimeout == 0 {
			t.Errorf("stop-timeout %d: plan shows graceful %d of %d", c.stop, pl.Graceful, pl.StopTimeout)
		}
	}
}

// TestAdoptFixedPoint: a line prodserver rendered, read back as the user's
// own line (the next deploy of a repository that committed it), is adopted
// and rendered to the same bytes, for every backend adopt reads and for the
// project at the root and in a sub-folder. A flag the backend renders from
// its context (gunicorn --chdir, uvicorn --app-dir, granian --working-dir)
// must go back into that context, not become a user flag rendered
// elsewhere on the line.
func TestAdoptFixedPoint(t *testing.T) {
	for _, b := range backend.All() {
		proc := b.Name
		if b.Web {
			proc = "web"
		}
		for _, dir := range []string{"", "src"} {
			t.Run(b.Name+"/"+dir, func(t *testing.T) {
				facts := djangoFacts()
				for _, pkg := range b.Packages {
					facts.Packages[pkg] = ""
				}
				if dir != "" {
					facts.ProjectDir, facts.ManagePy = dir, dir+"/manage.py"
				}
				first := Make(Inputs{Facts: facts, Concurrency: twoCores,
					Operator: Operator{Backends: map[string]string{proc: b.Name}}})
				p := first.Process(proc)
				if p == nil || p.Backend != b.Name {
					t.Skipf("%s does not render for the test app: %q", b.Name, first.Warnings)
				}
				line, err := adopt.Parse(p.Command)
				if err != nil || line == nil {
					t.Skipf("adopt does not read %s lines (%v): kept as written, which is a fixed point", b.Program, err)
				}
				again := Make(Inputs{Facts: facts, Procfile: first.Procfile, Concurrency: twoCores})
				if string(again.Procfile) != string(first.Procfile) {
					t.Errorf("second deploy changed the Procfile:\n%s→\n%s", first.Procfile, again.Procfile)
				}
				if q := again.Process(proc); q == nil || q.Backend != b.Name || q.Adopted == "" {
					t.Errorf("second deploy's %s = %+v, want %s adopted", proc, q, b.Name)
				}
			})
		}
	}
}
