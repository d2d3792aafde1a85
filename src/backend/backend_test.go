package backend

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAllOrderIsStable(t *testing.T) {
	want := []string{
		"gunicorn", "waitress", "uwsgi", "granian-wsgi", "uvicorn-wsgi",
		"uvicorn", "gunicorn-uvicorn", "hypercorn", "daphne", "granian-asgi",
		"celery-worker", "celery-beat", "celery-flower",
		"rq-worker", "django-q", "django-tasks", "dramatiq", "huey",
		"migrate", "django-prodserver",
	}
	// A backend added later may sit anywhere in its group, so the names
	// above must appear in this order, and the groups in kind order.
	var got []string
	known := map[string]bool{}
	for _, n := range want {
		known[n] = true
	}
	group := map[Kind]int{KindWSGI: 0, KindASGI: 1, KindWorker: 2, KindScheduler: 2, KindRelease: 3, KindPassthrough: 4}
	last := 0
	for _, b := range All() {
		if known[b.Name] {
			got = append(got, b.Name)
		}
		if g := group[b.Kind]; g < last {
			t.Errorf("%s (%s) comes after a later group", b.Name, b.Kind)
		} else {
			last = g
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("All() order\n got %q\nwant %q", got, want)
	}
}

// TestCatalogueDerived checks the catalogue facts other lists are derived
// from: one place per backend, one detection rank per place, one fallback
// per web kind, one backend per task queue and per django-prodserver class.
func TestCatalogueDerived(t *testing.T) {
	orders := map[int]string{}
	ranks := map[Kind]map[int]string{}
	fallbacks := map[Kind][]string{}
	queues := map[string]string{}
	classes := map[string]string{}
	for _, b := range All() {
		if other, dup := orders[b.Order]; dup || b.Order <= 0 {
			t.Errorf("%s: Order %d (also %q); every backend needs its own positive Order", b.Name, b.Order, other)
		}
		orders[b.Order] = b.Name
		if r := b.Detect.Rank; r > 0 {
			if !b.Web {
				t.Errorf("%s: a detection rank on a backend that is not a web server", b.Name)
			}
			if ranks[b.Kind] == nil {
				ranks[b.Kind] = map[int]string{}
			}
			if other, dup := ranks[b.Kind][r]; dup {
				t.Errorf("%s and %s share detection rank %d", b.Name, other, r)
			}
			ranks[b.Kind][r] = b.Name
		}
		if b.Detect.Fallback {
			fallbacks[b.Kind] = append(fallbacks[b.Kind], b.Name)
		}
		for _, q := range b.Detect.Queues {
			if other, dup := queues[q]; dup {
				t.Errorf("queue %s has two workers, %s and %s", q, other, b.Name)
			}
			queues[q] = b.Name
			if b.Kind != KindWorker {
				t.Errorf("%s: runs queue %s but is a %s", b.Name, q, b.Kind)
			}
		}
		d := b.DjangoProdserver
		for _, c := range append([]string{d.V2, d.V3}, d.Also...) {
			if c == "" {
				continue
			}
			if other, dup := classes[c]; dup {
				t.Errorf("django-prodserver class %s means both %s and %s", c, other, b.Name)
			}
			classes[c] = b.Name
			if got, ok := ForDjangoClass(djangoPrefix + c); !ok || got != b.Name {
				t.Errorf("ForDjangoClass(%s) = %q, %v; want %s", c, got, ok, b.Name)
			}
		}
		if c := b.DjangoClass(3); d.V3 != "" && c != djangoPrefix+d.V3 {
			t.Errorf("%s: DjangoClass(3) = %q", b.Name, c)
		}
	}
	for _, k := range []Kind{KindWSGI, KindASGI} {
		if len(fallbacks[k]) != 1 {
			t.Errorf("%s: fallbacks %q, want exactly one", k, fallbacks[k])
		}
	}
	for q, want := range map[string]string{"celery": "celery-worker", "rq": "rq-worker", "django-q": "django-q", "django-q2": "django-q", "huey": "huey", "dramatiq": "dramatiq", "django-tasks": "django-tasks", "kombu": ""} {
		if got := ForQueue(q); got != want {
			t.Errorf("ForQueue(%s) = %q, want %q", q, got, want)
		}
	}
	for _, c := range []string{"django_prodserver.backends.", "django_prodserver.backends.dev.DevServer", "servers.gunicorn.GunicornServer"} {
		if got, ok := ForDjangoClass(c); ok {
			t.Errorf("ForDjangoClass(%q) = %q, want none", c, got)
		}
	}
}

// TestCatalogueInvariants checks the facts every backend must carry, so a
// new entry cannot be half-described.
func TestCatalogueInvariants(t *testing.T) {
	seen := map[string]string{}
	kinds := map[Kind]bool{KindWSGI: true, KindASGI: true, KindWorker: true, KindScheduler: true, KindRelease: true, KindPassthrough: true}
	models := map[Concurrency]bool{ConcurrencyPrefork: true, ConcurrencyPreforkThreaded: true, ConcurrencyAsync: true, ConcurrencyThreads: true, ConcurrencySingle: true, ConcurrencyProxied: true, ConcurrencySettings: true, ConcurrencyNone: true}
	types := map[OptionType]bool{TypeBool: true, TypeInt: true, TypeFloat: true, TypeString: true, TypeList: true}
	for _, b := range All() {
		for _, n := range append([]string{b.Name}, b.Aliases...) {
			if other, dup := seen[n]; dup {
				t.Errorf("name %q used by %s and %s", n, other, b.Name)
			}
			seen[n] = b.Name
			if n != strings.ToLower(n) || strings.Contains(n, "_") {
				t.Errorf("%s: name %q must be lowercase with dashes (Lookup normalises to that)", b.Name, n)
			}
		}
		if !kinds[b.Kind] || !models[b.Concurrency] {
			t.Errorf("%s: unknown kind %q or concurrency %q", b.Name, b.Kind, b.Concurrency)
		}
		if b.Summary == "" || b.Program == "" || b.ConcurrencyDoc == "" || b.ProjectDirDoc == "" || b.Verified == "" {
			t.Errorf("%s: Summary, Program, ConcurrencyDoc, ProjectDirDoc and Verified are required", b.Name)
		}
		if len(b.Packages) == 0 && len(b.OneOf) == 0 {
			t.Errorf("%s: no Packages", b.Name)
		}
		if !strings.HasPrefix(b.StopSignal, "SIG") {
			t.Errorf("%s: StopSignal %q", b.Name, b.StopSignal)
		}
		if b.Render == nil || b.build == nil {
			t.Errorf("%s: no Render", b.Name)
		}
		if (b.Kind == KindWSGI || b.Kind == KindASGI) && !b.Web {
			t.Errorf("%s: a %s backend must be Web", b.Name, b.Kind)
		}
		if (b.WorkersFlag != "" && b.DefaultWorkers == 0) || (b.WorkersFlag == "" && b.DefaultWorkers != 0) {
			t.Errorf("%s: WorkersFlag %q and DefaultWorkers %d must come together", b.Name, b.WorkersFlag, b.DefaultWorkers)
		}
		if b.ThreadsFlag == "" && b.DefaultThreads != 0 {
			t.Errorf("%s: DefaultThreads without ThreadsFlag", b.Name)
		}
		names := map[string]bool{}
		for _, s := range b.Options {
			for _, n := range append([]string{s.Name}, s.Aliases...) {
				if names[n] || !optionKey().MatchString(n) || strings.Contains(n, "_") {
					t.Errorf("%s: option name %q duplicated or not a dashed key", b.Name, n)
				}
				names[n] = true
			}
			if !types[s.Type] || s.Doc == "" {
				t.Errorf("%s: option %q needs a known type and a Doc", b.Name, s.Name)
			}
			if s.Negative != "" && s.Type != TypeBool {
				t.Errorf("%s: option %q has a Negative form but is not a bool", b.Name, s.Name)
			}
		}
		for _, f := range []string{b.WorkersFlag, b.ThreadsFlag} {
			if _, ok := b.Option(strings.TrimPrefix(f, "--")); f != "" && !ok {
				t.Errorf("%s: concurrency flag %s has no OptionSpec, so it cannot be overridden by name", b.Name, f)
			}
		}

		argv, err := b.Render(root)
		if err != nil {
			t.Errorf("%s: root render: %v", b.Name, err)
			continue
		}
		line := strings.Join(argv, " ")
		if b.Web != strings.Contains(line, portWord) {
			t.Errorf("%s: Web=%v but argv %q", b.Name, b.Web, line)
		}
		if b.Web && !strings.Contains(line, anyHost) {
			t.Errorf("%s: web backend must bind %s: %q", b.Name, anyHost, line)
		}
		if argv[0] != b.Program {
			t.Errorf("%s: Program %q but argv starts %q", b.Name, b.Program, argv[0])
		}
		for _, w := range argv {
			if w == ChainAnd {
				t.Errorf("%s: no backend chains commands (Dokku may run the line without a shell): %q", b.Name, line)
			}
			if strings.Contains(w, "$") && !strings.Contains(w, portWord) {
				t.Errorf("%s: only $PORT may be expanded: %q", b.Name, w)
			}
		}
	}
}

func TestSpecialFacts(t *testing.T) {
	for _, b := range All() {
		if b.Singleton != (b.Name == "celery-beat") {
			t.Errorf("%s: Singleton = %v; only celery beat must never run twice", b.Name, b.Singleton)
		}
		if (b.StopSignal == "SIGINT") != (b.Name == "huey" || b.Name == "waitress") {
			t.Errorf("%s: StopSignal %s; only huey and waitress need SIGINT", b.Name, b.StopSignal)
		}
	}
}

func TestLookup(t *testing.T) {
	found := map[string]string{
		"gunicorn":          "gunicorn",
		"Gunicorn":          "gunicorn",
		" uvicorn ":         "uvicorn",
		"celery_worker":     "celery-worker",
		"celery":            "celery-worker",
		"flower":            "celery-flower",
		"django-q2":         "django-q",
		"django_tasks_db":   "django-tasks",
		"uvicorn-worker":    "gunicorn-uvicorn",
		"prodserver":        "django-prodserver",
		"rundramatiq":       "dramatiq",
		"beat":              "celery-beat",
		"GRANIAN-ASGI":      "granian-asgi",
		"django-prodserver": "django-prodserver",
	}
	for in, want := range found {
		b, err := Lookup(in)
		if err != nil || b.Name != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", in, b, err, want)
		}
	}

	closest := map[string]string{
		"gunicron":      "gunicorn",
		"uvicron":       "uvicorn",
		"celery-wroker": "celery-worker",
		"celerybeat":    "celery-beat",
		"hypercorm":     "hypercorn",
		"granian":       "granian-wsgi",
		"dapne":         "daphne",
		"migrations":    "migrate",
		"rq-workers":    "rq-worker",
		"huye":          "huey",
	}
	for in, want := range closest {
		b, err := Lookup(in)
		if err == nil {
			t.Errorf("Lookup(%q) found %s, want an error", in, b.Name)
			continue
		}
		var u *UnknownError
		if !errors.As(err, &u) || !errors.Is(err, ErrUnknown) {
			t.Fatalf("Lookup(%q) error %T does not unwrap to *UnknownError/ErrUnknown", in, err)
		}
		if u.Closest != want {
			t.Errorf("Lookup(%q) closest %q, want %q", in, u.Closest, want)
		}
		msg := err.Error()
		if !strings.Contains(msg, `did you mean "`+want+`"`) {
			t.Errorf("Lookup(%q) error %q should suggest %q", in, msg, want)
		}
		for _, b := range All() {
			if !strings.Contains(msg, b.Name) {
				t.Errorf("Lookup(%q) error %q should list %s", in, msg, b.Name)
			}
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"gunicorn", "gunicorn", 0},
		{"gunicron", "gunicorn", 2}, {"kitten", "sitting", 3}, {"huye", "huey", 2},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

func TestMissingPackages(t *testing.T) {
	tests := []struct {
		backend string
		pkgs    map[string]string
		want    []string
	}{
		{"gunicorn", map[string]string{"gunicorn": ">=20"}, nil},
		{"gunicorn", map[string]string{"django": ""}, []string{"gunicorn"}},
		{"gunicorn-uvicorn", map[string]string{"gunicorn": ""}, []string{"uvicorn-worker|uvicorn"}},
		{"gunicorn-uvicorn", map[string]string{"gunicorn": "", "uvicorn": ""}, nil},
		{"django-q", map[string]string{"django-q2": ""}, nil},
		{"django-q", nil, []string{"django-q2|django-q"}},
		{"celery-flower", map[string]string{"celery": ""}, []string{"flower"}},
		{"django-tasks", map[string]string{"django-tasks": ""}, nil},
	}
	for _, tt := range tests {
		b, _ := Lookup(tt.backend)
		if got := b.MissingPackages(tt.pkgs); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s.MissingPackages(%v) = %q, want %q", tt.backend, tt.pkgs, got, tt.want)
		}
	}
}

func TestAllReturnsFreshValues(t *testing.T) {
	a := All()
	a[0].Name = "changed"
	a[0].Options[0].Name = "changed"
	b := All()
	if b[0].Name != "gunicorn" || b[0].Options[0].Name != "bind" {
		t.Errorf("All() shares state between calls: %s %s", b[0].Name, b[0].Options[0].Name)
	}
	argv, err := a[0].Render(root)
	if err != nil || argv[0] != "gunicorn" {
		t.Errorf("a changed copy should still render gunicorn: %q %v", argv, err)
	}
}

// TestLookupHugeName: an unknown name of megabytes (from app.json) is
// answered fast, with a short error.
func TestLookupHugeName(t *testing.T) {
	name := strings.Repeat("gunicorn\n", 400000)
	start := time.Now()
	_, err := Lookup(name)
	if err == nil || len(err.Error()) > 1024 || !strings.Contains(err.Error(), `"gunicorn\ngunicorn`) {
		t.Fatalf("error %.200q (%d bytes)", err, len(err.Error()))
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %v", took)
	}
}
