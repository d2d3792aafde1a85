package procfile

import (
	"bufio"
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// parseCase is an odd Procfile and what must come out of it.
type parseCase struct {
	name     string
	in       string
	names    []string
	commands map[string]string
	// problems are "line:rejected" strings, e.g. "2:true", "0:true".
	problems []string
}

var parseCases = []parseCase{
	{name: "empty", in: "", problems: []string{"0:true"}},
	{name: "only newline", in: "\n", problems: []string{"0:true"}},
	{name: "only comments", in: "# a\n// b\n\n", problems: []string{"0:true"}},
	{name: "simple", in: "web: gunicorn app.wsgi\n", names: []string{"web"},
		commands: map[string]string{"web": "gunicorn app.wsgi"}},
	{name: "no trailing newline", in: "web: a\nworker: b", names: []string{"web", "worker"},
		commands: map[string]string{"web": "a", "worker": "b"}},
	{name: "crlf", in: "web: a\r\nworker: b\r\n", names: []string{"web", "worker"},
		commands: map[string]string{"web": "a", "worker": "b"}},
	{name: "mixed endings", in: "web: a\r\nworker: b\nclock: c\r\n", names: []string{"web", "worker", "clock"},
		commands: map[string]string{"web": "a", "worker": "b", "clock": "c"}},
	{name: "cr at eof", in: "web: a\r", names: []string{"web"}, commands: map[string]string{"web": "a"}},
	{name: "blank lines and comments", in: "\n# comment\n\n  # indented\n// slash\nweb: a\n\n\n",
		names: []string{"web"}, commands: map[string]string{"web": "a"}},
	{name: "tabs and spaces around colon", in: "\tweb \t:\t gunicorn  x \t\nworker:b\n", names: []string{"web", "worker"},
		commands: map[string]string{"web": "gunicorn  x", "worker": "b"}},
	{name: "trailing comment", in: "web: gunicorn x # serves http\n", names: []string{"web"},
		commands: map[string]string{"web": "gunicorn x"}},
	{name: "last comment only is cut", in: "web: a #b #c\n", names: []string{"web"},
		commands: map[string]string{"web": "a #b"}},
	{name: "quoted hash is still a comment", in: "web: a '#b c'\n", names: []string{"web"},
		commands: map[string]string{"web": "a '#b c'"}},
	{name: "quoted hash after space cut", in: "web: a 'x #b'\n", names: []string{"web"},
		commands: map[string]string{"web": "a 'x"}},
	{name: "slash comment", in: "web: a //b\n", names: []string{"web"}, commands: map[string]string{"web": "a"}},
	{name: "url not a comment", in: "web: a http://x\n", names: []string{"web"}, commands: map[string]string{"web": "a http://x"}},
	{name: "hash without text kept", in: "web: a #\n", names: []string{"web"}, commands: map[string]string{"web": "a #"}},
	{name: "odd names", in: "Web_1-x: a\n9: b\n", names: []string{"Web_1-x", "9"},
		commands: map[string]string{"Web_1-x": "a", "9": "b"}},
	{name: "colon in command", in: "web: a --bind 0.0.0.0:$PORT\n", names: []string{"web"},
		commands: map[string]string{"web": "a --bind 0.0.0.0:$PORT"}},
	{name: "nbsp before command", in: "web:\u00a0a\n", names: []string{"web"}, commands: map[string]string{"web": "a"}},
	{name: "non-ascii and invalid utf8", in: "web: caf\xc3\xa9 \xff\xfe\n", names: []string{"web"},
		commands: map[string]string{"web": "caf\xc3\xa9 \xff\xfe"}},

	{name: "duplicate", in: "web: a\nweb: b\n", names: []string{"web"}, commands: map[string]string{"web": "a"},
		problems: []string{"2:true"}},
	{name: "case differs is not duplicate", in: "web: a\nWeb: b\n", names: []string{"web", "Web"},
		commands: map[string]string{"web": "a", "Web": "b"}},
	{name: "invalid name", in: "web.1: a\n", problems: []string{"1:true", "0:true"}},
	{name: "space in name", in: "my web: a\nweb: b\n", names: []string{"web"}, problems: []string{"1:true"}},
	{name: "no command", in: "web:\n", problems: []string{"1:true", "0:true"}},
	{name: "no command spaces", in: "web:   \t\n", problems: []string{"1:true", "0:true"}},
	{name: "comment as command", in: "web: #x\n", names: []string{"web"}, problems: []string{"1:true"}},
	{name: "slash comment as command", in: "web: //x\n", names: []string{"web"}, problems: []string{"1:true"}},
	{name: "name too long", in: strings.Repeat("a", 64) + ": x\n", names: []string{strings.Repeat("a", 64)},
		problems: []string{"1:true"}},
	{name: "name 63 ok", in: strings.Repeat("a", 63) + ": x\n", names: []string{strings.Repeat("a", 63)}},
	{name: "merge conflict", in: "<<<<<<< HEAD\nweb: a\n=======\nweb: b\n>>>>>>> branch\n", names: []string{"web"},
		problems: []string{"1:true", "3:true", "4:true", "5:true"}},
	{name: "bom", in: "\xef\xbb\xbfweb: a\n", names: []string{"web"}, commands: map[string]string{"web": "a"},
		problems: []string{"1:true"}},
	{name: "bom on comment line", in: "\xef\xbb\xbf# c\nweb: a\n", names: []string{"web"}, problems: []string{"1:true"}},
	{name: "nul byte", in: "web: a\x00b\n", names: []string{"web"}, problems: []string{"1:false"}},
	{name: "nul in comment", in: "# \x00\nweb: a\n", names: []string{"web"}, problems: []string{"1:false"}},
	{name: "escape char", in: "web: a\x1bb\n", names: []string{"web"}, problems: []string{"1:false"}},
	{name: "stray cr", in: "web: a\rworker: b\n", names: []string{"web"}, problems: []string{"1:false"}},
	{name: "double cr", in: "web: a\r\r\n", names: []string{"web"}, problems: []string{"1:false"}},
	{name: "form feed", in: "web: a\f\n", names: []string{"web"}, problems: []string{"1:false"}},
	{name: "long line ok", in: "web: " + strings.Repeat("x", maxRawLine-5) + "\n", names: []string{"web"}},
	{name: "long line too long", in: "web: " + strings.Repeat("x", maxRawLine-4) + "\n", names: []string{"web"},
		problems: []string{"1:true"}},
	{name: "long crlf line too long", in: "web: " + strings.Repeat("x", maxRawLine-5) + "\r\n", names: []string{"web"},
		problems: []string{"1:true"}},
}

func problemKeys(ps []Problem) []string {
	var keys []string
	for _, p := range ps {
		r := "false"
		if p.Rejected {
			r = "true"
		}
		keys = append(keys, strconv.Itoa(p.Line)+":"+r)
	}
	return keys
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.in))
			if got := f.Bytes(); !bytes.Equal(got, []byte(tc.in)) {
				t.Fatalf("Bytes() = %q, want the input %q", got, tc.in)
			}
			if got := f.Names(); !reflect.DeepEqual(got, tc.names) {
				t.Errorf("Names() = %q, want %q", got, tc.names)
			}
			for name, want := range tc.commands {
				if got, ok := f.Get(name); !ok || got != want {
					t.Errorf("Get(%q) = %q, %v; want %q", name, got, ok, want)
				}
			}
			if _, ok := f.Get("nope"); ok {
				t.Errorf("Get(nope) found something")
			}
			got := problemKeys(f.Problems())
			if !reflect.DeepEqual(got, tc.problems) {
				t.Errorf("Problems() = %q (%v), want %q", got, f.Problems(), tc.problems)
			}
			if (err != nil) != (len(tc.problems) > 0) {
				t.Errorf("Parse error = %v, want one iff problems", err)
			}
			if err != nil && !errors.Is(err, ErrNotUnderstood) {
				t.Errorf("Parse error %v does not wrap ErrNotUnderstood", err)
			}
			var pe *ProblemsError
			if err != nil && (!errors.As(err, &pe) || len(pe.Problems) != len(tc.problems)) {
				t.Errorf("Parse error %v is not a *ProblemsError with the problems", err)
			}
		})
	}
}

