package procfile

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// joinCases maps an argv to its expected rendering.
var joinCases = []struct {
	argv []string
	want string
}{
	{[]string{"gunicorn", "app.wsgi:application", "--bind", "0.0.0.0:$PORT"}, "gunicorn app.wsgi:application --bind 0.0.0.0:$PORT"},
	// The one glob-looking word allowed: an option whose whole value is "*".
	{[]string{"uvicorn", "--forwarded-allow-ips=*", "p.asgi:application"}, "uvicorn '--forwarded-allow-ips=*' p.asgi:application"},
	// The space-free path shim the backends use for waitress and daphne.
	{[]string{"python", "-c", `sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));__import__("daphne.cli").cli.CommandLineInterface.entrypoint()`, "src"},
		`python -c 'sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));__import__("daphne.cli").cli.CommandLineInterface.entrypoint()' src`},
	{[]string{"uvicorn", "--app-dir", "src", "proj.asgi:application", "--port", "$PORT"}, "uvicorn --app-dir src proj.asgi:application --port $PORT"},
	{[]string{"celery", "--workdir", "src", "-A", "proj", "worker", "--loglevel=info"}, "celery --workdir src -A proj worker --loglevel=info"},
	{[]string{"python", "src/manage.py", "runserver", "0.0.0.0:$PORT"}, "python src/manage.py runserver 0.0.0.0:$PORT"},
	{[]string{"/usr/bin/env", "a,b+c@d"}, "/usr/bin/env a,b+c@d"},
	// bash -c would take a leading '+' as an option (found by FuzzJoin).
	{[]string{"+L3LL3"}, `'+L3LL3'`},
	{[]string{"+x", "+y"}, `'+x' +y`},
	{[]string{"a", "it's"}, `a it\'s`},
	{[]string{"a", "'"}, `a \'`},
	{[]string{"a", "''"}, `a \'\'`},
	{[]string{"a", `"x"`}, `a '"x"'`},
	{[]string{"a", "x;y"}, `a 'x;y'`},
	{[]string{"a", "x&y|z>w<v"}, `a 'x&y|z>w<v'`},
	{[]string{"a", "$HOME"}, `a '$'HOME`},
	{[]string{"a", "${PORT}"}, `a '$''{PORT}'`},
	{[]string{"a", "$PORTS"}, `a '$'PORTS`},
	{[]string{"a", "$PORT_X"}, `a '$'PORT_X`},
	{[]string{"a", "$PORT$PORT"}, `a $PORT$PORT`},
	{[]string{"a", "$$PORT"}, `a '$'$PORT`},
	{[]string{"a", "$PORT.$PORT:"}, `a $PORT.$PORT:`},
	{[]string{"a", "x$"}, `a 'x$'`},
	{[]string{"a", "$"}, `a '$'`},
	{[]string{"a", "a$b$c"}, `a 'a$''b$'c`},
	{[]string{"a", "$(id)"}, `a '$''(id)'`},
	{[]string{"a", "$'x'"}, `a '$'\'x\'`},
	{[]string{"a", "x'$PORT"}, `a x\'$PORT`},
	{[]string{"a", "`id`"}, "a '`id`'"},
	{[]string{"a", "#x"}, `a '#x'`},
	{[]string{"a", "x#y"}, `a 'x#y'`},
	{[]string{"a", "//x"}, `a '//x'`},
	{[]string{"a", "x//y"}, `a x//y`},
	{[]string{"a", "/x"}, `a /x`},
	{[]string{"a", "~"}, `a '~'`},
	{[]string{"a", "{a,b}"}, `a '{a,b}'`},
	{[]string{"a", "!"}, `a '!'`},
	{[]string{"a", "%s"}, `a '%s'`},
	{[]string{"a", "x]"}, `a 'x]'`},
	{[]string{"a", "(x)"}, `a '(x)'`},
	{[]string{"a", "café"}, `a 'café'`},
	{[]string{"a", "\u00a0"}, "a '\u00a0'"},
	{[]string{"a", "FOO=bar"}, `a FOO=bar`},
	{[]string{"FOO=bar"}, `'FOO=bar'`},
	{[]string{"FOO=$PORT"}, `'FOO='$PORT`},
	{[]string{"time", "x"}, `'time' x`},
	{[]string{"a", "time"}, `a time`},
	{[]string{"//x"}, `'//x'`},
	{[]string{"#x"}, `'#x'`},
	{[]string{"$PORT"}, `$PORT`},
	{[]string{"uvicorn", "--forwarded-allow-ips=*"}, `uvicorn '--forwarded-allow-ips=*'`},
	{[]string{"a", "--x_y-Z9=*"}, `a '--x_y-Z9=*'`},
}

func TestJoin(t *testing.T) {
	for _, tc := range joinCases {
		got, err := Join(tc.argv)
		if err != nil {
			t.Errorf("Join(%q): %v", tc.argv, err)
			continue
		}
		if got != tc.want {
			t.Errorf("Join(%q) = %s, want %s", tc.argv, got, tc.want)
		}
		if err := CheckCommand(got); err != nil {
			t.Errorf("Join(%q) = %s fails CheckCommand: %v", tc.argv, got, err)
		}
		back, err := Split(got, map[string]string{"PORT": PortVar})
		if err != nil || !reflect.DeepEqual(back, tc.argv) {
			t.Errorf("Split(Join(%q)) = %q, %v", tc.argv, back, err)
		}
	}
}

