package plan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// OperatorEnvKeys are the app config variables (config:set) the servers
// read themselves, which the operator may already have set: they are the
// operator's words, so a rendered flag must not silently override them.
// WEB_CONCURRENCY is gunicorn's and uvicorn's worker count when --workers
// is absent; GUNICORN_CMD_ARGS holds gunicorn flags that its command line
// overrides (gunicorn/config.py), so a rendered flag of the same name would
// win without a word. CELERY_WORKER_CONCURRENCY is the name Django
// settings give Celery's worker_concurrency under the CELERY namespace
// (and the variable such settings read it from): the operator's pool size.
var OperatorEnvKeys = []string{"WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "CELERY_WORKER_CONCURRENCY"}

// concurrencyEnv is the config variable that holds the operator's worker
// count for the backend, "" for none: WEB_CONCURRENCY for gunicorn and
// uvicorn (they read it when --workers is absent; --help says so),
// CELERY_WORKER_CONCURRENCY for the celery worker's --concurrency (Celery
// 5.2 does not read the variable itself, so the count is rendered).
func concurrencyEnv(b *backend.Backend) string {
	switch {
	case b.WorkersFlag == "--workers" && (b.Program == "gunicorn" || b.Program == "uvicorn"):
		return "WEB_CONCURRENCY"
	case b.WorkersFlag == "--concurrency" && b.Program == "celery":
		return "CELERY_WORKER_CONCURRENCY"
	}
	return ""
}

// envWorkers is the operator's worker count for b (concurrencyEnv) and the
// variable it came from, when the app's config sets it to a whole number.
func envWorkers(in Inputs, b *backend.Backend) (int, string, bool) {
	name := concurrencyEnv(b)
	v, ok := in.Env[name]
	if name == "" || !ok {
		return 0, name, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, name, err == nil && n > 0
}

// gunicornShort maps the one-letter gunicorn flags to their long names.
var gunicornShort = map[string]string{"-w": "workers", "-b": "bind", "-k": "worker-class", "-t": "timeout"}

// cmdArgsKeys are the long flag names GUNICORN_CMD_ARGS sets.
func cmdArgsKeys(in Inputs, b *backend.Backend) map[string]string {
	v, ok := in.Env["GUNICORN_CMD_ARGS"]
	if !ok || b.Program != "gunicorn" {
		return nil
	}
	keys := map[string]string{}
	words := strings.Fields(v)
	for i, w := range words {
		key, value, has := strings.Cut(strings.TrimPrefix(w, "--"), "=")
		if long, ok := gunicornShort[w]; ok {
			key, has = long, false
		} else if !strings.HasPrefix(w, "--") {
			continue
		}
		if !has && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
			value = words[i+1]
		}
		keys[strings.ReplaceAll(key, "_", "-")] = value
	}
	return keys
}

// respectCmdArgs drops from argv the rendered flags GUNICORN_CMD_ARGS
// sets, so the operator's value applies, except the bind Dokku routes to.
func respectCmdArgs(keys map[string]string, argv []string) []string {
	if len(keys) == 0 {
		return argv
	}
	out := argv[:0:0]
	for _, w := range argv {
		k, _, _ := strings.Cut(strings.TrimPrefix(w, "--"), "=")
		if _, set := keys[k]; set && strings.HasPrefix(w, "--") && k != "bind" {
			continue
		}
		out = append(out, w)
	}
	return out
}

// checkEnv says what the deploy did with the operator's own variables.
func (plan *Plan) checkEnv(in Inputs, p Process) {
	b, err := backend.Lookup(p.Backend)
	if err != nil {
		return
	}
	if n, name, valid := envWorkers(in, b); name != "" {
		_, set := in.Env[name]
		switch {
		case !set:
		case !valid:
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: %s in the app's config is not a whole number above 0 (its value is not shown: config values can be secrets); rendered %s=%d (%s); fix or unset it with config:set / config:unset", p.Name, name, b.WorkersFlag, p.Workers, p.WorkersFrom))
		case p.Workers != n && !strings.HasPrefix(p.WorkersFrom, "GUNICORN_CMD_ARGS"):
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: %s=%d in the app's config is overridden by %s=%d from %s; unset one of them", p.Name, name, n, b.WorkersFlag, p.Workers, p.WorkersFrom))
		}
	}
	if keys := cmdArgsKeys(in, b); len(keys) > 0 {
		if _, ok := keys["bind"]; ok {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: GUNICORN_CMD_ARGS in the app's config sets --bind; the rendered --bind=0.0.0.0:$PORT is kept, as Dokku routes there", p.Name))
		}
		var left []string
		for k := range keys {
			if k != "bind" {
				left = append(left, "--"+k)
			}
		}
		if len(left) > 0 {
			sort.Strings(left)
			plan.Notices = append(plan.Notices, fmt.Sprintf("%s: %s left to GUNICORN_CMD_ARGS in the app's config (not rendered)", p.Name, strings.Join(left, " ")))
		}
	}
}
