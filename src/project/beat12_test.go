package project

import (
	"fmt"
	"strings"
	"testing"
)

// TestPeriodicTasksIn: what periodicTasksIn reports, line and kind, for
// each way code registers periodic tasks, and nothing for code that only
// reads a schedule or sets an empty one.
func TestPeriodicTasksIn(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // "line:what;..."
	}{
		{"decorated on_after_configure handler", "@app.on_after_configure.connect\ndef setup(sender, **kw):\n    sender.add_periodic_task(10.0, ping.s())\n", "3:add_periodic_task in an on_after_configure handler"},
		{"decorator with arguments, on_after_finalize", "@celery_app.on_after_finalize.connect(weak=False)\nasync def setup(sender, **kw):\n    if True:\n        sender.add_periodic_task(10.0, ping.s())\n", "4:add_periodic_task in an on_after_finalize handler"},
		{"connected by call", "def setup(sender, **kw):\n    sender.add_periodic_task(10.0, ping.s())\n\napp.on_after_configure.connect(setup)\n", "2:add_periodic_task in an on_after_configure handler"},
		{"plain call", "def register(app):\n    app.add_periodic_task(60, x.s())\n", "2:add_periodic_task call"},
		{"handler ends", "@app.on_after_configure.connect\ndef setup(sender, **kw):\n    pass\n\ndef later(app):\n    app.add_periodic_task(60, x.s())\n", "6:add_periodic_task call"},
		{"conf.beat_schedule assigned", "app.conf.beat_schedule = {'x': {'task': 't', 'schedule': 5}}\n", "1:beat_schedule assigned"},
		{"built by a function", "app.conf.beat_schedule = build_schedule()\n", "1:beat_schedule assigned"},
		{"item set", "app.conf.beat_schedule['nightly'] = {'task': 't', 'schedule': 5}\n", "1:beat_schedule item set"},
		{"updated", "app.conf.beat_schedule.update(EXTRA)\n", "1:beat_schedule updated"},
		{"conf.update keyword", "app.conf.update(timezone='UTC', beat_schedule=SCHEDULE)\n", "1:beat_schedule set by a call"},
		{"conf.update dict", "app.conf.update({'beat_schedule': SCHEDULE})\n", "1:beat_schedule set by a call"},
		{"config module", "broker_url = 'redis://'\nbeat_schedule = {'x': {}}\n", "2:beat_schedule assigned"},
		{"old uppercase", "app.conf.CELERYBEAT_SCHEDULE = SCHEDULE\n", "1:CELERYBEAT_SCHEDULE assigned"},
		{"periodic_task decorator", "@periodic_task(run_every=crontab())\ndef job():\n    pass\n", "1:@periodic_task decorator"},
		{"empty dict", "app.conf.beat_schedule = {}\n", ""},
		{"dict()", "app.conf.beat_schedule = dict()\n", ""},
		{"empty keyword", "app.conf.update(beat_schedule={}, timezone='UTC')\n", ""},
		{"read only", "print(app.conf.beat_schedule)\nif app.conf.beat_schedule == {}:\n    pass\n", ""},
		{"comment and string", "# app.add_periodic_task(1, x.s())\ndoc = 'sender.add_periodic_task(1, x.s())'\n", ""},
		{"name without call", "f = sender.add_periodic_task\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range periodicTasksIn([]byte(tt.src)) {
				got = append(got, fmt.Sprintf("%d:%s", r.line, r.what))
			}
			if strings.Join(got, ";") != tt.want {
				t.Errorf("periodicTasksIn = %q, want %q", strings.Join(got, ";"), tt.want)
			}
		})
	}
}