func TestJoinRejects(t *testing.T) {
	for _, argv := range [][]string{
		nil,
		{},
		{""},
		{"a", ""},
		{"a b"},
		{"a", "x y"},
		{"a", "x\ty"},
		{"a", "x\ny"},
		{"a", "x\r"},
		{"a", "\x00"},
		{"a", "\x1b"},
		{"a", "\x7f"},
		{"a", "\u0085"},
		{"a", "\xff"},
		{"a", "*"},
		{"a", "--forwarded-allow-ips=*x"},
		{"a", "--forwarded-allow-ips=**"},
		{"a", "-f=*"},
		{"a", "--=*"},
		{"a", "--a/b=*"},
		{"a", "--x=?"},
		{"a", "?"},
		{"a", "[::]:8000"},
		{"a", `\`},
		{"a", `x\y`},
		{"a", "@(x)"},
		{"a", "+(x)"},
		{"a", "!(x)"},
		{"-a"},
		{"--help", "x"},
		{"%1", "x"},
	} {
		if got, err := Join(argv); err == nil {
			t.Errorf("Join(%q) = %s, want an error", argv, got)
		} else if !strings.HasPrefix(err.Error(), "render command: ") {
			t.Errorf("Join(%q) error %q lacks context", argv, err)
		}
	}
}

func TestSplit(t *testing.T) {
	env := map[string]string{"PORT": "5000", "PS": "web", "X": "1 2", "EMPTY": ""}
	for _, tc := range []struct {
		cmd  string
		want []string
		bad  bool
	}{
		{"a b  c", []string{"a", "b", "c"}, false},
		{"  a\tb\n", []string{"a", "b"}, false},
		{"", nil, false},
		{"a $PORT", []string{"a", "5000"}, false},
		{"a ${PORT}", []string{"a", "5000"}, false},
		{"a 0.0.0.0:$PORT", []string{"a", "0.0.0.0:5000"}, false},
		{"a '$PORT'", []string{"a", "5000"}, false}, // quotes do not protect
		{"a $PS", []string{"a", "web"}, false},
		{"a $X", []string{"a", "1", "2"}, false},       // expansion happens before splitting
		{"a '$X'", []string{"a", "1 2"}, false},        // so quotes around it keep spaces
		{"a ${X:-d}", []string{"a"}, false},            // name "X:-d" is unset
		{"a $NOPE b", []string{"a", "b"}, false},       // unset is empty
		{"a '$NOPE' b", []string{"a", "", "b"}, false}, // a quoted empty word survives
		{"a '$NOPE'", []string{"a"}, false},            // except at the very end (xargs)
		{"a $(id)", []string{"a", "id)"}, false},       // "$(" expands to nothing
		{"a $1 $$ $# x", []string{"a", "x"}, false},
		{"a $'x'", []string{"a", "$x"}, false},
		{"a 'x$'", []string{"a", "x$"}, false},
		{"a x$", []string{"a", "x$"}, false},
		{"a $ b", []string{"a", "$", "b"}, false},
		{"a ${", []string{"a"}, false},
		{"a ${}x", []string{"a", "x"}, false},
		{`a "b c"d 'e f'g`, []string{"a", "b cd", "e fg"}, false},
		{`a "x\"`, []string{"a", `x\`}, false},
		{`a 'x\'`, []string{"a", `x\`}, false},
		{`a \'b \ c\\`, []string{"a", "'b", " c\\"}, false},
		{`a b\`, []string{"a", "b"}, false},
		{`a '' ""`, []string{"a", ""}, false},
		{"a '", []string{"a"}, false},
		{"a \\", []string{"a"}, false},
		{"\v\r a\vb \f", []string{"a\vb"}, false},
		{"a \"'\" '\"'", []string{"a", "'", `"`}, false},
		{"a\vb\fc\rd", []string{"a\vb\fc\rd"}, false},
		{"a 'b\n", []string{"a"}, true},
		{"a b 'c", []string{"a", "b"}, true},
		{"a b c'd", []string{"a", "b"}, true},
		{`a "b`, []string{"a"}, true},
		{"a 'b\nc'", []string{"a"}, true},
		{"a \x00", []string{"a"}, true},
	} {
		got, err := Split(tc.cmd, env)
		if (err != nil) != tc.bad || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) = %q, %v; want %q, error %v", tc.cmd, got, err, tc.want, tc.bad)
		}
	}
}

// portRef finds the intended $PORT references, as an independent check of
// isPortAt.
var portRef = regexp.MustCompile(`\$PORT\b`)

// withPort replaces every intended $PORT in w by port.
func withPort(w, port string) string {
	return portRef.ReplaceAllLiteralString(w, port)
}

func TestJoinExpandsOnlyPort(t *testing.T) {
	env := map[string]string{"PORT": "5000", "HOME": "/root", "PS": "web", "PORTS": "x", "EXPENV_PARENTHESIS": "$("}
	for _, tc := range joinCases {
		line, err := Join(tc.argv)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Split(line, env)
		want := make([]string, len(tc.argv))
		for i, w := range tc.argv {
			want[i] = withPort(w, "5000")
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%s) = %q, %v; want %q", line, got, err, want)
		}
	}
}
