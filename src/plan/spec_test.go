package plan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

func TestAppJSON(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		found bool
		err   string
		check func(t *testing.T, c *Config)
	}{
		{"no section", `{"name":"x","scripts":{}}`, false, "", nil},
		{"full", `{"prodserver":{"release":"none","processes":{
			"web":{"backend":"uvicorn","options":{"timeout-keep-alive":5,"proxy-headers":true,"header":["a:1","b:2"],"ratio":0.5,"log-level":"info"}},
			"worker":{"backend":"celery-worker","app":"proj.celery","scale":2,"workers":4,"threads":3,"args":["--max-tasks-per-child","100"]}}}}`, true, "",
			func(t *testing.T, c *Config) {
				if c.Release != "none" || len(c.Processes) != 2 || c.Processes[0].Name != "web" || c.Processes[1].Name != "worker" {
					t.Fatalf("config %+v", c)
				}
				want := []backend.Option{{Key: "timeout-keep-alive", Value: int64(5)}, {Key: "proxy-headers", Value: true},
					{Key: "header", Value: []string{"a:1", "b:2"}}, {Key: "ratio", Value: 0.5}, {Key: "log-level", Value: "info"}}
				if !reflect.DeepEqual(c.Processes[0].Options, want) {
					t.Errorf("options %#v", c.Processes[0].Options)
				}
				w := c.Processes[1]
				if w.App != "proj.celery" || w.Scale != 2 || w.Workers != 4 || w.Threads != 3 || !reflect.DeepEqual(w.Args, []string{"--max-tasks-per-child", "100"}) {
					t.Errorf("worker %+v", w)
				}
			}},
		{"shorthand", `{"prodserver":{"processes":{"web":"gunicorn"}}}`, true, "", func(t *testing.T, c *Config) {
			if c.Processes[0].Backend != "gunicorn" {
				t.Errorf("%+v", c)
			}
		}},
		{"broken json", `{"prodserver":`, false, "not valid JSON", nil},
		{"section not object", `{"prodserver":[1]}`, true, "must be an object", nil},
		{"unknown key", `{"prodserver":{"proceses":{}}}`, true, "proceses is not a known key", nil},
		{"bad proc name", `{"prodserver":{"processes":{"Web_1":{"backend":"gunicorn"}}}}`, true, "lowercase letters", nil},
		{"backend not string", `{"prodserver":{"processes":{"web":{"backend":5}}}}`, true, "backend must be a string", nil},
		{"scale not number", `{"prodserver":{"processes":{"w":{"backend":"rq-worker","scale":"2"}}}}`, true, "scale must be a whole number", nil},
		{"threads too many", `{"prodserver":{"processes":{"web":{"backend":"gunicorn","threads":2000}}}}`, true, "threads must be a whole number", nil},
		{"fractional workers", `{"prodserver":{"processes":{"w":{"backend":"rq-worker","workers":1.5}}}}`, true, "workers must be a whole number", nil},
		{"object option", `{"prodserver":{"processes":{"web":{"backend":"gunicorn","options":{"x":{"y":1}}}}}}`, true, "options.x", nil},
		{"args not strings", `{"prodserver":{"processes":{"web":{"backend":"gunicorn","args":[1]}}}}`, true, "args must be a list of strings", nil},
		{"duplicate process", `{"prodserver":{"processes":{"web":"gunicorn","web":"uvicorn"}}}`, true, "declared twice", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, found, err := AppJSON([]byte(c.in))
			if found != c.found {
				t.Errorf("found = %v", found)
			}
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.check != nil {
				c.check(t, cfg)
			}
		})
	}
}

func dict(kv ...any) *pyliteral.Dict {
	d := &pyliteral.Dict{}
	for i := 0; i < len(kv); i += 2 {
		d.Keys = append(d.Keys, kv[i])
		d.Values = append(d.Values, kv[i+1])
	}
	return d
}