// TestParseLongLineAgreesWithScanner checks maxRawLine against the
// bufio.Scanner procfile-util reads with.
func TestParseLongLineAgreesWithScanner(t *testing.T) {
	for _, n := range []int{maxRawLine - 1, maxRawLine, maxRawLine + 1, maxRawLine + 2} {
		for _, end := range []string{"\n", "\r\n", "", "\r"} {
			data := "web: " + strings.Repeat("x", n-5) + end + "worker: y\n"
			if end == "" || end == "\r" {
				data = "web: " + strings.Repeat("x", n-5) + end
			}
			sc := bufio.NewScanner(strings.NewReader(data))
			for sc.Scan() {
			}
			scannerFails := sc.Err() != nil
			f, _ := Parse([]byte(data))
			weFlag := false
			for _, p := range f.Problems() {
				if strings.Contains(p.Msg, "64 KiB") {
					weFlag = true
				}
			}
			if scannerFails != weFlag {
				t.Errorf("line of %d bytes + %q: scanner error %v, we flag %v", n, end, sc.Err(), weFlag)
			}
		}
	}
}

func TestEditable(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"", true},
		{"# only a comment\n", true},
		{"web: a\n", true},
		{"web: a\nweb: b\n", false},
		{"web: a\x00\n", false},
		{"bad line\n", false},
		{"\xef\xbb\xbfweb: a\n", false},
	} {
		f, _ := Parse([]byte(tc.in))
		err := f.Editable()
		if (err == nil) != tc.ok {
			t.Errorf("Editable(%q) = %v, want ok=%v", tc.in, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrNotUnderstood) {
			t.Errorf("Editable(%q) error does not wrap ErrNotUnderstood", tc.in)
		}
		if err := f.Set("web", "x"); (err == nil) != tc.ok {
			t.Errorf("Set on %q = %v, want ok=%v", tc.in, err, tc.ok)
		}
		if _, err := f.Delete("web"); (err == nil) != tc.ok {
			t.Errorf("Delete on %q = %v, want ok=%v", tc.in, err, tc.ok)
		}
		if !tc.ok && string(f.Bytes()) != tc.in {
			t.Errorf("refused edit changed %q into %q", tc.in, f.Bytes())
		}
	}
}

