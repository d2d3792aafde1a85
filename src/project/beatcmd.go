package project

import (
	"path"
	"sort"
	"strconv"
	"strings"
)

// The project's own beat command. Projects that ran before Dokku start
// beat from a compose `command:`, a start script (bin/*.sh, scripts/,
// cookiecutter-django's compose/.../beat/start), a Makefile or justfile
// target, tox or an invoke task: its flags (scheduler, schedule file, max
// interval, log level) are what the project runs with, so the rendered
// beat line adopts them, and names those it cannot carry.

// beatCommand is one `celery ... beat` invocation found in a file.
type beatCommand struct {
	line int
	// app is the -A/--app value, "" when none.
	app string
	// scheduler is the -S/--scheduler value; opts the other adopted
	// options (celery-beat backend option names), in command order.
	scheduler string
	opts      [][2]string
	// left are the options the rendered line does not carry, as
	// --name=value.
	left []string
}

// beatAdopted maps beat's options to the celery-beat backend options the
// rendered line carries.
var beatAdopted = map[string]string{
	"-S": "scheduler", "--scheduler": "scheduler",
	"-s": "schedule", "--schedule": "schedule",
	"--max-interval": "max-interval",
	"-l":             "loglevel", "--loglevel": "loglevel",
}

// celeryValueOptions are celery's options that take a value (global ones
// and beat's), in their spellings.
var celeryValueOptions = map[string]bool{
	"-A": true, "--app": true, "-b": true, "--broker": true, "--result-backend": true,
	"--loader": true, "--config": true, "--workdir": true,
	"-S": true, "--scheduler": true, "-s": true, "--schedule": true, "--max-interval": true,
	"-l": true, "--loglevel": true, "-f": true, "--logfile": true, "--pidfile": true,
	"--uid": true, "--gid": true, "--umask": true, "--executable": true,
}

// beatCommandsIn finds the celery beat commands in src, whatever the file
// format: each line (with shell `\` continuations, and YAML folded lines
// that carry only options) is split into words with quotes, brackets and
// commas taken as spaces, which reads shell, YAML flow lists and Python
// call strings alike. `celery worker -B` counts for its -S and -s. Lines
// starting with # are comments. Pure.
func beatCommandsIn(src string) []beatCommand {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var out []beatCommand
	for n := 0; n < len(lines); n++ {
		start := n
		text := strings.TrimSpace(lines[n])
		if strings.HasPrefix(text, "#") {
			continue
		}
		for strings.HasSuffix(text, "\\") && n+1 < len(lines) {
			n++
			text = strings.TrimSuffix(text, "\\") + " " + strings.TrimSpace(lines[n])
		}
		cmd, ok := parseBeatWords(commandWords(text))
		if !ok {
			continue
		}
		// A folded YAML scalar goes on with lines of options only.
		for n+1 < len(lines) {
			next := strings.TrimSpace(lines[n+1])
			if !strings.HasPrefix(next, "-") || strings.HasPrefix(next, "- ") || next == "-" {
				break
			}
			n++
			text += " " + next
		}
		cmd, _ = parseBeatWords(commandWords(text))
		cmd.line = start + 1
		out = append(out, cmd)
	}
	return out
}

// commandWords splits one command line into words, quotes, brackets and
// commas read as spaces, up to the first && || ; or |.
func commandWords(text string) []string {
	text = strings.Map(func(r rune) rune {
		switch r {
		case '"', '\'', '[', ']', '(', ')', ',', '`':
			return ' '
		}
		return r
	}, text)
	var words []string
	for _, w := range strings.Fields(text) {
		if w == "&&" || w == "||" || w == ";" || w == "|" {
			if len(words) > 0 && hasCelery(words) {
				break
			}
			words = nil
			continue
		}
		words = append(words, strings.TrimSuffix(w, ";"))
	}
	return words
}

func hasCelery(words []string) bool {
	for _, w := range words {
		if path.Base(w) == "celery" {
			return true
		}
	}
	return false
}

// parseBeatWords reads `... celery [global options] beat [options]` (or
// `worker ... -B`); ok is false when the words run no beat.
func parseBeatWords(words []string) (beatCommand, bool) {
	var cmd beatCommand
	i := 0
	for i < len(words) && path.Base(words[i]) != "celery" {
		i++
	}
	if i == len(words) {
		return cmd, false
	}
	sub := ""
	var rest [][2]string // option, value ("" for a flag)
	for i++; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") {
			if sub == "" {
				sub = w
				continue
			}
			break // an argument: the command is over
		}
		name, value, hasValue := strings.Cut(w, "=")
		if !hasValue && celeryValueOptions[name] && i+1 < len(words) {
			i++
			value = words[i]
		}
		if name == "-A" || name == "--app" {
			cmd.app = value
			continue
		}
		if sub == "" {
			continue // other global options (--workdir, -b) stay the deploy's
		}
		rest = append(rest, [2]string{name, value})
	}
	worker := false
	switch sub {
	case "beat":
	case "worker":
		for _, o := range rest {
			worker = worker || o[0] == "-B" || o[0] == "--beat"
		}
		if !worker {
			return cmd, false
		}
	default:
		return cmd, false
	}
	for _, o := range rest {
		key, adopt := beatAdopted[o[0]]
		if worker && key != "scheduler" && key != "schedule" {
			continue // the worker's own options
		}
		if key == "max-interval" {
			if _, err := strconv.Atoi(o[1]); err != nil {
				adopt = false
			}
		}
		if strings.ContainsAny(o[1], "${}") || o[1] == "" && adopt {
			adopt = false // a variable the deploy cannot know
		}
		switch {
		case adopt && key == "scheduler":
			cmd.scheduler = o[1]
		case adopt:
			cmd.opts = append(cmd.opts, [2]string{key, o[1]})
		case o[1] == "" && !celeryValueOptions[o[0]]:
			cmd.left = append(cmd.left, o[0])
		default:
			cmd.left = append(cmd.left, longOption(o[0])+"="+o[1])
		}
	}
	return cmd, true
}

