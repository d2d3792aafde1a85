package project

import (
	"bytes"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// Periodic tasks registered in code. Celery's guide registers them with
// add_periodic_task in an on_after_configure (or on_after_finalize)
// handler, and many projects build app.conf.beat_schedule in code, in the
// app's module or in another one (an app's tasks.py, a schedules.py): any
// of these means a beat process must run, or the tasks never fire.

// periodicTask is one place a module registers periodic tasks: its line
// and what it does there.
type periodicTask struct {
	line int
	what string
}

// beatScheduleNames are the Celery settings holding the schedule, as an
// attribute of app.conf or a key of conf.update().
var beatScheduleNames = map[string]bool{"beat_schedule": true, "CELERYBEAT_SCHEDULE": true, "CELERY_BEAT_SCHEDULE": true}

// handlerSignals are the app signals whose handlers Celery's guide uses to
// call add_periodic_task.
var handlerSignals = map[string]bool{"on_after_configure": true, "on_after_finalize": true}

// periodicTasksIn returns where src registers periodic tasks: calls of
// add_periodic_task (noting an on_after_configure/on_after_finalize
// handler), beat_schedule assigned, item-set or updated (app.conf.X = ...,
// conf.update(beat_schedule=...), a module-level beat_schedule of a config
// module), and the pre-5 @periodic_task decorator. Reading the schedule
// and assigning an empty one ({}, dict(), None) do not count. Pure.
func periodicTasksIn(src []byte) []periodicTask {
	toks := tokenize(src)
	stmts := statements(toks)
	connected := map[string]string{} // handler name -> signal, from X.on_after_configure.connect(handler)
	for _, st := range stmts {
		for i := 0; i+4 < len(st); i++ {
			if handlerSignals[st[i].Text] && st[i+1].Text == "." && st[i+2].Text == "connect" && st[i+3].Text == "(" && st[i+4].Kind == pyliteral.Name {
				connected[st[i+4].Text] = st[i].Text
			}
		}
	}
	type def struct {
		indent int
		signal string
	}
	var stack []def
	pending := map[int]string{} // decorator indent -> signal
	var out []periodicTask
	add := func(t pyliteral.Token, what string) {
		out = append(out, periodicTask{lineAt(src, t.Start), what})
	}
	for _, st := range stmts {
		indent := st[0].Indent
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if st[0].Text == "@" {
			for i, t := range st {
				if handlerSignals[t.Text] && i+2 < len(st) && st[i+1].Text == "." && st[i+2].Text == "connect" {
					pending[indent] = t.Text
				}
				if t.Text == "periodic_task" && t.Kind == pyliteral.Name {
					add(t, "@periodic_task decorator")
				}
			}
			continue
		}
		if d, ok := defName(st); ok {
			sig := pending[indent]
			if sig == "" {
				sig = connected[d]
			}
			stack = append(stack, def{indent, sig})
		}
		delete(pending, indent)
		signal := ""
		for _, d := range stack {
			if d.signal != "" {
				signal = d.signal
			}
		}
		for i, t := range st {
			if t.Kind == pyliteral.Name && t.Text == "add_periodic_task" && i > 0 && st[i-1].Text == "." && i+1 < len(st) && st[i+1].Text == "(" {
				if signal != "" {
					add(t, "add_periodic_task in an "+signal+" handler")
				} else {
					add(t, "add_periodic_task call")
				}
			}
			if what := scheduleChange(st, i); what != "" {
				add(t, what)
			}
		}
	}
	return out
}

// scheduleChange tells whether token i of statement st changes a beat
// schedule, and how; "" when it does not.
func scheduleChange(st []pyliteral.Token, i int) string {
	t := st[i]
	next := func(k int) string {
		if i+k < len(st) {
			return st[i+k].Text
		}
		return ""
	}
	switch {
	case t.Kind == pyliteral.Name && beatScheduleNames[t.Text] && i > 0 && st[i-1].Text == ".":
		switch next(1) {
		case "=":
			if !emptyValue(st[i+2:]) {
				return t.Text + " assigned"
			}
		case "|=":
			return t.Text + " updated"
		case "[":
			if closing := matchBracket(st, i+1); closing > 0 && closing+1 < len(st) && st[closing+1].Text == "=" {
				return t.Text + " item set"
			}
		case ".":
			if m := next(2); (m == "update" || m == "setdefault" || m == "__setitem__") && next(3) == "(" {
				return t.Text + " updated"
			}
		}
	case t.Kind == pyliteral.Name && t.Text == "beat_schedule" && i == 0 && t.Indent == 0 && next(1) == "=":
		if !emptyValue(st[1+1:]) {
			return "beat_schedule assigned" // a config module (config_from_object)
		}
	case t.Kind == pyliteral.Name && beatScheduleNames[t.Text] && i > 0 && (st[i-1].Text == "(" || st[i-1].Text == ",") && next(1) == "=":
		if !emptyValue(st[i+2:]) {
			return t.Text + " set by a call" // conf.update(beat_schedule=...)
		}
	case t.Kind == pyliteral.String && beatScheduleNames[t.Text] && next(1) == ":":
		if !emptyValue(st[i+2:]) {
			return t.Text + " set by a call" // conf.update({"beat_schedule": ...})
		}
	}
	return ""
}

// emptyValue reports a value that declares no periodic task: {}, dict()
// or None, up to the end of the statement or the next , or ).
func emptyValue(toks []pyliteral.Token) bool {
	var words []string
	depth := 0
scan:
	for _, t := range toks {
		switch t.Text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth == 0 {
				break scan
			}
			depth--
		case ",":
			if depth == 0 {
				break scan
			}
		}
		words = append(words, t.Text)
		if len(words) > 3 {
			return false
		}
	}
	switch strings.Join(words, " ") {
	case "{ }", "dict ( )", "None":
		return true
	}
	return false
}

