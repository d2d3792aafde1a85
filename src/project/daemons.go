package project

import (
	"path"
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
	"go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// daemonSearchDepth is how many folders below the root declared daemons
// are looked for (deploy/supervisord.conf is 1, docker/s6/services.d/x/run 4):
// as deep as the tree is listed.
const daemonSearchDepth = MaxDepth

// maxDaemonFile bounds each config file read for declared daemons.
const maxDaemonFile = 256 << 10

// daemon is a long-running process the project declares outside the
// Procfile: name is the Procfile name to give it, from is "file: what";
// words, when set, are its exact argv (compose's list form).
type daemon struct {
	name, command, from string
	words               []string
}

// findDeclaredDaemons collects each long-running process the project
// declares for another process manager (uWSGI attach-daemon, supervisord
// programs, compose services, s6 run scripts, systemd units, Procfile-like
// files running manage.py) into Facts.Daemons: on Dokku only the Procfile
// starts processes, so the plan offers each as a line (or names it in a
// warning). Web and dev servers, one-shot commands and, when detection
// already runs a queue, its workers are left out, as are commands the
// Procfile already has.
func (s *scanner) findDeclaredDaemons() {
	s.t.ensureDepth(daemonSearchDepth)
	var files []string
	for name, ents := range s.t.byName {
		if daemonFileKind(name) == "" {
			continue
		}
		for _, e := range ents {
			if !e.dir && e.depth <= daemonSearchDepth {
				files = append(files, e.rel)
			}
		}
	}
	sort.Strings(files)
	have := map[string]bool{}
	if s.t.isFile("Procfile") {
		if b, err := s.t.read("Procfile", maxDaemonFile); err == nil {
			for _, d := range procfileLike(string(b), "Procfile", false) {
				have[normCmd(d.command)] = true
			}
		}
	}
	seen := map[string]bool{}
	for _, rel := range files {
		b, err := s.t.read(rel, maxDaemonFile)
		if err != nil {
			continue // an unreadable config is not the app's process list
		}
		for _, d := range declaredDaemons(rel, string(b)) {
			key := normCmd(d.command)
			if seen[key] || have[key] || !s.longRunning(d.command) {
				continue
			}
			seen[key] = true
			s.f.Daemons = append(s.f.Daemons, daemonFact(d))
		}
	}
}

// daemonFact reads a declared command's words for the plan: the words
// after manage.py for a management command, else the argv, or why it
// needs a shell, or why no Procfile line can say it.
func daemonFact(d daemon) facts.Daemon {
	out := facts.Daemon{Name: d.name, Declared: d.command, From: d.from}
	if alt := commandName(d.command); alt != d.name {
		out.AltName = alt
	}
	words, shell := d.words, ""
	if words == nil {
		words, shell = shellWords(d.command)
	}
	if shell != "" {
		out.Shell = shell
		if placeholder(d.command) {
			out.Unrenderable = "it holds a placeholder that only its own process manager fills in"
		}
		return out
	}
	rest := words
	for i, w := range words {
		// manage.py run directly or by a python interpreter (a venv's
		// /srv/venv/bin/python too): the app's own python manage.py
		// replaces them. A wrapper before it (newrelic-admin …) is kept.
		if path.Base(w) == "manage.py" && i+1 < len(words) && (i == 0 || i == 1 && strings.HasPrefix(path.Base(words[0]), "python")) {
			out.Manage = words[i+1:]
			rest = out.Manage
			break
		}
	}
	if out.Manage == nil {
		out.Argv = words
	}
	for _, w := range rest {
		if placeholder(w) {
			out.Argv, out.Manage = nil, nil
			out.Unrenderable = "it holds " + w + ", a placeholder that only its own process manager fills in"
			break
		}
	}
	return out
}

// placeholder tells a word holding a supervisord %(name)s or uWSGI %x
// placeholder, which no other process manager fills in.
func placeholder(w string) bool {
	for i := 0; i+1 < len(w); i++ {
		if c := w[i+1]; w[i] == '%' && (c == '(' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return true
		}
	}
	return false
}

// shellWords splits cmd as a POSIX shell would when it is one plain
// command of literal words; otherwise it returns why a shell is needed.
func shellWords(cmd string) ([]string, string) {
	f, err := syntax.NewParser().Parse(strings.NewReader(cmd), "")
	if err != nil {
		return nil, "it is not a command a shell can parse"
	}
	if len(f.Stmts) != 1 {
		return nil, "`;` (several commands)"
	}
	st := f.Stmts[0]
	if len(st.Redirs) > 0 {
		return nil, "a redirection"
	}
	if st.Background || st.Negated {
		return nil, "`&` or `!`"
	}
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok {
		return nil, "`&&`, `||` or `|`"
	}
	if len(call.Assigns) > 0 {
		return nil, "`" + call.Assigns[0].Name.Value + "=…` before the command"
	}
	var words []string
	for _, w := range call.Args {
		for _, part := range w.Parts {
			switch part := part.(type) {
			case *syntax.Lit, *syntax.SglQuoted:
			case *syntax.DblQuoted:
				for _, in := range part.Parts {
					if _, ok := in.(*syntax.Lit); !ok {
						return nil, "a variable or command substitution"
					}
				}
			default:
				return nil, "a variable, glob or command substitution"
			}
		}
		lit, err := expand.Literal(nil, w)
		if err != nil {
			return nil, "a word only a shell can expand"
		}
		words = append(words, lit)
	}
	if len(words) > 0 && (words[0] == "cd" || words[0] == "exec" || words[0] == "source" || words[0] == ".") {
		return nil, "`" + words[0] + "`"
	}
	return words, ""
}

// daemonFileKind tells which declaration format a file name holds, "" for
// none.
func daemonFileKind(name string) string {
	switch {
	case strings.HasSuffix(name, ".ini") || strings.HasSuffix(name, ".conf"):
		return "ini"
	case (strings.HasPrefix(name, "docker-compose") || strings.HasPrefix(name, "compose")) &&
		(strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")):
		return "compose"
	case strings.HasSuffix(name, ".service"):
		return "systemd"
	case name == "run":
		return "s6"
	case strings.HasPrefix(name, "Procfile.") || strings.HasPrefix(name, "Procfile-") || strings.HasPrefix(name, "Procfile_"):
		return "procfile"
	}
	return ""
}

// declaredDaemons reads the daemons one file declares. Pure: rel only
// names the file and chooses the format.
func declaredDaemons(rel, src string) []daemon {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	switch daemonFileKind(path.Base(rel)) {
	case "ini":
		return iniDaemons(rel, src)
	case "compose":
		return composeDaemons(rel, src)
	case "systemd":
		for _, line := range strings.Split(src, "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "ExecStart="); ok {
				v = strings.TrimLeft(v, "-@+!:")
				return []daemon{{procName(strings.TrimSuffix(path.Base(rel), ".service")), strings.TrimSpace(v), rel + ": ExecStart", nil}}
			}
		}
	case "s6":
		if !strings.Contains(rel, "services.d/") && !strings.Contains(rel, "s6-rc.d/") && !strings.Contains(rel, "s6") {
			return nil
		}
		cmd := ""
		for _, line := range strings.Split(src, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			cmd = line
		}
		for _, p := range []string{"exec ", "s6-setuidgid ", "with-contenv "} {
			if rest, ok := strings.CutPrefix(cmd, p); ok {
				cmd = rest
				if p == "s6-setuidgid " { // drop the user
					_, cmd, _ = strings.Cut(cmd, " ")
				}
			}
		}
		if cmd == "" {
			return nil
		}
		return []daemon{{procName(path.Base(dirOf(rel))), strings.TrimSpace(cmd), rel, nil}}
	case "procfile":
		return procfileLike(src, rel, true)
	}
	return nil
}

// iniDaemons reads supervisord `[program:x]` command= and uWSGI
// attach-daemon / smart-attach-daemon (pidfile first) entries.
func iniDaemons(rel, src string) []daemon {
	var out []daemon
	section := ""
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case strings.HasPrefix(section, "program:") && k == "command":
			out = append(out, daemon{procName(strings.TrimPrefix(section, "program:")), v, rel + ": [" + section + "] command", nil})
		case section == "uwsgi" && (k == "attach-daemon" || k == "attach-daemon2" || k == "smart-attach-daemon" || k == "smart-attach-daemon2"):
			if strings.HasPrefix(k, "smart") {
				_, v, _ = strings.Cut(v, " ") // the pidfile
				v = strings.TrimSpace(v)
			}
			if k == "attach-daemon2" {
				continue // key=value options, not a plain command
			}
			out = append(out, daemon{commandName(v), v, rel + ": " + k, nil})
		}
	}
	return out
}

