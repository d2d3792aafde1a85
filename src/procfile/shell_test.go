package procfile

import (
	"bytes"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The tests in this file run Join's output through the real programs that
// read a Procfile command: GNU xargs (Dokku, Dockerfile images), bash the way
// herokuish's /start does it, and bash -c (CNB launchers). They skip when
// bash or xargs is missing.

const testPort = "5000"

// herokuishStart imitates herokuish's `/start TYPE` (include/procfile.bash:
// yaml-esque-get, procfile-start, procfile-exec): find the first
// uncommented line whose text before the first ':' is TYPE, echo the rest,
// and exec the words of `eval echo` of it, unquoted.
const herokuishStart = `
type="$1"
found=""
while read -r line || [[ -n "$line" ]]; do
  if [[ "$line" =~ ^#.* ]]; then continue; fi
  if [[ "${line%%:*}" == "$type" ]]; then found="${line#*:}"; break; fi
done <<<"$(cat Procfile)"
processcmd="$(echo "$found")"
set -- "$processcmd"
exec $(eval echo "$@")
`

// printArgv is installed under each program name the tests use; it prints
// its own name and arguments NUL-terminated.
const printArgv = "#!/bin/sh\nprintf '%s\\0' \"${0##*/}\" \"$@\"\n"

// shellWorld is a scratch app directory with a bin/ of argv printers and
// bait files that an unwanted glob or tilde expansion would pick up.
type shellWorld struct {
	t    testing.TB
	dir  string
	bash string
}

func newShellWorld(t testing.TB) *shellWorld {
	t.Helper()
	skipShort(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found")
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, bait := range []string{"a", "ab", "abc", "x", "web", "--x=1", "time", "id"} {
		if err := os.WriteFile(filepath.Join(dir, bait), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &shellWorld{t: t, dir: dir, bash: bash}
}

// install puts an argv printer under name in bin/, unless name has a '/'
// (then the exec-based checks are skipped for it).
func (w *shellWorld) install(name string) bool {
	if strings.Contains(name, "/") || name == "." || name == ".." || len(name) > 200 {
		return false
	}
	p := filepath.Join(w.dir, "bin", name)
	if err := os.WriteFile(p, []byte(printArgv), 0o755); err != nil {
		w.t.Fatalf("install %q: %v", name, err)
	}
	return true
}

func (w *shellWorld) env() []string {
	return []string{
		"PATH=" + filepath.Join(w.dir, "bin") + ":/usr/bin:/bin",
		"PORT=" + testPort,
		"HOME=/nonexistent-home",
		"LANG=C.UTF-8",
	}
}

// run runs bash with args in the app directory and returns the NUL-separated
// words it printed.
func (w *shellWorld) run(args ...string) ([]string, error) {
	cmd := exec.Command(w.bash, args...)
	cmd.Dir = w.dir
	cmd.Env = w.env()
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, &runError{err: err, stderr: stderr.String()}
	}
	return splitNUL(out.Bytes()), nil
}

type runError struct {
	err    error
	stderr string
}

func (e *runError) Error() string { return e.err.Error() + ": " + e.stderr }

func splitNUL(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	parts := strings.Split(string(bytes.TrimSuffix(b, []byte{0})), "\x00")
	return parts
}

// builtin reports whether bash has a builtin (or special builtin) named name.
func (w *shellWorld) builtin(name string) bool {
	cmd := exec.Command(w.bash, "-c", `type -t -- "$1"`, "type", name)
	cmd.Dir = w.dir
	cmd.Env = w.env()
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out)) == "builtin"
}

// herokuish writes "web: line" as the Procfile and starts it as herokuish.
func (w *shellWorld) herokuish(line string) ([]string, error) {
	if err := os.WriteFile(filepath.Join(w.dir, "Procfile"), []byte("web: "+line+"\n"), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return w.run("-c", herokuishStart, "herokuish", "web")
}

// bashC runs the line as a CNB launcher does: bash -c LINE.
func (w *shellWorld) bashC(line string) ([]string, error) {
	return w.run("-c", line)
}

// dokku reads "web: line" like procfile-util show, then splits with the real
// GNU xargs like fn-docker-args-split.
func (w *shellWorld) dokku(line string) ([]string, error) {
	f, err := Parse([]byte("web: " + line + "\n"))
	if err != nil {
		return nil, err
	}
	cmd, _ := f.Get("web")
	return runXargs(w.t, Expand(cmd, map[string]string{"PORT": testPort, "PS": "web"}))
}

// skipShort keeps the tests that start bash and xargs (thousands of
// processes, most of procfile's test time) out of `go test -short`, the
// pure-logic tier; the full run and make test include them.
func skipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts real bash and xargs for every case; run without -short")
	}
}

