package procfile

import (
	"bytes"
	"flag"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/shell"
)

// FuzzRoundTrip checks that Parse never loses a byte and that Set, Get and
// Delete keep their promises on arbitrary files.
func FuzzRoundTrip(f *testing.F) {
	for _, tc := range parseCases {
		if len(tc.in) < 4096 {
			f.Add([]byte(tc.in), "web", "gunicorn app.wsgi --bind 0.0.0.0:$PORT")
		}
	}
	f.Add([]byte("web: a # c\r\nworker: b"), "worker", "celery -A proj worker")
	f.Add([]byte("a: 1\r"), "Web_2", "x")
	f.Fuzz(func(t *testing.T, data []byte, name, cmd string) {
		p, err := Parse(data)
		if !bytes.Equal(p.Bytes(), data) {
			t.Fatalf("Bytes() = %q, want %q", p.Bytes(), data)
		}
		if (err != nil) != (len(p.Problems()) > 0) {
			t.Fatalf("Parse error %v but problems %v", err, p.Problems())
		}
		for _, n := range p.Names() {
			if _, ok := p.Get(n); !ok {
				t.Fatalf("Names() has %q but Get does not find it", n)
			}
		}
		before := p.Bytes()
		oldLines := rawLines(p)
		oldNames := p.Names()
		_, existed := p.Get(name)

		if err := p.Set(name, cmd); err != nil {
			if !bytes.Equal(p.Bytes(), before) {
				t.Fatalf("failed Set(%q, %q) changed the file: %v", name, cmd, err)
			}
			if p.Editable() == nil && ValidName(name) == nil && CheckCommand(cmd) == nil && len(cmd) < 1000 && len(data) < 1000 {
				t.Fatalf("Set(%q, %q) failed on an editable file: %v", name, cmd, err)
			}
			return
		}
		if got, ok := p.Get(name); !ok || got != cmd {
			t.Fatalf("Get after Set = %q, %v; want %q", got, ok, cmd)
		}
		after := p.Bytes()
		newLines := rawLines(p)
		if existed {
			// Exactly one line changed, and it kept its line ending.
			if len(newLines) != len(oldLines) {
				t.Fatalf("Set of an existing name changed the line count: %q -> %q", before, after)
			}
			changed := 0
			for i := range oldLines {
				if oldLines[i] != newLines[i] {
					changed++
					if p.lines[i].eol != lineEOL(oldLines[i]) {
						t.Fatalf("Set changed a line ending: %q -> %q", oldLines[i], newLines[i])
					}
				}
			}
			if changed > 1 {
				t.Fatalf("Set changed %d lines: %q -> %q", changed, before, after)
			}
		} else {
			// One line appended; the old last line may only have gained a newline.
			if len(newLines) != len(oldLines)+1 {
				t.Fatalf("Set of a new name did not append one line: %q -> %q", before, after)
			}
			for i := range oldLines {
				if oldLines[i] != newLines[i] && !(i == len(oldLines)-1 && strings.HasPrefix(newLines[i], strings.TrimSuffix(oldLines[i], "\r"))) {
					t.Fatalf("Set changed line %d: %q -> %q", i+1, oldLines[i], newLines[i])
				}
			}
		}

		q, err := Parse(after)
		if q.Editable() != nil {
			t.Fatalf("file not editable after Set: %v", q.Editable())
		}
		if err != nil && len(q.Problems()) > 0 {
			t.Fatalf("problems after Set: %v", err)
		}
		if got, _ := q.Get(name); got != cmd {
			t.Fatalf("reparsed Get = %q, want %q", got, cmd)
		}
		wantNames := oldNames
		if !existed {
			wantNames = append(slices.Clone(oldNames), name)
		}
		if !reflect.DeepEqual(q.Names(), wantNames) {
			t.Fatalf("names after Set = %q, want %q", q.Names(), wantNames)
		}

		if err := p.Set(name, cmd); err != nil || !bytes.Equal(p.Bytes(), after) {
			t.Fatalf("second Set not idempotent: %v, %q -> %q", err, after, p.Bytes())
		}

		deleted, err := q.Delete(name)
		if err != nil || !deleted {
			t.Fatalf("Delete(%q) = %v, %v", name, deleted, err)
		}
		if _, ok := q.Get(name); ok {
			t.Fatalf("Get(%q) after Delete still finds it", name)
		}
		if q.Editable() != nil {
			t.Fatalf("file not editable after Delete: %v", q.Editable())
		}
	})
}