// composeDaemons reads the `command:` of each service of a compose file,
// in the file's order: a string (which compose splits as a shell would,
// without running one: plain, quoted or folded over several lines), or a
// list of words, flow or block. A file that is not YAML declares nothing.
func composeDaemons(rel, src string) []daemon {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	services := mapValue(doc.Content[0], "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return nil
	}
	var out []daemon
	for i := 0; i+1 < len(services.Content); i += 2 {
		name := services.Content[i].Value
		cmd := mapValue(services.Content[i+1], "command")
		if cmd == nil {
			continue
		}
		from := rel + ": services." + name + ".command"
		switch cmd.Kind {
		case yaml.ScalarNode:
			// compose splits the string as shlex does: a newline of a
			// block scalar is a space between words.
			if v := strings.Join(strings.Fields(cmd.Value), " "); v != "" && !strings.ContainsAny(cmd.Value, `"'\`) {
				out = append(out, daemon{name: procName(name), command: v, from: from})
			} else if v := strings.TrimSpace(cmd.Value); v != "" {
				out = append(out, daemon{name: procName(name), command: v, from: from})
			}
		case yaml.SequenceNode:
			var words []string
			for _, w := range cmd.Content {
				if w.Kind != yaml.ScalarNode {
					words = nil
					break
				}
				words = append(words, w.Value)
			}
			if len(words) > 0 {
				out = append(out, daemon{name: procName(name), command: strings.Join(words, " "), from: from, words: words})
			}
		}
	}
	return out
}

// mapValue is the value under key in a YAML mapping node, nil when absent
// (or n is no mapping).
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// procfileLike reads `name: command` lines; with manageOnly, only those
// running manage.py <command>.
func procfileLike(src, rel string, manageOnly bool) []daemon {
	var out []daemon
	for _, line := range strings.Split(src, "\n") {
		name, cmd, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || strings.HasPrefix(name, "#") || strings.ContainsAny(name, " \t") {
			continue
		}
		cmd = strings.TrimSpace(cmd)
		if manageOnly && !strings.Contains(cmd, "manage.py ") {
			continue
		}
		out = append(out, daemon{procName(name), cmd, rel + ": " + name, nil})
	}
	return out
}

// oneShot are manage.py commands that finish: not daemons.
var oneShot = map[string]bool{
	"migrate": true, "collectstatic": true, "compilemessages": true, "createsuperuser": true,
	"check": true, "test": true, "shell": true, "loaddata": true, "makemigrations": true,
	"wait_for_db": true, "wait_for_database": true, "createcachetable": true,
}

// servers are programs detection renders itself (web servers) or that are
// not the app's (databases, proxies).
var servers = map[string]bool{
	"gunicorn": true, "uwsgi": true, "uvicorn": true, "daphne": true, "hypercorn": true,
	"waitress-serve": true, "granian": true, "nginx": true, "redis-server": true,
	"postgres": true, "supervisord": true, "honcho": true,
}

// queuePrograms are the workers of the queues detection runs.
var queuePrograms = map[string]bool{
	"celery": true, "rqworker": true, "rqworker-pool": true, "qcluster": true,
	"run_huey": true, "rundramatiq": true, "dramatiq": true, "db_worker": true,
}

// longRunning leaves out servers, the dev server, one-shot manage.py
// commands and, when detection runs a queue, queue workers.
func (s *scanner) longRunning(cmd string) bool {
	if facts.RunsDevServer(cmd, s.f.DevServerTargets) {
		return false
	}
	words := strings.Fields(cmd)
	for i, w := range words {
		base := path.Base(w)
		if servers[base] || queuePrograms[base] && len(s.f.Queues) > 0 {
			return false
		}
		if base == "manage.py" && i+1 < len(words) && oneShot[words[i+1]] {
			return false
		}
		if base == "&&" || base == ";" {
			break
		}
	}
	return len(words) > 0
}

// commandName names a daemon after its manage.py command or program.
func commandName(cmd string) string {
	words := strings.Fields(cmd)
	for i, w := range words {
		if path.Base(w) == "manage.py" && i+1 < len(words) {
			return procName(words[i+1])
		}
	}
	if len(words) == 0 {
		return "daemon"
	}
	return procName(path.Base(words[0]))
}

// procName turns a declared name into a Procfile process name.
func procName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r == '_' || r == '.' || r == ' ':
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "daemon"
	}
	return strings.Trim(b.String(), "-")
}

// normCmd normalises a command's spacing for comparisons.
func normCmd(cmd string) string { return strings.Join(strings.Fields(cmd), " ") }
