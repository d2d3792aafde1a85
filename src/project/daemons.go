package project

import (
	"path"
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
)

// daemonSearchDepth is how many folders below the root declared daemons
// are looked for (deploy/supervisord.conf is 1, docker/s6/services.d/x/run 4):
// as deep as the tree is listed.
const daemonSearchDepth = MaxDepth

// maxDaemonFile bounds each config file read for declared daemons.
const maxDaemonFile = 256 << 10

// daemon is a long-running process the project declares outside the
// Procfile: name is the Procfile name to give it, from is "file: what".
type daemon struct {
	name, command, from string
}

// findDeclaredDaemons warns about each long-running process the project
// declares for another process manager (uWSGI attach-daemon, supervisord
// programs, compose services, s6 run scripts, systemd units, Procfile-like
// files running manage.py): on Dokku only the Procfile starts processes,
// so each is named with the Procfile line to add. Web and dev servers,
// one-shot commands and, when detection already runs a queue, its
// workers are left out, as are commands the Procfile already has.
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
				have[d.name], have[normCmd(d.command)] = true, true
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
			if seen[key] || have[key] || have[d.name] || !s.longRunning(d.command) {
				continue
			}
			seen[key] = true
			s.warn("%s runs %q, which Dokku does not start (only the Procfile's lines run); to run it, add this line to the Procfile: %s: %s", d.from, d.command, d.name, d.command)
		}
	}
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
				return []daemon{{procName(strings.TrimSuffix(path.Base(rel), ".service")), strings.TrimSpace(v), rel + ": ExecStart"}}
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
		return []daemon{{procName(path.Base(dirOf(rel))), strings.TrimSpace(cmd), rel}}
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
			out = append(out, daemon{procName(strings.TrimPrefix(section, "program:")), v, rel + ": [" + section + "] command"})
		case section == "uwsgi" && (k == "attach-daemon" || k == "attach-daemon2" || k == "smart-attach-daemon" || k == "smart-attach-daemon2"):
			if strings.HasPrefix(k, "smart") {
				_, v, _ = strings.Cut(v, " ") // the pidfile
				v = strings.TrimSpace(v)
			}
			if k == "attach-daemon2" {
				continue // key=value options, not a plain command
			}
			out = append(out, daemon{commandName(v), v, rel + ": " + k})
		}
	}
	return out
}

// composeDaemons reads the one-line `command:` of each service of a
// compose file (a string, or a flow list of strings). Block forms are
// skipped: this is a line reader, not a YAML parser.
func composeDaemons(rel, src string) []daemon {
	var out []daemon
	inServices, service, svcIndent := false, "", -1
	for _, raw := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " "))
		if indent == 0 {
			inServices, service, svcIndent = trimmed == "services:", "", -1
			continue
		}
		if !inServices {
			continue
		}
		if svcIndent < 0 || indent == svcIndent {
			if strings.HasSuffix(trimmed, ":") {
				svcIndent, service = indent, strings.TrimSuffix(trimmed, ":")
			}
			continue
		}
		v, ok := strings.CutPrefix(trimmed, "command:")
		if !ok || service == "" {
			continue
		}
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
			var words []string
			for _, w := range strings.Split(v[1:len(v)-1], ",") {
				words = append(words, strings.Trim(strings.TrimSpace(w), `"'`))
			}
			v = strings.Join(words, " ")
		} else {
			v = strings.Trim(v, `"'`)
		}
		if v != "" && v != "|" && v != ">" {
			out = append(out, daemon{procName(service), v, rel + ": services." + service + ".command"})
		}
	}
	return out
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
		out = append(out, daemon{procName(name), cmd, rel + ": " + name})
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