// runXargs splits s with the real GNU xargs the way Dokku does.
func runXargs(t testing.TB, s string) ([]string, error) {
	t.Helper()
	skipShort(t)
	if _, err := exec.LookPath("xargs"); err != nil {
		t.Skip("xargs not found")
	}
	cmd := exec.Command("xargs", "-r", "printf", `%s\0`)
	cmd.Stdin = strings.NewReader(s)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	if err != nil {
		err = &runError{err: err, stderr: stderr.String()}
	}
	return splitNUL(out.Bytes()), err
}

// checkAllWorlds renders argv and checks every launcher gets argv back with
// $PORT expanded.
func checkAllWorlds(t testing.TB, w *shellWorld, argv []string) {
	t.Helper()
	line, err := Join(argv)
	if err != nil {
		t.Fatalf("Join(%q): %v", argv, err)
	}
	want := make([]string, len(argv))
	for i, a := range argv {
		want[i] = withPort(a, testPort)
	}
	if got, err := w.dokku(line); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("dokku/xargs: %s -> %q, %v; want %q", line, got, err, want)
	}
	if !w.install(want[0]) {
		return
	}
	if got, err := w.herokuish(line); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("herokuish: %s -> %q, %v; want %q", line, got, err, want)
	}
	if w.builtin(want[0]) {
		// bash -c runs its own builtin of that name, as it would in a
		// real CNB image; nothing to compare.
		return
	}
	if got, err := w.bashC(line); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("bash -c: %s -> %q, %v; want %q", line, got, err, want)
	}
}

func TestJoinAgainstRealShells(t *testing.T) {
	w := newShellWorld(t)
	for _, tc := range joinCases {
		checkAllWorlds(t, w, tc.argv)
	}
	// Programs named like shell syntax.
	for _, prog := range []string{"if", "!", "{", "a%1", "a=b", "it's", "$x", "#c", "~", "café", "x;y", "$PORT"} {
		checkAllWorlds(t, w, []string{prog, "arg"})
	}
}

