package deploy

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
)

func TestNeedsShell(t *testing.T) {
	config := map[string]bool{"WEB_CONCURRENCY": true}
	inConfig := func(k string) bool { return config[k] }
	cases := []struct {
		cmd      string
		why      []string // substrings; nil: no shell needed
		fix      string
		fixWords []string // what procfile-util + xargs make of fix
		noFix    bool     // no exec form can carry it
	}{
		{cmd: "gunicorn app.wsgi --bind 0.0.0.0:$PORT --workers $WEB_CONCURRENCY"},
		{cmd: "bin/start-web.sh"},
		{cmd: "sh -c 'cd backend && exec gunicorn api.wsgi'"},
		{cmd: "cd backend && gunicorn api.wsgi --bind 0.0.0.0:$PORT", why: []string{"`&&`", "`cd`"},
			fix: "sh -c 'cd backend && exec gunicorn api.wsgi --bind 0.0.0.0:$PORT'", fixWords: []string{"sh", "-c", "cd backend && exec gunicorn api.wsgi --bind 0.0.0.0:$PORT"}},
		{cmd: "python manage.py collectstatic --noinput && gunicorn app.wsgi", why: []string{"`&&`"},
			fix: "sh -c 'python manage.py collectstatic --noinput && exec gunicorn app.wsgi'"},
		{cmd: "DJANGO_ENV=production celery -A proj worker", why: []string{"`DJANGO_ENV=…` before the command"},
			fix: "env DJANGO_ENV=production celery -A proj worker", fixWords: []string{"env", "DJANGO_ENV=production", "celery", "-A", "proj", "worker"}},
		{cmd: "celery -A proj worker 2>&1 | tee worker.log", why: []string{"`|`", "redirection"}, fix: "sh -c 'celery -A proj worker 2>&1 | tee worker.log'"},
		{cmd: "python manage.py qcluster > /dev/null", why: []string{"redirection (`>`)"}},
		{cmd: "python manage.py migrate; gunicorn app.wsgi", why: []string{"`;`"}},
		{cmd: "gunicorn app.wsgi --workers $GUNICORN_WORKERS", why: []string{"`$GUNICORN_WORKERS`, which is not in the app's config"}, fix: "dokku config:set <app> GUNICORN_WORKERS=…"},
		{cmd: "gunicorn app.wsgi --workers ${WEB_CONCURRENCY:-2}", why: []string{"`${WEB_CONCURRENCY…}`"}, fix: "dokku config:set <app> WEB_CONCURRENCY=…, and write $WEB_CONCURRENCY"},
		{cmd: "gunicorn --bind 0.0.0.0:$PORT $(python -c 'print(1)')", why: []string{"`$(…)`"}},
		{cmd: `python -c 'import app' && gunicorn x`, why: []string{"`&&`"}, fix: `sh -c "python -c 'import app' && exec gunicorn x"`,
			fixWords: []string{"sh", "-c", "python -c 'import app' && exec gunicorn x"}},
		{cmd: `echo "it's" && gunicorn x`, why: []string{"`&&`"}, noFix: true},
		{cmd: "echo 'unterminated"}, // bash cannot parse it; not this check's business
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			need, ok := needsShell(c.cmd, inConfig)
			if ok != (c.why != nil) {
				t.Fatalf("needsShell(%q) = %+v, %v; want a shell: %v", c.cmd, need, ok, c.why != nil)
			}
			for _, w := range c.why {
				if !strings.Contains(need.why, w) {
					t.Errorf("why %q lacks %q", need.why, w)
				}
			}
			if c.fix != "" && need.fix != c.fix {
				t.Errorf("fix = %q, want %q", need.fix, c.fix)
			}
			if c.noFix && need.fix != "" {
				t.Errorf("fix = %q, want none", need.fix)
			}
			if c.fixWords != nil {
				got, err := procfile.Split(need.fix, map[string]string{"PORT": "$PORT"})
				if err != nil || !reflect.DeepEqual(got, c.fixWords) {
					t.Errorf("Dokku splits the fix %q into %q (%v), want %q", need.fix, got, err, c.fixWords)
				}
			}
		})
	}
}

func TestShellLineWarnings(t *testing.T) {
	pl := &plan.Plan{Processes: []plan.Process{
		{Name: "web", Command: "cd backend && gunicorn api.wsgi"},
		{Name: "worker", Command: "celery --workdir=backend --app=api worker", Managed: true},
		{Name: "clock", Command: "cd backend && python manage.py clock", Managed: true},
		{Name: "release", Command: "python manage.py migrate && python manage.py collectstatic"},
	}}
	none := func(string) bool { return false }
	if w := shellLineWarnings(&Build{Builder: "herokuish"}, pl, none, false); len(w) != 0 {
		t.Errorf("herokuish runs lines through bash; warned %q", w)
	}
	w := shellLineWarnings(&Build{Builder: "dockerfile"}, pl, none, false)
	if len(w) != 1 || !strings.Contains(w[0], `Procfile line "web: cd backend && gunicorn api.wsgi"`) || !strings.Contains(w[0], "web: sh -c 'cd backend && exec gunicorn api.wsgi'") {
		t.Errorf("dockerfile build: warnings %q, want one for the web line with its exec form", w)
	}
}

// FuzzNeedsShell: no Procfile command makes the shell check panic, and a
// `sh -c` fix it offers splits, as Dokku splits it, into three words.
func FuzzNeedsShell(f *testing.F) {
	for _, s := range []string{"cd a && b", "A=1 b", "a | b > c", "${X:-1} $(y)", "sh -c 'x'", "a; b &"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		need, ok := needsShell(cmd, func(string) bool { return false })
		if !ok || !strings.HasPrefix(need.fix, "sh -c ") || strings.ContainsAny(cmd, "$\\\n\r\t\x00") {
			return
		}
		words, err := procfile.Split(need.fix, map[string]string{})
		if err == nil && (len(words) != 3 || words[0] != "sh" || words[1] != "-c") {
			t.Errorf("fix %q of %q splits into %q", need.fix, cmd, words)
		}
	})
}
