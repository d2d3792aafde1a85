package plan

import (
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
)

// detectedWhy says, in the operator's words, why detection gave a process
// its backend ("daphne is a declared dependency; ASGI because channels is
// in INSTALLED_APPS"): the deploy log and prodserver:processes show it
// beside the choice, so a surprising one can be traced to a file.
func detectedWhy(f *facts.Facts, b *backend.Backend) string {
	if f == nil || b == nil {
		return ""
	}
	declared := func(pkg string) bool {
		if _, ok := f.Packages[pkg]; ok {
			return true
		}
		_, ok := f.Locked[pkg]
		return ok
	}
	switch b.Kind {
	case backend.KindWSGI, backend.KindASGI:
		var have []string
		for _, p := range append(append([]string(nil), b.Packages...), b.OneOf...) {
			if declared(p) {
				have = append(have, p)
			}
		}
		why := "no server is declared, so prodserver's default " + b.Name
		if len(have) > 0 {
			why = strings.Join(have, " and ") + " " + plural(len(have), "is a declared dependency", "are declared dependencies")
		}
		if b.Kind == backend.KindASGI {
			reason := f.ASGIReason
			if reason == "" {
				reason = "the app has an ASGI application only"
			}
			if reason == why {
				return why + ", so the app is served through ASGI"
			}
			return why + "; ASGI because " + reason
		}
		if f.WSGI != "" {
			return why + "; WSGI application " + f.WSGI
		}
		return why
	case backend.KindWorker:
		for _, q := range f.Queues {
			if backend.ForQueue(q) != b.Name {
				continue
			}
			switch q {
			case facts.QueueCelery:
				return "Celery app " + f.CeleryApp + " found in " + f.CeleryFile
			case facts.QueueRQ:
				if len(f.RQQueues) > 0 {
					return "django-rq is used; RQ_QUEUES lists " + strings.Join(f.RQQueues, ", ")
				}
				return "django-rq is used"
			}
			return q + " is used (declared and configured)"
		}
	case backend.KindScheduler:
		why := "the Celery app has periodic tasks"
		if f.BeatScheduler != "" {
			why += "; scheduler " + f.BeatScheduler
		}
		return why
	case backend.KindRelease:
		return "a Django app: migrations run before each release"
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