// TestBeatSchedulerIn: the scheduler set in the Celery module's code.
func TestBeatSchedulerIn(t *testing.T) {
	tests := []struct{ src, want string }{
		{"app.conf.beat_scheduler = 'proj.schedulers:Mine'\n", "proj.schedulers:Mine"},
		{"app.conf.update(timezone='UTC', beat_scheduler=\"redbeat.RedBeatScheduler\")\n", "redbeat.RedBeatScheduler"},
		{"app.conf.update({'beat_scheduler': 'x.y:Z'})\n", "x.y:Z"},
		{"beat_scheduler = 'x.y:Z'\n", "x.y:Z"},
		{"app.conf.beat_scheduler = SCHEDULER\n", ""},
		{"print(app.conf.beat_scheduler)\n", ""},
		{"# app.conf.beat_scheduler = 'a:B'\n", ""},
	}
	for _, tt := range tests {
		if got, _ := beatSchedulerIn([]byte(tt.src)); got != tt.want {
			t.Errorf("beatSchedulerIn(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestSchedulerSubclasses: classes deriving from DatabaseScheduler,
// directly, by attribute or through another class of the module.
func TestSchedulerSubclasses(t *testing.T) {
	tests := []struct{ src, want string }{
		{"class Mine(DatabaseScheduler):\n    pass\n", "Mine"},
		{"class Mine(schedulers.DatabaseScheduler, Mixin):\n    pass\n", "Mine"},
		{"class Base(DatabaseScheduler):\n    pass\nclass Tenant(LoggingMixin, Base):\n    pass\n", "Base,Tenant"},
		{"class Mine(PersistentScheduler):\n    pass\n", ""},
		{"class DatabaseScheduler(Scheduler):\n    pass\n", ""},
		{"def f():\n    class Inner(DatabaseScheduler):\n        pass\n", "Inner"},
	}
	for _, tt := range tests {
		if got := strings.Join(schedulerSubclasses([]byte(tt.src)), ","); got != tt.want {
			t.Errorf("schedulerSubclasses(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestBeatCommandsIn: beat commands read from the formats projects keep
// them in, with what is adopted and what is left out.
func TestBeatCommandsIn(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // "line app scheduler opts left" per command
	}{
		{"shell exec", "#!/bin/sh\nexec celery -A config.celery_app beat -l INFO\n", "2 config.celery_app  [[loglevel INFO]] []"},
		{"compose flow list", "    command: [\"celery\", \"--app=proj\", \"beat\", \"--scheduler=django\", \"--max-interval=10\"]\n", "1 proj django [[max-interval 10]] []"},
		{"continuation", "celery -A proj beat \\\n  -s /var/beat/schedule \\\n  --pidfile=\n", "1 proj  [[schedule /var/beat/schedule]] [--pidfile=]"},
		{"folded YAML", "command: >\n  celery -A proj beat\n  --loglevel=warning\nrestart: always\n", "2 proj  [[loglevel warning]] []"},
		{"after &&", "cd /app && celery -A proj beat --detach\n", "1 proj  [] [--detach]"},
		{"python -m with env var", "python -m celery -A proj beat -l $LOG_LEVEL\n", "1 proj  [] [--loglevel=$LOG_LEVEL]"},
		{"worker -B", "celery -A proj worker -B -S redbeat.RedBeatScheduler -c 4\n", "1 proj redbeat.RedBeatScheduler [] []"},
		{"invoke string", "    c.run('celery -A proj beat -l info')\n", "1 proj  [[loglevel info]] []"},
		{"worker only", "celery -A proj worker -l info\n", ""},
		{"comment", "# celery -A proj beat\n", ""},
		{"flower", "celery -A proj flower\n", ""},
		{"not celery", "echo beat\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range beatCommandsIn(tt.src) {
				got = append(got, fmt.Sprintf("%d %s %s %v %v", c.line, c.app, c.scheduler, c.opts, c.left))
			}
			if strings.Join(got, "\n") != tt.want {
				t.Errorf("beatCommandsIn =\n%s\nwant\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}

// TestBeatCommandFile: which files may hold the project's beat command.
func TestBeatCommandFile(t *testing.T) {
	yes := []string{"docker-compose.yml", "deploy/compose.prod.yaml", "Makefile", "justfile", "tox.ini", "tasks.py", "bin/start-beat.sh",
		"scripts/beat", "compose/production/django/celery/beat/start", "deploy/supervisord.conf", "pyproject.toml"}
	no := []string{"shop/tasks.py", "proj/celery.py", "README.md", "bin/tool.py", "static/start"}
	for _, rel := range yes {
		if !beatCommandFile(rel) {
			t.Errorf("beatCommandFile(%q) = false, want true", rel)
		}
	}
	for _, rel := range no {
		if beatCommandFile(rel) {
			t.Errorf("beatCommandFile(%q) = true, want false", rel)
		}
	}
}