// rawLines returns each line with its line ending.
func rawLines(f *File) []string {
	out := make([]string, len(f.lines))
	for i, l := range f.lines {
		out[i] = string(l.text) + l.eol
	}
	return out
}

func lineEOL(raw string) string {
	switch {
	case strings.HasSuffix(raw, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(raw, "\n"):
		return "\n"
	}
	return ""
}

// FuzzJoin checks that Join either refuses an argv or renders one that
// procfile-util reads back unchanged and that Split, and for a sample of
// inputs real bash and xargs, turn back into the same argv. Words are
// separated by NUL in the input (NUL is never allowed inside a word).
func FuzzJoin(f *testing.F) {
	for _, tc := range joinCases {
		f.Add(strings.Join(tc.argv, "\x00"))
	}
	f.Add("prog\x00a b")
	f.Add("prog\x00*")
	f.Add("-x")
	f.Add("prog\x00$PORT\x00$PORTX\x00${PORT}\x00$(id)\x00'$'")
	fuzzing := flag.Lookup("test.fuzz") != nil && flag.Lookup("test.fuzz").Value.String() != ""
	f.Fuzz(func(t *testing.T, s string) {
		argv := strings.Split(s, "\x00")
		line, err := Join(argv)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "render command: ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		if err := CheckCommand(line); err != nil {
			t.Fatalf("Join(%q) = %s fails CheckCommand: %v", argv, line, err)
		}
		pf, err := Parse([]byte("web: " + line + "\n"))
		if err != nil {
			t.Fatalf("Procfile line for %s has problems: %v", line, err)
		}
		if got, _ := pf.Get("web"); got != line {
			t.Fatalf("procfile-util reads %q back as %q", line, got)
		}
		back, err := Split(line, map[string]string{"PORT": PortVar})
		if err != nil || !reflect.DeepEqual(back, argv) {
			t.Fatalf("Split(Join(%q)) = %q, %v (line %s)", argv, back, err, line)
		}
		want := make([]string, len(argv))
		for i, a := range argv {
			want[i] = withPort(a, testPort)
		}
		if got, err := Split(line, map[string]string{"PORT": testPort, "HOME": "/h", "A": "x y"}); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Split(%s) with PORT = %q, %v; want %q", line, got, err, want)
		}
		// scheduler-k3s takes the Dockerfile line from procfile-get-command
		// (procfile-util show: expanded) and splits it with mvdan.cc/sh's
		// shell.Fields, PORT and the app's env resolving variables
		// (plugins/scheduler-k3s/functions.go getStartCommand, v0.38.27).
		k3sEnv := map[string]string{"PORT": testPort, "HOME": "/h", "A": "x y"}
		fields, err := shell.Fields(Expand(line, k3sEnv), func(name string) string { return k3sEnv[name] })
		if err != nil || !reflect.DeepEqual(fields, want) {
			t.Fatalf("scheduler-k3s splits %s as %q, %v; want %q", line, fields, err, want)
		}
		// Real shells are slow (and the fuzzer also runs this while minimizing):
		// all seeds, and 1 in 256 inputs while fuzzing.
		h := fnv.New32a()
		h.Write([]byte(s))
		if !fuzzing || h.Sum32()%256 == 0 {
			checkAllWorlds(t, newShellWorld(t), argv)
		}
	})
}
