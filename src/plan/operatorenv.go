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
// win without a word.
var OperatorEnvKeys = []string{"WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"}

// readsWebConcurrency says whether the backend's program takes its worker
// count from WEB_CONCURRENCY (gunicorn and uvicorn do; --help says so).
func readsWebConcurrency(b *backend.Backend) bool {
	return b.WorkersFlag == "--workers" && (b.Program == "gunicorn" || b.Program == "uvicorn")
}

// envWorkers is WEB_CONCURRENCY as a worker count for b, when the app's
// config sets it to a whole number and the program reads it.
func envWorkers(in Inputs, b *backend.Backend) (int, bool) {
	v, ok := in.Env["WEB_CONCURRENCY"]
	if !ok || !readsWebConcurrency(b) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil && n > 0
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
	if _, ok := in.Env["WEB_CONCURRENCY"]; ok && readsWebConcurrency(b) {
		n, valid := envWorkers(in, b)
		switch {
		case !valid:
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: WEB_CONCURRENCY in the app's config is not a whole number above 0 (its value is not shown: config values can be secrets); rendered --workers=%d (%s); fix or unset it with config:set / config:unset", p.Name, p.Workers, p.WorkersFrom))
		case p.Workers != n && !strings.HasPrefix(p.WorkersFrom, "GUNICORN_CMD_ARGS"):
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: WEB_CONCURRENCY=%d in the app's config is overridden by --workers=%d from %s; unset one of them", p.Name, n, p.Workers, p.WorkersFrom))
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
