package plan

import (
	"bytes"
	"errors"
	"flag"
	"github.com/dokku-prodserver/dokku-prodserver/src/internal/fuzzseed"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tidwall/gjson"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
)

// seed adds a seed input (and writes it to the corpus on request).
func seed(f *testing.F, args ...any) {
	f.Helper()
	fuzzseed.Add(f, args...)
}

// fuzzing reports whether this run is `go test -fuzz` (not the seed corpus).
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// printableLine reports whether s can be printed as one clear line: no
// control characters (newline, escape, NUL...).
func printableLine(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// FuzzAppJSON checks that AppJSON never panics, that found and err agree
// with what the document holds, that every accepted section is well formed
// and that errors are one printable line, and that an accepted section goes
// through Make without panicking into a Procfile procfile-util accepts.
func FuzzAppJSON(f *testing.F) {
	for _, s := range []string{
		`{"name":"x","scripts":{"dokku":{"predeploy":"true"}}}`,
		`{"prodserver":{"release":"migrate-collectstatic","processes":{"web":{"backend":"uvicorn","options":{"timeout-keep-alive":5,"proxy-headers":true}},"worker":{"backend":"celery-worker","app":"proj.celery","scale":2,"workers":4,"args":["--max-tasks-per-child","100"]},"beat":"celery-beat"}}}`,
		`{"prodserver":{"processes":{"web":"gunicorn"}}}`,
		`{"prodserver":{"processes":{"web":{"backend":"gunicorn","options":{"bind":"0.0.0.0:1","workers":3,"header":["a:1",2],"ratio":0.5,"check-config":false}}}}}`,
		`{"prodserver":{"processes":{"we\nb":"gunicorn"}}}`,
		`{"prodserver":{"processes":{"web":{"backend":"gunicorn","options":{"k\u001b[31m":1}}}}}`,
		`{"prodserver":{"proc\u0000esses":{}}}`,
		`{"prodserver":{"processes":{"web":"gunicorn","web":"uvicorn"}}}`,
		`{"prodserver":{"processes":{"web":{"backend":"gunicorn","args":["$(id)","a b","'\"",";rm"]}}}}`,
		`{"prodserver":{"processes":{"w":{"backend":"rq-worker","scale":1e9,"workers":-0}}}}`,
		`{"prodserver":[1]}`,
		`{"prodserver":null}`,
		`[{"prodserver":{}}]`,
		`{"prodserver":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`,
		`{"prodserver":`,
		"\xef\xbb\xbf{\"prodserver\":{}}",
		`{"prodserver":` + strings.Repeat("[", 65) + strings.Repeat("]", 65) + `}`,
		`{"prodserver":{"processes":{"web":"` + strings.Repeat("gunicorn", 100) + `"}}}`,
	} {
		seed(f, []byte(s), []byte("web: python manage.py runserver\r\n# keep\nclock: ./clock\n"))
	}
	seed(f, []byte(`{"prodserver":{"processes":{"release":"migrate"}}}`), []byte(nil))
	seed(f, []byte(`{"prodserver":{"release":"none"}}`), []byte("web: a\nweb: b\n"))
	f.Fuzz(func(t *testing.T, data, pf []byte) {
		cfg, found, err := AppJSON(data)
		if err != nil {
			if cfg != nil {
				t.Fatalf("config %+v with error %v", cfg, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "app.json") {
				t.Fatalf("error does not name app.json: %q", msg)
			}
			if !printableLine(msg) {
				t.Fatalf("error is not one printable line: %q", msg)
			}
			if found && !gjson.ValidBytes(data) {
				t.Fatalf("found=true for invalid JSON: %v", err)
			}
			return
		}
		if !gjson.ValidBytes(data) {
			t.Fatalf("invalid JSON accepted: %q", data)
		}
		sec := gjson.GetBytes(data, "prodserver")
		if found != sec.Exists() || found != (cfg != nil) {
			t.Fatalf("found=%v, section exists=%v, config %+v", found, sec.Exists(), cfg)
		}
		if !found {
			return
		}
		if cfg.Source != SourceAppJSON {
			t.Fatalf("source %q", cfg.Source)
		}
		seen := map[string]bool{}
		for _, p := range cfg.Processes {
			if err := procfile.DNSLabel(p.Name); err != nil || seen[p.Name] {
				t.Fatalf("process name %q accepted (duplicate=%v): %v", p.Name, seen[p.Name], err)
			}
			seen[p.Name] = true
			if p.Scale < 0 || p.Scale > 1024 || p.Workers < 0 || p.Workers > 1024 {
				t.Fatalf("%s: scale %d, workers %d", p.Name, p.Scale, p.Workers)
			}
			for _, o := range p.Options {
				switch o.Value.(type) {
				case bool, string, int64, float64, []string:
				default:
					t.Fatalf("%s: option %q has type %T", p.Name, o.Key, o.Value)
				}
			}
		}
		checkPlan(t, Inputs{Facts: djangoFacts(), AppJSON: cfg, Procfile: pf,
			Operator: Operator{Enabled: "auto"}})
		checkPlan(t, Inputs{Facts: djangoFacts(), AppJSON: cfg, Procfile: pf,
			Operator: Operator{Enabled: "true", Strict: true, Workers: 3}})
	})
}

// checkPlan runs Make and checks what a deploy relies on: an inactive plan
// keeps the Procfile; an active one writes a file procfile-util accepts,
// whose managed lines are the plan's commands, each splitting into words.
func checkPlan(t *testing.T, in Inputs) {
	t.Helper()
	plan := Make(in)
	for _, w := range append(plan.Warnings, plan.Errors...) {
		if !printableLine(w) {
			t.Fatalf("warning is not one printable line: %q", w)
		}
	}
	if !plan.Active || !plan.Changed {
		if !bytes.Equal(plan.Procfile, in.Procfile) {
			t.Fatalf("unchanged plan altered the Procfile:\n%q\n->\n%q", in.Procfile, plan.Procfile)
		}
		return
	}
	out, err := procfile.Parse(plan.Procfile)
	if err != nil || out.Editable() != nil {
		t.Fatalf("written Procfile has problems (%v, %v):\n%s", err, out.Editable(), plan.Procfile)
	}
	for _, p := range plan.Processes {
		got, ok := out.Get(p.Name)
		if !ok || got != p.Command {
			t.Fatalf("%s: Procfile line %q, plan command %q", p.Name, got, p.Command)
		}
		if !p.Managed {
			continue
		}
		if err := procfile.CheckCommand(p.Command); err != nil {
			t.Fatalf("%s: command %q: %v", p.Name, p.Command, err)
		}
		if words, err := procfile.Split(p.Command, map[string]string{"PORT": "5000"}); err != nil || len(words) == 0 {
			t.Fatalf("%s: command %q splits into %q, %v", p.Name, p.Command, words, err)
		}
	}
}

// Option value kinds FuzzRenderOptions builds from its inputs.
const (
	kindString = iota
	kindBool
	kindInt
	kindFloat
	kindList
	kindCount
)

// fuzzOption builds one option of the given kind from a fuzzed string.
func fuzzOption(key, value string, kind uint8) backend.Option {
	var v any
	switch kind % kindCount {
	case kindString:
		v = value
	case kindBool:
		v = value != ""
	case kindInt:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			n = int64(len(value))
		}
		v = n
	case kindFloat:
		x, err := strconv.ParseFloat(value, 64)
		if err != nil {
			x = float64(len(value)) / 4
		}
		v = x
	case kindList:
		v = strings.Split(value, ",")
	}
	return backend.Option{Key: key, Value: v}
}

// expandPort replaces each $PORT that is not the start of a longer name,
// as procfile-util and bash do.
func expandPort(w, port string) string {
	var b strings.Builder
	for i := 0; i < len(w); {
		if strings.HasPrefix(w[i:], procfile.PortVar) {
			j := i + len(procfile.PortVar)
			if j == len(w) || !(w[j] == '_' || w[j] >= '0' && w[j] <= '9' || w[j] >= 'a' && w[j] <= 'z' || w[j] >= 'A' && w[j] <= 'Z') {
				b.WriteString(port)
				i = j
				continue
			}
		}
		b.WriteByte(w[i])
		i++
	}
	return b.String()
}

// FuzzRenderOptions renders arbitrary option keys, values and extra
// arguments through every backend and the Procfile quoting: the result is
// either an error, or a command that procfile-util (Split) and bash (for
// every seed and a sample of the fuzzer's inputs: bash -c, and herokuish's
// eval echo) turn back into exactly the rendered argv, $PORT expanded.
// Arguments are separated by NUL in args.
func FuzzRenderOptions(f *testing.F) {
	seed(f, uint8(0), "timeout", "30", uint8(kindInt), "", "", uint8(0), "--max-requests\x00100")
	seed(f, uint8(4), "forwarded-allow-ips", "*", uint8(kindString), "proxy-headers", "1", uint8(kindBool), "")
	seed(f, uint8(1), "threads", "8", uint8(kindString), "url_scheme", "https", uint8(kindString), "--ident=$PORT")
	seed(f, uint8(9), "queues", "a,b,c", uint8(kindList), "concurrency", "2.0", uint8(kindFloat), "-O\x00fair")
	seed(f, uint8(2), "env", "A=$(id)", uint8(kindString), "x", "`id`", uint8(kindString), "'\x00\"\x00;\x00|")
	seed(f, uint8(17), "settings", "proj.settings", uint8(kindString), "skip-checks", "y", uint8(kindBool), "&&")
	seed(f, uint8(0), "bind", "0.0.0.0:$PORT", uint8(kindString), "log-level", "$HOME", uint8(kindString), "$PORTS\x00${PORT}")
	seed(f, uint8(5), "k", "a\nb", uint8(kindString), "k_2", "é ü", uint8(kindString), "\x00")
	seed(f, uint8(8), "ws-max-size", "1e400", uint8(kindFloat), "-bad", "1", uint8(kindInt), "%1")
	seed(f, uint8(18), "workers", "4", uint8(kindInt), "", "", uint8(0), "")
	shells := !fuzzing()
	f.Fuzz(func(t *testing.T, which uint8, k1, v1 string, t1 uint8, k2, v2 string, t2 uint8, args string) {
		all := backend.All()
		b := all[int(which)%len(all)]
		var opts []backend.Option
		if k1 != "" {
			opts = append(opts, fuzzOption(k1, v1, t1))
		}
		if k2 != "" {
			opts = append(opts, fuzzOption(k2, v2, t2))
		}
		var extra []string
		if args != "" {
			extra = strings.Split(args, "\x00")
		}
		proc := "worker"
		switch {
		case b.Web:
			proc = "web"
		case b.Kind == backend.KindRelease:
			proc = "release"
		}
		ctx := backend.Context{Proc: proc, ManagePy: "manage.py", WSGI: "proj.wsgi:application",
			ASGI: "proj.asgi:application", CeleryApp: "proj", Workers: 2, Threads: 2,
			Packages: map[string]string{"django": ">=5.0"}, Options: opts, Args: extra}
		argv, err := b.Render(ctx)
		if err != nil {
			if !errors.Is(err, backend.ErrInvalid) && !errors.Is(err, backend.ErrMissing) {
				t.Fatalf("%s: error of unknown kind: %v", b.Name, err)
			}
			return
		}
		line, err := joinCommand(b, argv)
		if err != nil {
			if !strings.Contains(err.Error(), "render command: ") {
				t.Fatalf("%s: join error without context: %v", b.Name, err)
			}
			return
		}
		if err := procfile.CheckCommand(line); err != nil {
			t.Fatalf("%s: %s fails CheckCommand: %v", b.Name, line, err)
		}
		pf, err := procfile.Parse([]byte(proc + ": " + line + "\n"))
		if got, _ := pf.Get(proc); err != nil || got != line {
			t.Fatalf("%s: procfile-util reads %q back as %q (%v)", b.Name, line, got, err)
		}
		want := make([]string, len(argv))
		for i, w := range argv {
			want[i] = expandPort(w, "5000")
		}
		got, err := procfile.Split(line, map[string]string{"PORT": "5000", "HOME": "/h", "PS": proc, "A": "x y"})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Split(%s) = %q, %v; want %q", b.Name, line, got, err, want)
		}
		h := fnv.New32a()
		h.Write([]byte(line))
		if shells || h.Sum32()%512 == 0 {
			checkBash(t, b, argv, want)
		}
	})
}

