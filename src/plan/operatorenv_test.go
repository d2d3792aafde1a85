package plan

import (
	"strings"
	"testing"
)

// TestOperatorEnv: WEB_CONCURRENCY and GUNICORN_CMD_ARGS in the app's
// config are the operator's words: the render takes the count from them,
// renders no flag GUNICORN_CMD_ARGS sets (gunicorn's command line would
// override it), keeps the bind Dokku routes to, and says what it did.
func TestOperatorEnv(t *testing.T) {
	for _, c := range []struct {
		name        string
		backend     string
		env         map[string]string
		op          Operator
		has, hasNot []string // substrings of the web command
		from        string   // WorkersFrom
		say         string   // in a warning or notice
	}{
		{"WEB_CONCURRENCY sizes gunicorn", "gunicorn", map[string]string{"WEB_CONCURRENCY": "5"}, Operator{},
			[]string{"--workers=5 "}, nil, "WEB_CONCURRENCY (app config)", ""},
		{"WEB_CONCURRENCY sizes uvicorn", "uvicorn", map[string]string{"WEB_CONCURRENCY": "3"}, Operator{},
			[]string{"--workers=3 "}, nil, "WEB_CONCURRENCY (app config)", ""},
		{"workers setting overrides it, with a warning", "gunicorn", map[string]string{"WEB_CONCURRENCY": "5"}, Operator{Workers: 7},
			[]string{"--workers=7 "}, nil, "workers setting", "WEB_CONCURRENCY=5 in the app's config is overridden by --workers=7"},
		{"WEB_CONCURRENCY not a number", "gunicorn", map[string]string{"WEB_CONCURRENCY": "lots"}, Operator{},
			[]string{"--workers=3 "}, nil, "", "WEB_CONCURRENCY in the app's config is not a whole number"},
		{"waitress does not read it", "waitress", map[string]string{"WEB_CONCURRENCY": "5"}, Operator{},
			[]string{"--threads="}, []string{"--workers"}, "", ""},
		{"GUNICORN_CMD_ARGS workers and timeout", "gunicorn", map[string]string{"GUNICORN_CMD_ARGS": "--workers=4 --graceful-timeout 10 -t 90"}, Operator{},
			[]string{"--bind=0.0.0.0:$PORT", "--threads=8"}, []string{"--workers=", "--graceful-timeout=", "--timeout="}, "GUNICORN_CMD_ARGS (app config)",
			"--graceful-timeout --timeout --workers left to GUNICORN_CMD_ARGS"},
		{"GUNICORN_CMD_ARGS bind kept ours", "gunicorn", map[string]string{"GUNICORN_CMD_ARGS": "--bind=127.0.0.1:8000"}, Operator{},
			[]string{"--bind=0.0.0.0:$PORT"}, nil, "", "GUNICORN_CMD_ARGS in the app's config sets --bind"},
	} {
		t.Run(c.name, func(t *testing.T) {
			facts := djangoFacts()
			facts.Packages["waitress"] = ""
			op := c.op
			op.Backends = map[string]string{"web": c.backend}
			pl := Make(Inputs{Facts: facts, Env: c.env, Operator: op, Concurrency: twoCores})
			p := pl.Process("web")
			if p == nil || p.Backend != c.backend {
				t.Fatalf("web = %+v; warnings %q", p, pl.Warnings)
			}
			for _, s := range c.has {
				if !strings.Contains(p.Command, s) {
					t.Errorf("command %q lacks %q", p.Command, s)
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(p.Command, s) {
					t.Errorf("command %q has %q", p.Command, s)
				}
			}
			if c.from != "" && p.WorkersFrom != c.from {
				t.Errorf("workers from %q, want %q", p.WorkersFrom, c.from)
			}
			said := strings.Join(append(pl.Warnings, pl.Notices...), "\n")
			if c.say != "" && !strings.Contains(said, c.say) {
				t.Errorf("warnings and notices %q lack %q", said, c.say)
			}
			if c.say == "" && strings.Contains(said, "WEB_CONCURRENCY") {
				t.Errorf("unexpected %q", said)
			}
		})
	}
}

// TestCeleryWorkerConcurrencyEnv: CELERY_WORKER_CONCURRENCY in the app's
// config is the operator's worker pool size, as WEB_CONCURRENCY is the web
// server's: it sizes the celery worker's --concurrency (shown with its
// source), an explicit count overrides it with a warning naming both, and
// a value that is not a count is refused without being printed.
func TestCeleryWorkerConcurrencyEnv(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		op   Operator
		has  string // in the worker command
		from string // WorkersFrom
		say  string // in a warning
	}{
		{"sizes the worker", map[string]string{"CELERY_WORKER_CONCURRENCY": "6"}, Operator{}, "--concurrency=6", "CELERY_WORKER_CONCURRENCY (app config)", ""},
		{"workers setting overrides it, with a warning", map[string]string{"CELERY_WORKER_CONCURRENCY": "6"}, Operator{Workers: 3}, "--concurrency=3", "workers setting",
			"CELERY_WORKER_CONCURRENCY=6 in the app's config is overridden by --concurrency=3"},
		{"not a number", map[string]string{"CELERY_WORKER_CONCURRENCY": "s3cr3t"}, Operator{}, "--concurrency=2", "", "CELERY_WORKER_CONCURRENCY in the app's config is not a whole number"},
		{"WEB_CONCURRENCY does not size celery", map[string]string{"WEB_CONCURRENCY": "9"}, Operator{}, "--concurrency=2", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			pl := Make(Inputs{Facts: djangoFacts(), Env: c.env, Operator: c.op, Concurrency: twoCores})
			p := pl.Process("worker")
			if p == nil || p.Backend != "celery-worker" {
				t.Fatalf("worker = %+v; warnings %q", p, pl.Warnings)
			}
			if !strings.Contains(p.Command+" ", c.has+" ") {
				t.Errorf("command %q lacks %q", p.Command, c.has)
			}
			if c.from != "" && p.WorkersFrom != c.from {
				t.Errorf("workers from %q, want %q", p.WorkersFrom, c.from)
			}
			said := strings.Join(pl.Warnings, "\n")
			if c.say != "" && !strings.Contains(said, "worker: "+c.say) {
				t.Errorf("warnings %q lack %q", said, c.say)
			}
			if c.say == "" && strings.Contains(said, "CONCURRENCY") {
				t.Errorf("unexpected %q", said)
			}
			if strings.Contains(said, "s3cr3t") {
				t.Errorf("a warning prints the config value: %q", said)
			}
		})
	}
}