// matchBracket returns the index of the bracket closing the one at open,
// -1 when the statement ends first.
func matchBracket(st []pyliteral.Token, open int) int {
	depth := 0
	for k := open; k < len(st); k++ {
		switch st[k].Text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// statements splits tokens into simple statements.
func statements(toks []pyliteral.Token) [][]pyliteral.Token {
	var out [][]pyliteral.Token
	start := 0
	for i := 1; i <= len(toks); i++ {
		if i == len(toks) || toks[i].Stmt {
			if i > start {
				out = append(out, toks[start:i])
			}
			start = i
		}
	}
	return out
}

// defName is the function a `def` / `async def` statement defines.
func defName(st []pyliteral.Token) (string, bool) {
	i := 0
	if len(st) > 0 && st[0].Text == "async" {
		i = 1
	}
	if i+1 < len(st) && st[i].Kind == pyliteral.Name && st[i].Text == "def" && st[i+1].Kind == pyliteral.Name {
		return st[i+1].Text, true
	}
	return "", false
}

// lineAt is the 1-based line of byte offset off.
func lineAt(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return 1 + bytes.Count(src[:off], []byte("\n"))
}

// maxPeriodicReads bounds the modules read looking for periodic tasks
// registered outside the Celery module.
const maxPeriodicReads = 32

// periodicModuleName tells the module names that register periodic tasks
// outside the Celery module: the apps' tasks.py, and modules named for
// schedules (schedules.py, periodic_tasks.py, celerybeat.py,
// celeryconfig.py, cron.py).
func periodicModuleName(base string) bool {
	if !strings.HasSuffix(base, ".py") {
		return false
	}
	name := strings.ToLower(strings.TrimSuffix(base, ".py"))
	if name == "tasks" || name == "cron" || name == "crons" {
		return true
	}
	for _, w := range []string{"schedul", "periodic", "beat", "celery"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// periodicTasks finds periodic tasks registered in code: in the Celery
// module (appSrc) first, then in the other modules periodicModuleName
// names, importable and at most celerySearchDepth+1 folders below the
// project folder. It returns the first found, as "file line N: what".
func (s *scanner) periodicTasks(appSrc []byte) string {
	if regs := periodicTasksIn(appSrc); len(regs) > 0 {
		return s.f.CeleryFile + " line " + strconv.Itoa(regs[0].line) + ": " + regs[0].what
	}
	maxDepth := celerySearchDepth + 1
	if s.f.ProjectDir != "" {
		maxDepth += strings.Count(s.f.ProjectDir, "/") + 1
	}
	s.t.ensureDepth(maxDepth)
	var files []string
	for name, ents := range s.t.byName {
		if !periodicModuleName(name) {
			continue
		}
		for _, e := range ents {
			if !e.dir && e.depth <= maxDepth && e.rel != s.f.CeleryFile && !isTestPath(e.rel) {
				files = append(files, e.rel)
			}
		}
	}
	sort.Slice(files, func(i, j int) bool {
		di, dj := strings.Count(files[i], "/"), strings.Count(files[j], "/")
		if di != dj {
			return di < dj
		}
		return files[i] < files[j]
	})
	for n, rel := range files {
		if n >= maxPeriodicReads {
			s.warn("beat: stopped after reading %d modules looking for periodic tasks", maxPeriodicReads)
			break
		}
		if _, ok := s.moduleOf(rel); !ok {
			continue
		}
		src, err := s.t.read(rel, maxSourceBytes)
		if err != nil {
			continue
		}
		if regs := periodicTasksIn(src); len(regs) > 0 {
			return rel + " line " + strconv.Itoa(regs[0].line) + ": " + regs[0].what
		}
	}
	return ""
}

// isTestPath tells a file inside a tests folder.
func isTestPath(rel string) bool {
	return strings.Contains("/"+path.Dir(rel)+"/", "/tests/")
}
