package project

import (
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// queueSignals is what detectQueues looks at: declared runtime packages,
// locked versions (to tell django-q from django-q2, which share an app
// label), integration apps found in the settings, and whether a Celery app
// module was found.
type queueSignals struct {
	packages  map[string]string
	locked    map[string]string
	apps      []string
	celeryApp bool
	// settingsRead says the settings were read, so an app missing from
	// them is meaningful.
	settingsRead bool
}

// detectQueues returns the task queues the app uses, in the order of the
// Queue* constants, and warnings about guesses. A queue counts when its
// Django integration is declared (by exact, normalised distribution name)
// or installed (by exact app label); a bare library without its Django
// integration (rq without django-rq) does not, because the worker command
// prodserver renders is the integration's management command.
func detectQueues(sig queueSignals) (queues, warnings []string) {
	declared := func(name string) bool { _, ok := sig.packages[name]; return ok }
	locked := func(name string) bool { _, ok := sig.locked[name]; return ok }
	app := func(label string) bool { return contains(sig.apps, label) }

	if sig.celeryApp || declared("celery") || app("django_celery_beat") || app("django_celery_results") {
		queues = append(queues, QueueCelery)
	}
	if declared("django-rq") || app("django_rq") {
		queues = append(queues, QueueRQ)
	}
	if app("django_q") || declared("django-q") || declared("django-q2") {
		q1 := declared("django-q") || !declared("django-q2") && locked("django-q")
		q2 := declared("django-q2") || !declared("django-q") && locked("django-q2")
		switch {
		case q1 && q2:
			queues = append(queues, QueueDjangoQ2)
			warnings = append(warnings, "both django-q and django-q2 are declared; assuming django-q2")
		case q1:
			queues = append(queues, QueueDjangoQ)
		case q2:
			queues = append(queues, QueueDjangoQ2)
		default:
			queues = append(queues, QueueDjangoQ2)
			warnings = append(warnings, "django_q is in INSTALLED_APPS but neither django-q nor django-q2 is declared; assuming django-q2")
		}
	}
	if app("huey.contrib.djhuey") || declared("huey") {
		queues = append(queues, QueueHuey)
		if !app("huey.contrib.djhuey") && sig.settingsRead {
			warnings = append(warnings, "huey is declared but huey.contrib.djhuey is not in INSTALLED_APPS (run_huey needs it)")
		}
	}
	if declared("django-dramatiq") || app("django_dramatiq") {
		queues = append(queues, QueueDramatiq)
	}
	if declared("django-tasks") || declared("django-tasks-db") || app("django_tasks") || app("django_tasks.backends.database") || app("django_tasks_db") {
		queues = append(queues, QueueDjangoTasks)
	}
	return queues, warnings
}

// rqQueues reads the keys of django-rq's RQ_QUEUES: string literals, or
// module-level string constants of the settings chain (HIGH = "high";
// RQ_QUEUES = {HIGH: ...}). When a key cannot be known it returns nil and
// warns, naming the option that lists the queues: the worker would
// otherwise consume "default" only and jobs sent to the others never run.
func (s *scanner) rqQueues(chain []pyModule) []string {
	// Queue configs usually hold names (URL: REDIS_URL): only the keys are
	// needed, so the values may be expressions.
	for _, m := range chain {
		v, found, err := pyliteral.LookupLenient(m.src, "RQ_QUEUES")
		if !found {
			continue
		}
		if d, ok := v.(*pyliteral.Dict); ok && err == nil {
			if names, ok := stringKeys(d); ok {
				return names
			}
		}
		names, why := s.rqQueueKeys(chain, m.src)
		if why == "" {
			return names
		}
		if err != nil && why == notDictDisplay {
			why = strings.TrimPrefix(err.Error(), "RQ_QUEUES: ")
		}
		s.warn("%s: RQ_QUEUES: %s; the rq worker consumes the default queue only: list the queues in PRODUCTION_PROCESSES or app.json (\"options\": {\"queues\": [...]}) for the rq-worker process", m.file, why)
		return nil
	}
	return nil
}

// stringKeys returns d's keys when all are queue names.
func stringKeys(d *pyliteral.Dict) ([]string, bool) {
	var names []string
	for _, k := range d.Keys {
		name, ok := k.(string)
		if !ok || name == "" || !isQueueName(name) {
			return nil, false
		}
		names = append(names, name)
	}
	return names, len(names) > 0
}

// rqQueueKeys reads the top-level keys of the last module-level
// `RQ_QUEUES = {...}` in src from its tokens, resolving a bare name key
// through the chain's string settings. why says what could not be known.
func (s *scanner) rqQueueKeys(chain []pyModule, src []byte) (names []string, why string) {
	toks := tokenize(src)
	at := -1
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].Stmt && toks[i].Indent == 0 && toks[i].Kind == pyliteral.Name && toks[i].Text == "RQ_QUEUES" &&
			toks[i+1].Text == "=" && toks[i+2].Text == "{" {
			at = i + 2
		}
	}
	if at < 0 {
		return nil, notDictDisplay
	}
	depth := 0
	for i := at; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == pyliteral.Op {
			switch t.Text {
			case "{", "[", "(":
				depth++
			case "}", "]", ")":
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if depth != 1 || !(toks[i-1].Text == "{" || toks[i-1].Text == ",") || t.Text == "}" {
			continue
		}
		if i+1 >= len(toks) || toks[i+1].Text != ":" {
			return nil, "a key is not a plain name or string (" + t.Text + ")"
		}
		name := t.Text
		if t.Kind == pyliteral.Name {
			name = s.stringSetting(chain, t.Text)
			if name == "" {
				return nil, "key " + t.Text + " is not a string constant of the settings"
			}
		} else if t.Kind != pyliteral.String {
			return nil, "a key is not a string (" + t.Text + ")"
		}
		if !isQueueName(name) || name == "" {
			return nil, "queue name " + keyQuote(name) + " is not a plain word"
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil, "no queue found in it"
	}
	return names, ""
}

// notDictDisplay is rqQueueKeys' reason when RQ_QUEUES is not a {...}
// display, where pyliteral's error says more.
const notDictDisplay = "not a dict display"

// keyQuote quotes a queue name for a warning.
func keyQuote(s string) string { return strconv.Quote(s) }

// isQueueName keeps queue names to what renders as a plain argv word.
func isQueueName(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '.' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