func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		proc, cmd string
		want      string
	}{
		{"replace", "web: old\n", "web", "new", "web: new\n"},
		{"replace keeps neighbours", "# top\r\nweb: old # note\n\n  worker:  w \r\n", "web", "new x",
			"# top\r\nweb: new x\n\n  worker:  w \r\n"},
		{"replace keeps crlf", "a: 1\r\nweb: old\r\nb: 2\r\n", "web", "new", "a: 1\r\nweb: new\r\nb: 2\r\n"},
		{"replace keeps spelling and spacing", "\t web\t :\told  \n", "web", "new", "\t web\t :\tnew\n"},
		{"replace without space after colon", "web:old\n", "web", "new", "web:new\n"},
		{"replace last line without newline", "a: 1\nweb: old", "web", "new", "a: 1\nweb: new"},
		{"replace nbsp region", "web:\u00a0old\n", "web", "new", "web:new\n"},
		{"append", "a: 1\n", "web", "new", "a: 1\nweb: new\n"},
		{"append to empty", "", "web", "new", "web: new\n"},
		{"append after comment only", "# c", "web", "new", "# c\nweb: new\n"},
		{"append crlf dominant", "a: 1\r\nb: 2\r\nc: 3\n", "web", "new", "a: 1\r\nb: 2\r\nc: 3\nweb: new\r\n"},
		{"append tie is lf", "a: 1\r\nb: 2\n", "web", "new", "a: 1\r\nb: 2\nweb: new\n"},
		{"append no newline crlf", "a: 1\r\nb: 2", "web", "new", "a: 1\r\nb: 2\r\nweb: new\r\n"},
		{"append no newline lf", "a: 1\nb: 2", "web", "new", "a: 1\nb: 2\nweb: new\n"},
		{"append after bare cr at eof", "a: 1\r", "web", "new", "a: 1\r\nweb: new\n"},
		{"append keeps blank tail", "a: 1\n\n\n", "web", "new", "a: 1\n\n\nweb: new\n"},
		{"first of case variants", "Web: 1\nweb: 2\n", "web", "x", "Web: 1\nweb: x\n"},
		{"command with hash not after space", "web: old\n", "web", "a --x=#y", "web: a --x=#y\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := Parse([]byte(tc.in))
			if err := f.Set(tc.proc, tc.cmd); err != nil {
				t.Fatalf("Set: %v", err)
			}
			if got := string(f.Bytes()); got != tc.want {
				t.Fatalf("after Set:\n got %q\nwant %q", got, tc.want)
			}
			if got, ok := f.Get(tc.proc); !ok || got != tc.cmd {
				t.Errorf("Get after Set = %q, %v", got, ok)
			}
			if err := f.Set(tc.proc, tc.cmd); err != nil {
				t.Fatalf("second Set: %v", err)
			}
			if got := string(f.Bytes()); got != tc.want {
				t.Errorf("second Set not idempotent: %q", got)
			}
			g, err := Parse(f.Bytes())
			if err != nil {
				t.Errorf("reparse: %v", err)
			}
			if got, _ := g.Get(tc.proc); got != tc.cmd {
				t.Errorf("reparsed Get = %q", got)
			}
		})
	}
}

