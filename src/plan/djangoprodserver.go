package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// webAddressOptions are ARGS a django-prodserver config often carries for
// local runs (bind=0.0.0.0:8000) that would break Dokku's routing: the web
// process must listen on $PORT, so they are dropped with a warning.
var webAddressOptions = map[string]bool{"bind": true, "b": true, "host": true, "port": true, "listen": true, "http-socket": true}

// ProductionProcesses maps settings.py's PRODUCTION_PROCESSES (evaluated by
// pyliteral) to a Config. Processes with a class prodserver cannot render
// (dev servers, custom classes) are left out with a warning, so their
// Procfile lines stay the user's. A value of the wrong shape is an error.
func ProductionProcesses(v pyliteral.Value) (cfg *Config, warnings []string, err error) {
	d, ok := v.(*pyliteral.Dict)
	if !ok {
		return nil, nil, fmt.Errorf("PRODUCTION_PROCESSES must be a dict of process name to config")
	}
	cfg = &Config{Source: SourceSettings}
	for i, k := range d.Keys {
		name, ok := k.(string)
		if !ok {
			return nil, nil, fmt.Errorf("PRODUCTION_PROCESSES: process names must be strings")
		}
		entry, ok := d.Values[i].(*pyliteral.Dict)
		if !ok {
			return nil, nil, fmt.Errorf("PRODUCTION_PROCESSES[%q] must be a dict", name)
		}
		proc := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
		if err := procfile.DNSLabel(proc); err != nil {
			return nil, nil, fmt.Errorf("PRODUCTION_PROCESSES[%q]: %v", name, err)
		}
		pc := ProcConfig{Name: proc}
		classV, _ := entry.Get("BACKEND")
		class, ok := classV.(string)
		if !ok {
			return nil, nil, fmt.Errorf("PRODUCTION_PROCESSES[%q][\"BACKEND\"] must be a string", name)
		}
		if pc.Backend, ok = backend.ForDjangoClass(class); !ok {
			warnings = append(warnings, fmt.Sprintf("PRODUCTION_PROCESSES[%q]: backend %s has no prodserver equivalent; leaving that process to the Procfile", name, keyText(class)))
			continue
		}
		if app, ok := entry.Get("APP"); ok {
			s, isStr := app.(string)
			if !isStr {
				return nil, nil, fmt.Errorf("PRODUCTION_PROCESSES[%q][\"APP\"] must be a string", name)
			}
			// django-prodserver takes "proj.celery.app"; celery -A takes it as is.
			pc.App = s
		}
		if args, ok := entry.Get("ARGS"); ok {
			if err := settingsArgs(&pc, args); err != nil {
				return nil, nil, fmt.Errorf("PRODUCTION_PROCESSES[%q][\"ARGS\"]: %v", name, err)
			}
		}
		if b, err := backend.Lookup(pc.Backend); err == nil && b.Web {
			var dropped []string
			pc.Options, dropped = withoutAddressOptions(pc.Options)
			for _, k := range dropped {
				warnings = append(warnings, fmt.Sprintf("PRODUCTION_PROCESSES[%q][\"ARGS\"]: %s dropped; Dokku routes the web process to 0.0.0.0:$PORT", name, keyText(k)))
			}
		}
		if proc != name {
			warnings = append(warnings, fmt.Sprintf("PRODUCTION_PROCESSES[%q] is named %s in the Procfile", name, proc))
		}
		cfg.Processes = append(cfg.Processes, pc)
	}
	return cfg, warnings, nil
}

// settingsArgs maps ARGS: a dict becomes typed options (django-prodserver
// renders every item as --key=value; prodserver keeps True as a bare flag,
// lists as repeated flags); a string is split into words.
func settingsArgs(pc *ProcConfig, args pyliteral.Value) error {
	switch a := args.(type) {
	case string:
		words, err := splitWords(a)
		if err != nil {
			return err
		}
		pc.Args = countWords(pc, words)
	case *pyliteral.Dict:
		for i, k := range a.Keys {
			key, ok := k.(string)
			if !ok {
				return fmt.Errorf("option names must be strings")
			}
			val, err := optionValue(a.Values[i])
			if err != nil {
				return fmt.Errorf("%s: %v", keyText(key), err)
			}
			if n, ok := val.(int64); ok && n > 0 && n <= 1024 {
				switch key {
				case "workers", "concurrency":
					pc.Workers = int(n)
					continue
				case "threads":
					pc.Threads = int(n)
					continue
				}
			}
			pc.Options = append(pc.Options, backend.Option{Key: key, Value: val})
		}
	case []pyliteral.Value:
		var words []string
		for _, w := range a {
			s, ok := w.(string)
			if !ok {
				return fmt.Errorf("a list of arguments must hold strings")
			}
			words = append(words, s)
		}
		pc.Args = countWords(pc, words)
	case nil:
	default:
		return fmt.Errorf("must be a dict of options or a string")
	}
	return nil
}

// countWords takes the backend's own count flags out of ARGS words
// ("--workers=4" or "--workers 4", celery's "--concurrency=4") into
// pc.Workers and pc.Threads, as the dict form's workers and threads are:
// an explicit count in ARGS is as explicit as any, it sizes the process
// and is rendered once, instead of after a computed flag of the same name.
// It returns the other words; a count that is not a whole number from 1 to
// 1024 stays a word, for the program to judge.
func countWords(pc *ProcConfig, words []string) []string {
	b, err := backend.Lookup(pc.Backend)
	if err != nil {
		return words
	}
	counts := map[string]*int{}
	if b.WorkersFlag != "" {
		counts[b.WorkersFlag] = &pc.Workers
	}
	if b.ThreadsFlag != "" {
		counts[b.ThreadsFlag] = &pc.Threads
	}
	var rest []string
	for i := 0; i < len(words); i++ {
		flag, val, joined := strings.Cut(words[i], "=")
		dst, isCount := counts[flag]
		if isCount && !joined && i+1 < len(words) {
			val = words[i+1]
		}
		n, err := strconv.Atoi(val)
		if !isCount || err != nil || n < 1 || n > 1024 {
			rest = append(rest, words[i])
			continue
		}
		*dst = n
		if !joined {
			i++
		}
	}
	return rest
}

func optionValue(v pyliteral.Value) (any, error) {
	switch x := v.(type) {
	case bool, string, int64, float64:
		return x, nil
	case nil:
		return false, nil
	case []pyliteral.Value:
		var list []string
		for _, item := range x {
			switch s := item.(type) {
			case string:
				list = append(list, s)
			case int64:
				list = append(list, strconv.FormatInt(s, 10))
			default:
				return nil, fmt.Errorf("a list may hold only strings and whole numbers")
			}
		}
		return list, nil
	}
	return nil, fmt.Errorf("must be a string, number, boolean or list")
}

// splitWords splits an ARGS string on blanks, honouring single and double
// quotes (django-prodserver passes the string through shlex.split).
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			in = true
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}
