package project

import "github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"

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

// rqQueues reads the keys of django-rq's RQ_QUEUES when it is a literal
// dict of string keys; nil otherwise (the worker then consumes "default").
func (s *scanner) rqQueues(chain []pyModule) []string {
	// Queue configs usually hold names (URL: REDIS_URL): only the keys are
	// needed, so the values may be expressions.
	var d *pyliteral.Dict
	for _, m := range chain {
		v, found, err := pyliteral.LookupLenient(m.src, "RQ_QUEUES")
		if !found {
			continue
		}
		if err != nil {
			s.warn("%s: RQ_QUEUES: %v; the rq worker consumes the default queue only", m.file, err)
			return nil
		}
		d, _ = v.(*pyliteral.Dict)
		break
	}
	if d == nil {
		return nil
	}
	var names []string
	for _, k := range d.Keys {
		name, ok := k.(string)
		if !ok || name == "" || !isQueueName(name) {
			return nil
		}
		names = append(names, name)
	}
	return names
}

// isQueueName keeps queue names to what renders as a plain argv word.
func isQueueName(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '.' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
