package plan

import (
	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
)

// Detect turns the facts about a Django project into the processes an
// expert would give it: a web server that fits the app (ASGI when it needs
// it) and the packages it declares, a worker for each task queue, and
// Celery beat when the app has periodic tasks. The release process is added
// by Make from the `release` setting.
func Detect(f *project.Facts) []ProcConfig {
	if f == nil || !f.Django {
		return nil
	}
	procs := []ProcConfig{{Name: "web", Backend: webBackend(f)}}
	first := true
	for _, q := range f.Queues {
		b := queueBackends[q]
		if b == "" {
			continue
		}
		name := "worker"
		if !first {
			name = b
		}
		first = false
		pc := ProcConfig{Name: name, Backend: b}
		if q == project.QueueRQ && len(f.RQQueues) > 0 {
			pc.Options = []backend.Option{{Key: "queues", Value: f.RQQueues}}
		}
		procs = append(procs, pc)
		if q == project.QueueCelery && f.CeleryBeat {
			procs = append(procs, ProcConfig{Name: "beat", Backend: "celery-beat"})
		}
	}
	return procs
}

// queueBackends maps a task queue to the backend that runs its worker.
var queueBackends = map[string]string{
	project.QueueCelery:      "celery-worker",
	project.QueueRQ:          "rq-worker",
	project.QueueDjangoQ:     "django-q",
	project.QueueDjangoQ2:    "django-q",
	project.QueueHuey:        "huey",
	project.QueueDramatiq:    "dramatiq",
	project.QueueDjangoTasks: "django-tasks",
}

// webBackend picks the web server: for an ASGI app the ASGI server the app
// declares (gunicorn with uvicorn workers when it declares both), for a WSGI
// app the WSGI server it declares; gunicorn or uvicorn when it declares none
// (the dependency check then says what to add).
func webBackend(f *project.Facts) string {
	has := func(pkg string) bool {
		if _, ok := f.Packages[pkg]; ok {
			return true
		}
		_, ok := f.Locked[pkg]
		return ok
	}
	if f.NeedsASGI || f.WSGI == "" && f.ASGI != "" {
		switch {
		case has("gunicorn") && (has("uvicorn") || has("uvicorn-worker")):
			return "gunicorn-uvicorn"
		case has("uvicorn"):
			return "uvicorn"
		case has("daphne"):
			return "daphne"
		case has("hypercorn"):
			return "hypercorn"
		case has("granian"):
			return "granian-asgi"
		}
		return "uvicorn"
	}
	switch {
	case has("gunicorn"):
		return "gunicorn"
	case has("uwsgi"):
		return "uwsgi"
	case has("waitress"):
		return "waitress"
	case has("granian"):
		return "granian-wsgi"
	}
	return "gunicorn"
}