func TestProductionProcesses(t *testing.T) {
	v := dict(
		"web", dict("BACKEND", "django_prodserver.backends.gunicorn.GunicornServer", "ARGS", dict("bind", "0.0.0.0:8111", "workers", int64(4), "threads", int64(2), "preload", true)),
		"worker", dict("BACKEND", "django_prodserver.backends.workers.celery.CeleryWorker", "APP", "proj.celery.app", "ARGS", dict("concurrency", int64(2))),
		"beat", dict("BACKEND", "django_prodserver.backends.servers.celery.CeleryBeat"),
		"dev", dict("BACKEND", "django_prodserver.backends.dev.DevServer"),
		"tasks", dict("BACKEND", "django_prodserver.backends.django_tasks.DjangoTasksWorker", "ARGS", "--queue-name 'a b'"),
	)
	cfg, warns, err := ProductionProcesses(v)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, p := range cfg.Processes {
		names = append(names, p.Name+"="+p.Backend)
	}
	if !reflect.DeepEqual(names, []string{"web=gunicorn", "worker=celery-worker", "tasks=django-tasks"}) {
		t.Errorf("processes %v", names)
	}
	web := cfg.Proc("web")
	// bind would replace --bind=0.0.0.0:$PORT: dropped for a web backend.
	if web.Workers != 4 || web.Threads != 2 || !reflect.DeepEqual(web.Options, []backend.Option{{Key: "preload", Value: true}}) {
		t.Errorf("web %+v", web)
	}
	plan := Make(Inputs{Facts: djangoFacts(), Settings: cfg})
	if p := plan.Process("web"); p == nil || !strings.Contains(p.Command, "--bind=0.0.0.0:$PORT") || strings.Contains(p.Command, "8111") ||
		!strings.Contains(p.Command, "--workers=4 --threads=2 ") {
		t.Errorf("web command %+v", p)
	}
	if w := cfg.Proc("worker"); w.App != "proj.celery.app" || w.Workers != 2 {
		t.Errorf("worker %+v", w)
	}
	if tk := cfg.Proc("tasks"); !reflect.DeepEqual(tk.Args, []string{"--queue-name", "a b"}) {
		t.Errorf("tasks args %q", tk.Args)
	}
	if len(warns) != 3 || !strings.Contains(strings.Join(warns, "\n"), "dev.DevServer") || !strings.Contains(strings.Join(warns, "\n"), "CeleryBeat") ||
		!strings.Contains(strings.Join(warns, "\n"), "bind dropped") {
		t.Errorf("warnings %v", warns)
	}

	for name, bad := range map[string]pyliteral.Value{
		"not a dict":      []pyliteral.Value{"x"},
		"entry not dict":  dict("web", "gunicorn"),
		"no backend":      dict("web", dict("ARGS", dict())),
		"bad args":        dict("web", dict("BACKEND", "django_prodserver.backends.gunicorn.GunicornServer", "ARGS", int64(3))),
		"bad name":        dict("web server", dict("BACKEND", "django_prodserver.backends.gunicorn.GunicornServer")),
		"app not string":  dict("w", dict("BACKEND", "django_prodserver.backends.celery.CeleryWorker", "APP", int64(1))),
		"unterminated":    dict("w", dict("BACKEND", "django_prodserver.backends.celery.CeleryWorker", "ARGS", "--x 'a")),
		"nested option":   dict("w", dict("BACKEND", "django_prodserver.backends.celery.CeleryWorker", "ARGS", dict("x", dict()))),
		"non-string keys": dict(int64(1), dict("BACKEND", "x")),
	} {
		if _, _, err := ProductionProcesses(bad); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// djangoFacts is a detected Django project with the usual dependencies.
func djangoFacts() *project.Facts {
	return &project.Facts{
		Django: true, ManagePy: "manage.py", Settings: "proj.settings",
		WSGI: "proj.wsgi:application", ASGI: "proj.asgi:application",
		CeleryApp: "proj", CeleryBeat: true, Queues: []string{project.QueueCelery},
		Packages:        map[string]string{"django": "", "gunicorn": "", "celery": "", "uvicorn": ""},
		DependencyFiles: []string{"requirements.txt"},
	}
}

func names(p *Plan) []string {
	var out []string
	for _, pr := range p.Processes {
		out = append(out, pr.Name+"="+pr.Backend+"/"+string(pr.Source))
	}
	return out
}

func TestMakeSources(t *testing.T) {
	fixed := func(string, *backend.Backend, int) (int, int, string) { return 3, 0, "test" }
	cases := []struct {
		name     string
		in       Inputs
		want     []string
		procfile string // substring expected in the output Procfile
		keep     string // substring that must survive
		active   bool
	}{
		{
			name:   "not django, nothing declared: untouched",
			in:     Inputs{Facts: &project.Facts{}, Procfile: []byte("web: node server.js\n")},
			want:   []string{},
			active: false,
		},
		{
			name:     "detected django fills the gaps",
			in:       Inputs{Facts: djangoFacts(), Procfile: nil},
			want:     []string{"web=gunicorn/detected", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			procfile: "web: gunicorn",
			active:   true,
		},
		{
			name:   "user's web line kept with adopt false",
			in:     Inputs{Facts: djangoFacts(), Operator: Operator{Verbatim: true}, Procfile: []byte("# mine\nweb: gunicorn proj.wsgi --log-file -\n")},
			want:   []string{"web=/Procfile", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			keep:   "# mine\nweb: gunicorn proj.wsgi --log-file -\n",
			active: true,
		},
		{
			name:     "user's web line adopted in auto mode",
			in:       Inputs{Facts: djangoFacts(), Procfile: []byte("# mine\nweb: gunicorn proj.wsgi --log-file -\n")},
			want:     []string{"web=gunicorn/Procfile", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			procfile: "# mine\nweb: gunicorn --bind=0.0.0.0:$PORT",
			keep:     "--log-file=- proj.wsgi:application\n",
			active:   true,
		},
		{
			name:     "runserver web line replaced",
			in:       Inputs{Facts: djangoFacts(), Procfile: []byte("web: python manage.py runserver 0.0.0.0:$PORT\n")},
			want:     []string{"web=gunicorn/detected", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			procfile: "web: gunicorn",
			active:   true,
		},
		{
			name:     "python -m manage runserver web line replaced",
			in:       Inputs{Facts: djangoFacts(), Procfile: []byte("web: python -m manage runserver 0.0.0.0:$PORT\n")},
			want:     []string{"web=gunicorn/detected", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			procfile: "web: gunicorn",
			active:   true,
		},
		{
			name:     "django-admin runserver web line replaced",
			in:       Inputs{Facts: djangoFacts(), Procfile: []byte("web: django-admin runserver --settings=proj.settings 0.0.0.0:$PORT\n")},
			want:     []string{"web=gunicorn/detected", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			procfile: "web: gunicorn",
			active:   true,
		},
		{
			name:     "runserver_plus web line replaced",
			in:       Inputs{Facts: djangoFacts(), Procfile: []byte("web: python manage.py runserver_plus 0.0.0.0:$PORT\n")},
			want:     []string{"web=gunicorn/detected", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			procfile: "web: gunicorn",
			active:   true,
		},
		{
			name:     "make target running runserver web line replaced",
			in:       Inputs{Facts: withDevTargets(djangoFacts(), []string{"run"}...), Procfile: []byte("web: make run\n")},
			want:     []string{"web=gunicorn/detected", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			procfile: "web: gunicorn",
			active:   true,
		},
		{
			name:   "make target not running runserver kept",
			in:     Inputs{Facts: withDevTargets(djangoFacts(), "dev"), Procfile: []byte("web: make run\n")},
			want:   []string{"web=/Procfile", "worker=celery-worker/detected", "beat=celery-beat/detected", "release=migrate/detected"},
			keep:   "web: make run\n",
			active: true,
		},
		{
			name:     "enabled=true takes over detected names",
			in:       Inputs{Facts: djangoFacts(), Operator: Operator{Enabled: "true"}, Procfile: []byte("web: gunicorn proj.wsgi\nrelease: ./release.sh\ncustom: ./run.sh\n")},
			want:     []string{"web=gunicorn/detected", "release=migrate/detected", "custom=/Procfile", "worker=celery-worker/detected", "beat=celery-beat/detected"},
			keep:     "custom: ./run.sh\n",
			procfile: "release: python manage.py migrate --noinput",
			active:   true,
		},
		{
			name: "app.json beats settings.py beats detection; operator beats all",
			in: Inputs{Facts: djangoFacts(),
				AppJSON:  &Config{Source: SourceAppJSON, Processes: []ProcConfig{{Name: "web", Backend: "uvicorn"}, {Name: "worker", Backend: "celery-worker", Scale: 2}}},
				Settings: &Config{Source: SourceSettings, Processes: []ProcConfig{{Name: "web", Backend: "waitress"}, {Name: "beat", Backend: "celery-beat"}, {Name: "tasks", Backend: "rq-worker"}}},
				Operator: Operator{Backends: map[string]string{"tasks": "django-q"}}},
			want:   []string{"web=uvicorn/app.json", "tasks=django-q/operator", "worker=celery-worker/app.json", "beat=celery-beat/settings.py", "release=migrate/detected"},
			active: true,
		},
		{
			name:   "release none",
			in:     Inputs{Facts: djangoFacts(), Operator: Operator{Release: "none"}},
			want:   []string{"web=gunicorn/detected", "worker=celery-worker/detected", "beat=celery-beat/detected"},
			active: true,
		},
		{
			name:   "disabled",
			in:     Inputs{Facts: djangoFacts(), Operator: Operator{Enabled: "false"}, Procfile: []byte("web: x\n")},
			want:   []string{},
			active: false,
		},
		{
			name:   "unparsable Procfile untouched",
			in:     Inputs{Facts: djangoFacts(), Procfile: []byte("web: a\nweb: b\n")},
			want:   []string{},
			active: false,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.in.Concurrency = fixed
			p := Make(c.in)
			got := names(p)
			if got == nil {
				got = []string{}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("processes\n got %v\nwant %v", got, c.want)
			}
			if p.Active != c.active {
				t.Errorf("active = %v", p.Active)
			}
			out := string(p.Procfile)
			if c.procfile != "" && !strings.Contains(out, c.procfile) {
				t.Errorf("Procfile lacks %q:\n%s", c.procfile, out)
			}
			if c.keep != "" && !strings.Contains(out, c.keep) {
				t.Errorf("Procfile lost %q:\n%s", c.keep, out)
			}
			if !c.active && string(p.Procfile) != string(c.in.Procfile) {
				t.Errorf("inactive plan changed the Procfile:\n%s", out)
			}
			// Idempotent: planning again on the output changes nothing.
			if c.active {
				again := c.in
				again.Procfile = p.Procfile
				p2 := Make(again)
				if string(p2.Procfile) != string(p.Procfile) || p2.Changed {
					t.Errorf("second run changed the Procfile:\n%s\n---\n%s", p.Procfile, p2.Procfile)
				}
			}
		})
	}
}

func TestMakeKeepsBytes(t *testing.T) {
	in := "# Procfile for shop\r\nweb: python manage.py runserver 0.0.0.0:$PORT\r\n\r\n  # custom below\r\nclock: ./bin/clock --tick=5\r\nworker: celery -A proj worker"
	// adopt false: the celery line is the user's, kept as written.
	p := Make(Inputs{Facts: djangoFacts(), Procfile: []byte(in), Operator: Operator{Verbatim: true}})
	out := string(p.Procfile)
	for _, keep := range []string{"# Procfile for shop\r\n", "\r\n\r\n  # custom below\r\nclock: ./bin/clock --tick=5\r\n", "worker: celery -A proj worker"} {
		if !strings.Contains(out, keep) {
			t.Errorf("lost %q:\n%q", keep, out)
		}
	}
	if !strings.Contains(out, "web: gunicorn") || strings.Contains(out, "runserver") {
		t.Errorf("runserver not replaced:\n%q", out)
	}
	if strings.Count(out, "\r\n") < 6 {
		t.Errorf("CRLF endings not kept for new lines:\n%q", out)
	}
}

func TestBackendSwapChangesOneLine(t *testing.T) {
	base := Inputs{Facts: djangoFacts(), Operator: Operator{Enabled: "true"}}
	p1 := Make(base)
	swapped := base
	swapped.Procfile = p1.Procfile
	swapped.Operator.Backends = map[string]string{"web": "uvicorn"}
	p2 := Make(swapped)
	l1 := strings.Split(string(p1.Procfile), "\n")
	l2 := strings.Split(string(p2.Procfile), "\n")
	if len(l1) != len(l2) {
		t.Fatalf("line count changed:\n%s\n---\n%s", p1.Procfile, p2.Procfile)
	}
	diff := 0
	for i := range l1 {
		if l1[i] != l2[i] {
			diff++
			if !strings.HasPrefix(l2[i], "web: uvicorn ") {
				t.Errorf("unexpected change %q -> %q", l1[i], l2[i])
			}
		}
	}
	if diff != 1 {
		t.Errorf("%d lines changed, want 1", diff)
	}
}

func TestDependencyCheck(t *testing.T) {
	f := djangoFacts()
	f.Packages = map[string]string{"django": ""}
	p := Make(Inputs{Facts: f})
	joined := strings.Join(p.Warnings, "\n")
	if !strings.Contains(joined, "gunicorn") || !strings.Contains(joined, "celery") {
		t.Errorf("warnings %v", p.Warnings)
	}
	if len(p.Errors) != 0 {
		t.Errorf("errors without strict: %v", p.Errors)
	}
	p = Make(Inputs{Facts: f, Operator: Operator{Strict: true}})
	if len(p.Errors) == 0 {
		t.Error("strict: no errors")
	}
	// Locked versions count as declared.
	f.Locked = map[string]string{"gunicorn": "21.2", "celery": "5.3", "django-celery-beat": "2.5"}
	p = Make(Inputs{Facts: f, Operator: Operator{Strict: true}})
	for _, e := range p.Errors {
		if strings.Contains(e, "needs the Python package gunicorn") {
			t.Errorf("locked gunicorn reported: %v", e)
		}
	}
}

func TestDetectWebBackend(t *testing.T) {
	cases := []struct {
		asgi bool
		pkgs []string
		want string
	}{
		{false, []string{"gunicorn"}, "gunicorn"},
		{false, []string{"uwsgi"}, "uwsgi"},
		{false, []string{"waitress"}, "waitress"},
		{false, nil, "gunicorn"},
		{true, []string{"gunicorn", "uvicorn"}, "gunicorn-uvicorn"},
		{true, []string{"uvicorn"}, "uvicorn"},
		{true, []string{"daphne", "channels"}, "daphne"},
		{true, []string{"hypercorn"}, "hypercorn"},
		{true, nil, "uvicorn"},
	}
	for _, c := range cases {
		f := &project.Facts{Django: true, NeedsASGI: c.asgi, WSGI: "p.wsgi:application", ASGI: "p.asgi:application", Packages: map[string]string{}}
		for _, p := range c.pkgs {
			f.Packages[p] = ""
		}
		if got := Detect(f)[0].Backend; got != c.want {
			t.Errorf("asgi=%v pkgs=%v: %s, want %s", c.asgi, c.pkgs, got, c.want)
		}
	}
}

func TestBeatSchedulerFromSettings(t *testing.T) {
	f := djangoFacts()
	f.BeatScheduler = "redbeat.RedBeatScheduler"
	p := Make(Inputs{Facts: f})
	beat := p.Process("beat")
	if beat == nil || !strings.HasSuffix(beat.Command, " --scheduler=redbeat.RedBeatScheduler") {
		t.Errorf("beat %+v", beat)
	}
	f.BeatScheduler = ""
	f.Packages["django-celery-beat"] = ""
	if beat := Make(Inputs{Facts: f}).Process("beat"); !strings.Contains(beat.Command, "DatabaseScheduler") {
		t.Errorf("beat without setting %+v", beat)
	}
}

// TestAppJSONErrorsOneLine: keys from app.json reach errors quoted and cut,
// so a warning stays one line that no key can forge or flood.
func TestAppJSONErrorsOneLine(t *testing.T) {
	for in, want := range map[string]string{
		`{"prodserver":{"processes":{"we\nb":"gunicorn"}}}`:                                        `prodserver.processes."we\nb": process name`,
		`{"prodserver":{"proc\u0000esses":{}}}`:                                                    `prodserver."proc\x00esses" is not a known key`,
		`{"prodserver":{"processes":{"web":{"backend":"gunicorn","options":{"k\u001b[31m":{}}}}}}`: `prodserver.processes.web.options."k\x1b[31m": must be`,
		`{"prodserver":{"processes":{"web":{"` + strings.Repeat("x", 5000) + `":1}}}}`:             `prodserver.processes.web."` + strings.Repeat("x", 64) + `"… is not a known key`,
	} {
		_, _, err := AppJSON([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || strings.ContainsAny(err.Error(), "\n\x00\x1b") || len(err.Error()) > 300 {
			t.Errorf("%.60q: %v, want %q", in, err, want)
		}
	}
}

// TestProductionProcessesOneLine: a BACKEND class or option name from
// settings.py cannot put a control character into a warning or error.
func TestProductionProcessesOneLine(t *testing.T) {
	_, warns, err := ProductionProcesses(dict("web", dict("BACKEND", "evil\x1b[2J\nClass")))
	if err != nil || len(warns) != 1 || strings.ContainsAny(warns[0], "\n\x1b") || !strings.Contains(warns[0], `"evil\x1b[2J\nClass"`) {
		t.Errorf("warnings %q, %v", warns, err)
	}
	_, _, err = ProductionProcesses(dict("web", dict("BACKEND", "django_prodserver.backends.gunicorn.GunicornServer", "ARGS", dict("k\n", dict()))))
	if err == nil || strings.ContainsAny(err.Error(), "\n") {
		t.Errorf("error %q", err)
	}
}

// TestMakeWarningsOneLine: a backend name from app.json with a control
// character (found by FuzzAppJSON: DEL) reaches the warning quoted.
func TestMakeWarningsOneLine(t *testing.T) {
	cfg, _, err := AppJSON([]byte("{\"prodserver\":{\"processes\":{\"web\":\"\x7f\\u001b[2J\"}}}"))
	if err != nil {
		t.Fatal(err)
	}
	plan := Make(Inputs{Facts: djangoFacts(), AppJSON: cfg})
	w := strings.Join(plan.Warnings, "\n")
	if !strings.Contains(w, `web: "\x7f\x1b[2J" (app.json): unknown backend`) || strings.ContainsAny(w, "\x7f\x1b") {
		t.Errorf("warnings %q", plan.Warnings)
	}
}

// TestUvicornSizedByProxy: standalone uvicorn takes the sizer's count (the
// edge's sizer decides it from nginx's proxy-keepalive, tuning.Size);
// uvicorn-wsgi stays one process, and an explicit count above one is
// rendered with a warning.
func TestUvicornSizedByProxy(t *testing.T) {
	f := djangoFacts()
	four := func(string, *backend.Backend, int) (int, int, string) { return 4, 0, "test" }
	cases := []struct {
		backend string
		workers int // the operator's
		want    string
		warn    bool
	}{
		{"uvicorn", 0, "--workers=4 ", false},
		{"uvicorn", 3, "--workers=3 ", false},
		{"uvicorn-wsgi", 0, "--workers=1 ", false},
		{"uvicorn-wsgi", 3, "--workers=3 ", true},
	}
	for _, c := range cases {
		p := Make(Inputs{Facts: f, Operator: Operator{Backends: map[string]string{"web": c.backend}, Workers: c.workers}, Concurrency: four})
		web := p.Process("web")
		if web == nil || !strings.Contains(web.Command, c.want) {
			t.Errorf("%s, workers %d: %+v, want %q", c.backend, c.workers, web, c.want)
			continue
		}
		if got := strings.Contains(strings.Join(p.Warnings, "\n"), "TCP_NODELAY"); got != c.warn {
			t.Errorf("%s, workers %d: TCP_NODELAY warning %v, want %v: %v", c.backend, c.workers, got, c.warn, p.Warnings)
		}
	}
}

// TestExplicitCounts: an explicit thread count reaches sizing (one thread
// means sync workers, sized differently), and an option naming a backend's
// own count flag is as explicit as the field, for sizing and for the report.
func TestExplicitCounts(t *testing.T) {
	var seen []int
	sizer := func(_ string, b *backend.Backend, threads int) (int, int, string) {
		if b.Name == "gunicorn" {
			seen = append(seen, threads)
		}
		return 3, 8, "sized"
	}
	web := func(opts ...backend.Option) *Config {
		return &Config{Source: SourceAppJSON, Processes: []ProcConfig{{Name: "web", Backend: "gunicorn", Options: opts}}}
	}
	cases := []struct {
		name                     string
		in                       Inputs
		seen                     int
		command                  string
		workersFrom, threadsFrom string
	}{
		{"computed", Inputs{AppJSON: web()}, 0, "--workers=3 --threads=8 --worker-connections=16 ", "sized", "sized"},
		{"threads setting", Inputs{AppJSON: web(), Operator: Operator{Threads: 1}}, 1, "--workers=3 --threads=1 --graceful-timeout=25 ", "sized", "threads setting"},
		{"threads option", Inputs{AppJSON: web(backend.Option{Key: "threads", Value: int64(1)})}, 1, "--workers=3 --threads=1 --graceful-timeout=25 ", "sized", "app.json option"},
		{"option beats setting", Inputs{AppJSON: web(backend.Option{Key: "threads", Value: int64(4)}), Operator: Operator{Threads: 1}}, 4, "--threads=4 --worker-connections=8 ", "sized", "app.json option"},
		{"numeric string workers option", Inputs{AppJSON: web(backend.Option{Key: "workers", Value: "5"})}, 0, "--workers=5 --threads=8 ", "app.json option", "sized"},
		{"workers setting keeps computed threads", Inputs{AppJSON: web(), Operator: Operator{Workers: 7}}, 0, "--workers=7 --threads=8 ", "workers setting", "sized"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seen = nil
			c.in.Facts, c.in.Concurrency = djangoFacts(), sizer
			p := Make(c.in).Process("web")
			if p == nil {
				t.Fatal("no web process")
			}
			if len(seen) != 1 || seen[0] != c.seen {
				t.Errorf("sizing saw explicit threads %v, want [%d]", seen, c.seen)
			}
			if !strings.Contains(p.Command, c.command) || p.WorkersFrom != c.workersFrom || p.ThreadsFrom != c.threadsFrom {
				t.Errorf("got %q (workers from %q, threads from %q), want %q (%q, %q)", p.Command, p.WorkersFrom, p.ThreadsFrom, c.command, c.workersFrom, c.threadsFrom)
			}
		})
	}
	// huey has no threads flag: the threads setting does not reach it.
	p := Make(Inputs{Facts: djangoFacts(), Concurrency: sizer, Operator: Operator{Threads: 16},
		AppJSON: &Config{Source: SourceAppJSON, Processes: []ProcConfig{{Name: "tasks", Backend: "huey"}}}}).Process("tasks")
	if p == nil || !strings.Contains(p.Command, "--workers=3") || p.Threads != 0 {
		t.Errorf("huey: %+v", p)
	}
}

// TestEnabledTrueNothingFound: with enabled true and nothing to render,
// the plan says so and what to set; in auto mode it stays silent.
func TestEnabledTrueNothingFound(t *testing.T) {
	for _, c := range []struct {
		enabled string
		warn    bool
	}{{"true", true}, {"auto", false}, {"", false}} {
		t.Run("enabled="+c.enabled, func(t *testing.T) {
			pl := Make(Inputs{Facts: &project.Facts{}, Operator: Operator{Enabled: c.enabled}, Procfile: []byte("web: node server.js\n")})
			got := strings.Join(pl.Warnings, "\n")
			if c.warn && !(strings.Contains(got, "enabled is true") && strings.Contains(got, "app-dir")) {
				t.Errorf("warnings %q, want one naming enabled true and app-dir", pl.Warnings)
			}
			if !c.warn && got != "" {
				t.Errorf("unexpected warnings %q", pl.Warnings)
			}
			if string(pl.Procfile) != "web: node server.js\n" || pl.Changed {
				t.Errorf("Procfile changed: %q", pl.Procfile)
			}
		})
	}
}

// withDevTargets sets f's Makefile targets that run the dev server.
func withDevTargets(f *project.Facts, targets ...string) *project.Facts {
	f.DevServerTargets = targets
	return f
}
