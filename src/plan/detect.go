package plan

import (
	"sort"
	"strconv"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
)

// Detect turns the facts about a Django project into the processes an
// expert would give it: a web server that fits the app (ASGI when it needs
// it) and the packages it declares, a worker for each task queue, and
// Celery beat when the app has periodic tasks. The release process is added
// by Make from the `release` setting.
func Detect(f *facts.Facts) []ProcConfig {
	if f == nil || !f.Django {
		return nil
	}
	procs := []ProcConfig{{Name: "web", Backend: webBackend(f)}}
	first := true
	for _, q := range f.Queues {
		b := backend.ForQueue(q)
		if b == "" {
			continue
		}
		name := "worker"
		if !first {
			name = b
		}
		first = false
		pc := ProcConfig{Name: name, Backend: b}
		if q == facts.QueueRQ && len(f.RQQueues) > 0 {
			pc.Options = []backend.Option{{Key: "queues", Value: f.RQQueues}}
		}
		procs = append(procs, pc)
		if q == facts.QueueCelery && f.CeleryBeat {
			procs = append(procs, ProcConfig{Name: "beat", Backend: "celery-beat", Options: beatOptions(f.BeatOptions)})
		}
	}
	return procs
}

// webBackend picks the web server from the catalogue's detection ranks:
// for an ASGI app the ASGI server the app declares (gunicorn with uvicorn
// workers when it declares both), for a WSGI app the WSGI server it
// declares; gunicorn or uvicorn when it declares none (the dependency check
// then says what to add). Locked versions count as declared.
func webBackend(f *facts.Facts) string {
	declared := make(map[string]string, len(f.Packages)+len(f.Locked))
	for name, v := range f.Locked {
		declared[name] = "==" + v
	}
	for name, spec := range f.Packages {
		declared[name] = spec
	}
	kind := backend.KindWSGI
	if f.NeedsASGI || f.WSGI == "" && f.ASGI != "" {
		kind = backend.KindASGI
	}
	return backend.ForPackages(kind, declared)
}

// beatOptions turns the options adopted from the project's own beat
// command into celery-beat's typed options, in name order.
func beatOptions(opts map[string]string) []backend.Option {
	var keys []string
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []backend.Option
	for _, k := range keys {
		var v any = opts[k]
		if k == "max-interval" {
			n, err := strconv.ParseInt(opts[k], 10, 64)
			if err != nil {
				continue
			}
			v = n
		}
		out = append(out, backend.Option{Key: k, Value: v})
	}
	return out
}