// longOption is the long spelling of a celery option, so a left-out
// option is named in a form `--name=value` works for.
func longOption(name string) string {
	switch name {
	case "-S":
		return "--scheduler"
	case "-s":
		return "--schedule"
	case "-l":
		return "--loglevel"
	case "-f":
		return "--logfile"
	}
	return name
}

// flags renders what a beat command's adopted options say, for messages.
func (c beatCommand) flags() string {
	var parts []string
	for _, o := range c.opts {
		parts = append(parts, "--"+o[0]+"="+o[1])
	}
	if c.scheduler != "" {
		parts = append(parts, "--scheduler="+c.scheduler)
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "no options"
	}
	return strings.Join(parts, " ")
}

// beatCommandFile tells the files that may hold the project's own beat
// command: compose files, task runners (Makefile, justfile, tox.ini,
// invoke's tasks.py, pyproject.toml), process manager configs (.ini,
// .conf), shell scripts and the files of bin/, scripts/ and compose/ or
// docker/ start scripts.
func beatCommandFile(rel string) bool {
	base := path.Base(rel)
	dir := "/" + dirOf(rel) + "/"
	switch {
	case daemonFileKind(base) == "compose":
		return true
	case base == "Makefile" || base == "makefile" || base == "GNUmakefile" || base == "justfile" || base == "Justfile" || base == ".justfile":
		return true
	case base == "tox.ini" || base == "pyproject.toml" || base == "noxfile.py":
		return true
	case base == "tasks.py":
		return !strings.Contains(rel, "/") // invoke's tasks.py is at the root
	case strings.HasSuffix(base, ".sh") || strings.HasSuffix(base, ".ini") || strings.HasSuffix(base, ".conf"):
		return true
	case !strings.Contains(base, ".") && (strings.Contains(dir, "/bin/") || strings.Contains(dir, "/scripts/") || strings.Contains(dir, "/script/")):
		return true
	case (base == "start" || base == "run" || strings.HasPrefix(base, "start-") || base == "entrypoint") &&
		(strings.Contains(dir, "/compose/") || strings.Contains(dir, "/docker/") || strings.Contains(dir, "/deploy/")):
		return true
	}
	return false
}

// beatFileRank orders the files beat commands come from: production ones
// first, development and test ones last.
func beatFileRank(rel string) int {
	l := strings.ToLower(rel)
	switch {
	case strings.Contains(l, "prod"):
		return 0
	case strings.Contains(l, "dev") || strings.Contains(l, "local") || strings.Contains(l, "test"):
		return 2
	}
	return 1
}

// maxBeatCommandReads bounds the files read for the project's beat
// command; maxBeatCommandFile bounds each one.
const (
	maxBeatCommandReads = 48
	maxBeatCommandFile  = 256 << 10
)

// locatedBeat is a beatCommand with the file it came from.
type locatedBeat struct {
	beatCommand
	from string // "file line N"
}

// projectBeatCommand finds the project's own beat commands and returns the
// one the rendered line follows (nil for none), having warned about the
// others that differ from it, an -A that differs from the app found and
// the options the rendered line leaves out.
func (s *scanner) projectBeatCommand() *locatedBeat {
	s.t.ensureDepth(MaxDepth)
	var files []string
	for _, ents := range s.t.byName {
		for _, e := range ents {
			if !e.dir && beatCommandFile(e.rel) {
				files = append(files, e.rel)
			}
		}
	}
	sort.Slice(files, func(i, j int) bool {
		ri, rj := beatFileRank(files[i]), beatFileRank(files[j])
		if ri != rj {
			return ri < rj
		}
		return files[i] < files[j]
	})
	var found []locatedBeat
	for n, rel := range files {
		if n >= maxBeatCommandReads {
			break
		}
		b, err := s.t.read(rel, maxBeatCommandFile)
		if err != nil {
			continue
		}
		for _, c := range beatCommandsIn(string(b)) {
			found = append(found, locatedBeat{c, rel + " line " + strconv.Itoa(c.line)})
		}
	}
	if len(found) == 0 {
		return nil
	}
	chosen := &found[0]
	for _, o := range found[1:] {
		if o.flags() != chosen.flags() {
			s.warn("beat: %s runs beat with %s, unlike %s (%s), which the rendered beat line follows", o.from, o.flags(), chosen.from, chosen.flags())
		}
	}
	if a := chosen.app; a != "" && !strings.ContainsAny(a, "${}") && !sameCeleryApp(a, s.f.CeleryApp) {
		s.warn("beat: %s runs beat for the Celery app %s, but prodserver found %s (%s) and renders that; if %s is right, set it: dokku prodserver:set <app> celery-app %s", chosen.from, a, s.f.CeleryApp, s.f.CeleryFile, a, a)
	}
	if len(chosen.left) > 0 {
		s.warn("beat: %s runs beat with %s, which the rendered beat line leaves out (Dokku runs beat in the foreground, logging to stdout); to keep it: dokku prodserver:args <app> beat %s", chosen.from, strings.Join(chosen.left, " "), strings.Join(chosen.left, " "))
	}
	return chosen
}

// sameCeleryApp reports whether -A a reaches the app found as target:
// the same name, or a package celery searches the app in (`-A proj`
// finds proj.celery and the apps proj/__init__.py imports).
func sameCeleryApp(a, target string) bool {
	mod, _, _ := strings.Cut(target, ":")
	return a == target || a == mod || strings.HasPrefix(mod, a+".")
}