// TestHerokuishWorldIsReal makes sure the herokuish imitation can fail:
// unquoted metacharacters and quoted spaces come out changed.
func TestHerokuishWorldIsReal(t *testing.T) {
	w := newShellWorld(t)
	w.install("prog")
	for line, want := range map[string][]string{
		"prog 'a b'":     {"prog", "a", "b"},         // quotes do not survive the second split
		"prog a*":        {"prog", "a", "ab", "abc"}, // globbing in the app directory
		"prog '$PORT'":   {"prog", "$PORT"},
		"prog $PORT # c": {"prog", testPort},
		"prog x;echo hi": {"prog", "x", "hi"}, // eval runs the rest as a command
		"prog $NOPE z":   {"prog", "z"},
	} {
		got, err := w.herokuish(line)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("herokuish %q = %q, %v; want %q", line, got, err, want)
		}
	}
	// The one glob Join lets through matches only a file named like the
	// option itself: the residual risk of isMatchAllOption.
	if err := os.WriteFile(filepath.Join(w.dir, "--forwarded-allow-ips=x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	line, err := Join([]string{"prog", "--forwarded-allow-ips=*"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := w.herokuish(line); err != nil || !reflect.DeepEqual(got, []string{"prog", "--forwarded-allow-ips=x"}) {
		t.Errorf("herokuish %s next to a matching file = %q, %v", line, got, err)
	}
	// CRLF: herokuish keeps the '\r' on the last word.
	if err := os.WriteFile(filepath.Join(w.dir, "Procfile"), []byte("web: prog a\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := w.run("-c", herokuishStart, "herokuish", "web")
	if want := []string{"prog", "a\r"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("herokuish CRLF = %q, %v; want %q", got, err, want)
	}
}

// randomWord draws words from characters that matter to the launchers.
func randomWord(r *rand.Rand) string {
	const alphabet = "abcXYZ019_-./:,+@=%'\"$#~!^&;|<>(){}`]" + "$PORT"
	extra := []string{"$PORT", "é", "\u00a0", "//", "$(", "${", "'$'"}
	var b strings.Builder
	n := 1 + r.Intn(8)
	for i := 0; i < n; i++ {
		if r.Intn(5) == 0 {
			b.WriteString(extra[r.Intn(len(extra))])
		} else {
			b.WriteByte(alphabet[r.Intn(len(alphabet))])
		}
	}
	return b.String()
}

func TestJoinRandomAgainstRealShells(t *testing.T) {
	w := newShellWorld(t)
	r := rand.New(rand.NewSource(1))
	checked := 0
	for i := 0; i < 400 && checked < 150; i++ {
		argv := []string{"prog"}
		for n := r.Intn(4); n >= 0; n-- {
			argv = append(argv, randomWord(r))
		}
		if _, err := Join(argv); err != nil {
			continue
		}
		checked++
		checkAllWorlds(t, w, argv)
	}
	if checked < 100 {
		t.Fatalf("only %d random argvs were renderable", checked)
	}
}

// TestSplitAgainstRealXargs compares splitXargs with GNU xargs on random
// input, including the words xargs still passes on before a quote error.
func TestSplitAgainstRealXargs(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	pieces := []string{"a", "b", " ", "\t", "\n", "'", "\"", "\\", "$", "\r", "\v", "é", "  "}
	for i := 0; i < 400; i++ {
		var b strings.Builder
		for n := r.Intn(12); n > 0; n-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		s := b.String()
		want, xerr := runXargs(t, s)
		got, err := splitXargs(s)
		if (err != nil) != (xerr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("split %q: ours %q, %v; xargs %q, %v", s, got, err, want, xerr)
		}
	}
}

// TestWorldsCatchBadRenderings makes sure the real-shell checks can fail:
// each of these plausible renderings of argv comes out different in at
// least one launcher.
func TestWorldsCatchBadRenderings(t *testing.T) {
	w := newShellWorld(t)
	w.install("prog")
	w.install("time")
	for _, tc := range []struct {
		line string
		argv []string
	}{
		{"prog '$HOME'", []string{"prog", "$HOME"}},        // procfile-util expands inside quotes
		{`prog "a b"`, []string{"prog", "a b"}},            // herokuish splits again
		{`prog \$x`, []string{"prog", "$x"}},               // procfile-util expands $x
		{"time prog", []string{"time", "prog"}},            // bash -c keyword
		{"prog x #y", []string{"prog", "x", "#y"}},         // comment in every world
		{"prog '//x' //y", []string{"prog", "//x", "//y"}}, // procfile-util comment
	} {
		want := tc.argv
		same := true
		for _, world := range []func(string) ([]string, error){w.dokku, w.herokuish, w.bashC} {
			got, err := world(tc.line)
			if err != nil || !reflect.DeepEqual(got, want) {
				same = false
			}
		}
		if same {
			t.Errorf("%s gave %q in every launcher; the checks cannot tell it is wrong", tc.line, want)
		}
	}
}
