package plan

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
)

// TestDeclaredDaemons: a daemon the project declares elsewhere becomes a
// Procfile line in exec form under a free name, with the warning kept;
// a line the Procfile already has is not added twice, daemons warn only
// names it, and one no line can say is only named.
func TestDeclaredDaemons(t *testing.T) {
	mailer := facts.Daemon{Name: "mailer", AltName: "send-queued-mail", Declared: "/venv/bin/python /srv/manage.py send_queued_mail --loop", From: "deploy/supervisord.conf: [program:mailer] command", Manage: []string{"send_queued_mail", "--loop"}}
	tests := []struct {
		name     string
		daemons  []facts.Daemon
		procfile string
		setting  string
		managePy string
		want     []string // Procfile lines after web and before release, "name: command"
		warn     string   // a warning must hold this ("" for none about daemons)
	}{
		{name: "management command in exec form", daemons: []facts.Daemon{mailer},
			want: []string{"mailer: python manage.py send_queued_mail --loop"},
			warn: "added this Procfile line: mailer: python manage.py send_queued_mail --loop. It starts at scale 0"},
		{name: "manage.py where the image holds it", daemons: []facts.Daemon{mailer}, managePy: "src/manage.py",
			want: []string{"mailer: python src/manage.py send_queued_mail --loop"}, warn: "added this Procfile line"},
		{name: "name taken by a user line: the command's name", daemons: []facts.Daemon{mailer}, procfile: "web: gunicorn proj.wsgi\nmailer: node mail.js\n",
			want: []string{"mailer: node mail.js", "send-queued-mail: python manage.py send_queued_mail --loop"}, warn: "added this Procfile line: send-queued-mail:"},
		{name: "both names taken", daemons: []facts.Daemon{mailer}, procfile: "web: gunicorn proj.wsgi\nmailer: node mail.js\nsend-queued-mail: node x.js\n",
			want: []string{"mailer: node mail.js", "send-queued-mail: node x.js", "mailer-daemon: python manage.py send_queued_mail --loop"}, warn: "mailer-daemon"},
		{name: "named web: never the web process", daemons: []facts.Daemon{{Name: "web", AltName: "tick", Declared: "python manage.py tick", From: "x", Manage: []string{"tick"}}},
			want: []string{"tick: python manage.py tick"}, warn: "tick: python manage.py tick"},
		{name: "the Procfile runs the same management command", daemons: []facts.Daemon{mailer}, procfile: "web: gunicorn proj.wsgi\nmail: python manage.py send_queued_mail\n",
			want: []string{"mail: python manage.py send_queued_mail"}},
		{name: "needs a shell: named only", daemons: []facts.Daemon{{Name: "tick", Declared: "cd /srv && exec ./tick", From: "run", Shell: "`&&`"}},
			warn: "prodserver cannot write its Procfile line (it needs a shell (`&&`)"},
		{name: "a word with a space: named only", daemons: []facts.Daemon{{Name: "sync", Declared: `bash -c "cd /srv && ./sync"`, From: "x", Argv: []string{"bash", "-c", "cd /srv && ./sync"}}},
			warn: "prodserver cannot write its Procfile line (its words cannot be written"},
		{name: "plain argv", daemons: []facts.Daemon{{Name: "feeds", Declared: "newrelic-admin run-program python manage.py feeds", From: "x", Argv: []string{"newrelic-admin", "run-program", "python", "manage.py", "feeds"}}},
			want: []string{"feeds: newrelic-admin run-program python manage.py feeds"}},
		{name: "daemons warn: named, not added", daemons: []facts.Daemon{mailer}, setting: DaemonsWarn,
			warn: "to run it, add this line to the Procfile: mailer: python manage.py send_queued_mail --loop"},
		{name: "unrenderable: named only", daemons: []facts.Daemon{{Name: "tick", Declared: "%(ENV_HOME)s/tick", From: "x", Unrenderable: "it holds a placeholder"}},
			warn: "prodserver cannot write its Procfile line (it holds a placeholder)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &facts.Facts{Django: true, ManagePy: "manage.py", WSGI: "proj.wsgi:application", Packages: map[string]string{"django": "", "gunicorn": ""}, Daemons: tt.daemons}
			if tt.managePy != "" {
				f.ManagePy, f.ProjectDir = tt.managePy, "src"
			}
			in := Inputs{Facts: f, Operator: Operator{Enabled: "auto", Verbatim: true, Daemons: tt.setting}}
			if tt.procfile != "" {
				in.Procfile = []byte(tt.procfile)
			}
			pl := Make(in)
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(string(pl.Procfile)), "\n") {
				if !strings.HasPrefix(line, "web:") && !strings.HasPrefix(line, "release:") {
					got = append(got, line)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Procfile\n%s\nwant the other lines %q", pl.Procfile, tt.want)
			}
			found := false
			for _, w := range pl.Warnings {
				found = found || tt.warn != "" && strings.Contains(w, tt.warn)
			}
			if tt.warn != "" && !found {
				t.Errorf("no warning with %q in %q", tt.warn, pl.Warnings)
			}
			for _, name := range tt.want {
				n, _, _ := strings.Cut(name, ":")
				if p := pl.Process(n); p == nil {
					t.Errorf("no process %s in the plan", n)
				}
			}
			again := Make(Inputs{Facts: f, Operator: in.Operator, Procfile: pl.Procfile})
			if string(again.Procfile) != string(pl.Procfile) {
				t.Errorf("planning the result again changed it:\n%s\nthen\n%s", pl.Procfile, again.Procfile)
			}
		})
	}
}

// TestForApp: the app's name replaces every <app>.
func TestForApp(t *testing.T) {
	pl := &Plan{Warnings: []string{"dokku config:set <app> A=1; dokku ps:scale <app> x=1"}, Notices: []string{"prodserver:set <app> adopt false"}}
	pl.NameApp("shop")
	if pl.Warnings[0] != "dokku config:set shop A=1; dokku ps:scale shop x=1" || pl.Notices[0] != "prodserver:set shop adopt false" {
		t.Errorf("got %q %q", pl.Warnings, pl.Notices)
	}
	if ForApp("x <app>", "") != "x <app>" {
		t.Error("an unknown app must leave the placeholder")
	}
}