func TestSetRejects(t *testing.T) {
	for _, tc := range []struct{ proc, cmd string }{
		{"web", ""},
		{"web", " a"},
		{"web", "a "},
		{"web", "a\tb\n"},
		{"web", "a\nb"},
		{"web", "a\rb"},
		{"web", "a\x00b"},
		{"web", "#a"},
		{"web", "//a"},
		{"web", "a #b"},
		{"web", "a\t#b"},
		{"web", "a //b"},
		{"web", "\u00a0a"},
		{"web.1", "a"},
		{"", "a"},
		{"we b", "a"},
		{strings.Repeat("w", 64), "a"},
		{"web", strings.Repeat("x", maxRawLine)},
	} {
		in := "# keep\nweb: old\n"
		f, _ := Parse([]byte(in))
		if err := f.Set(tc.proc, tc.cmd); err == nil {
			t.Errorf("Set(%q, %q) succeeded: %q", tc.proc, tc.cmd, f.Bytes())
		}
		if string(f.Bytes()) != in {
			t.Errorf("failed Set(%q, %q) changed the file: %q", tc.proc, tc.cmd, f.Bytes())
		}
	}
}

func TestDelete(t *testing.T) {
	for _, tc := range []struct {
		in, proc, want string
		deleted        bool
	}{
		{"a: 1\nweb: x\nb: 2\n", "web", "a: 1\nb: 2\n", true},
		{"# c\r\nweb: x\r\n\r\nb: 2", "web", "# c\r\n\r\nb: 2", true},
		{"a: 1\nweb: x", "web", "a: 1\n", true},
		{"web: x\n", "web", "", true},
		{"a: 1\n", "web", "a: 1\n", false},
	} {
		f, _ := Parse([]byte(tc.in))
		deleted, err := f.Delete(tc.proc)
		if err != nil || deleted != tc.deleted {
			t.Errorf("Delete(%q) on %q = %v, %v", tc.proc, tc.in, deleted, err)
		}
		if got := string(f.Bytes()); got != tc.want {
			t.Errorf("Delete(%q) on %q left %q, want %q", tc.proc, tc.in, got, tc.want)
		}
		if _, ok := f.Get(tc.proc); ok {
			t.Errorf("Get(%q) after Delete still finds it", tc.proc)
		}
	}
}

func TestLineEnding(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "\n",
		"a: 1":                "\n",
		"a: 1\r\n":            "\r\n",
		"a: 1\r\nb: 2\n":      "\n",
		"a: 1\r\nb: 2\r\nc\n": "\r\n",
	} {
		f, _ := Parse([]byte(in))
		if got := f.LineEnding(); got != want {
			t.Errorf("LineEnding(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestZeroFile(t *testing.T) {
	var f File
	if err := f.Set("web", "a"); err != nil {
		t.Fatal(err)
	}
	if got := string(f.Bytes()); got != "web: a\n" {
		t.Errorf("got %q", got)
	}
}

func TestValidName(t *testing.T) {
	for name, ok := range map[string]bool{
		"web": true, "Web_1": true, "-": true, "_": true, "a-b": true, strings.Repeat("a", 63): true,
		"": false, "a.b": false, "a b": false, "a:b": false, "é": false, strings.Repeat("a", 64): false,
	} {
		if err := ValidName(name); (err == nil) != ok {
			t.Errorf("ValidName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func TestDNSLabel(t *testing.T) {
	for name, ok := range map[string]bool{
		"web": true, "worker-2": true, "0": true, "a-b-c": true, strings.Repeat("a", 63): true,
		"": false, "Web": false, "a_b": false, "-a": false, "a-": false, "-": false, "a.b": false,
		strings.Repeat("a", 64): false,
	} {
		if err := DNSLabel(name); (err == nil) != ok {
			t.Errorf("DNSLabel(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}