// checkBash runs each &&-separated segment of argv, as Join renders it,
// through bash -c and through herokuish's `eval echo` second pass, each
// printing its words instead of running them.
func checkBash(t *testing.T, b *backend.Backend, argv, want []string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found")
	}
	dir := t.TempDir()
	for _, bait := range []string{"a", "web", "id"} {
		if err := os.WriteFile(filepath.Join(dir, bait), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	start := 0
	for i := 0; i <= len(argv); i++ {
		if i < len(argv) && !(argv[i] == backend.ChainAnd && b.Kind == backend.KindRelease) {
			continue
		}
		seg, wantSeg := argv[start:i], want[start:i]
		start = i + 1
		line, err := procfile.Join(seg)
		if err != nil {
			t.Fatalf("%s: segment %q: %v", b.Name, seg, err)
		}
		for _, script := range []string{
			`printf '%s\0' ` + line,
			`printf '%s\0' $(eval echo "$1")`,
		} {
			cmd := exec.Command(bash, "-c", script, "bash", line)
			cmd.Dir = dir
			cmd.Env = []string{"PATH=/usr/bin:/bin", "PORT=5000", "HOME=/h", "LANG=C.UTF-8"}
			var out, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &stderr
			done := make(chan error, 1)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("%s: bash hangs on %s", b.Name, line)
			}
			if err != nil {
				t.Fatalf("%s: bash %q on %s: %v %s", b.Name, script, line, err, stderr.String())
			}
			words := strings.Split(strings.TrimSuffix(out.String(), "\x00"), "\x00")
			if !reflect.DeepEqual(words, wantSeg) {
				t.Fatalf("%s: bash %q reads %s as %q, want %q", b.Name, script, line, words, wantSeg)
			}
		}
	}
}

// TestAppJSONDeep: megabytes of nesting are refused at once (gjson's
// recursive validation would reach Go's stack limit, a fatal error).
func TestAppJSONDeep(t *testing.T) {
	for _, data := range []string{
		`{"prodserver":` + strings.Repeat("[", 4<<20) + strings.Repeat("]", 4<<20) + `}`,
		strings.Repeat(`{"a":`, 65) + "1" + strings.Repeat("}", 65),
	} {
		start := time.Now()
		_, found, err := AppJSON([]byte(data))
		if err == nil || found || !strings.Contains(err.Error(), "nests more than 64 levels") {
			t.Errorf("%.40q: found=%v err=%v", data, found, err)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("%.40q: took %v", data, took)
		}
	}
	if _, found, err := AppJSON([]byte(`{"x":"` + strings.Repeat("[", 1000) + `","prodserver":{"processes":{"web":"gunicorn"}}}`)); err != nil || !found {
		t.Errorf("brackets in a string: found=%v err=%v", found, err)
	}
}
