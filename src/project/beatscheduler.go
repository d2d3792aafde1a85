package project

import (
	"sort"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// The beat scheduler the project names in code, and its own subclasses of
// django-celery-beat's DatabaseScheduler: a subclass needs
// django_celery_beat in INSTALLED_APPS as much as DatabaseScheduler does,
// and one that nothing names is not what beat runs.

// beatSchedulerIn returns the scheduler src sets in code, as a string:
// app.conf.beat_scheduler = "...", conf.update(beat_scheduler="..."), a
// config module's beat_scheduler = "...", and its line; "" for none. Pure.
func beatSchedulerIn(src []byte) (string, int) {
	toks := tokenize(src)
	names := map[string]bool{"beat_scheduler": true, "CELERYBEAT_SCHEDULER": true, "CELERY_BEAT_SCHEDULER": true}
	for i := 0; i+2 < len(toks); i++ {
		t, op, v := toks[i], toks[i+1], toks[i+2]
		if !names[t.Text] || v.Kind != pyliteral.String || i+3 < len(toks) && toks[i+3].Text == "." {
			continue
		}
		attr := t.Kind == pyliteral.Name && i > 0 && (toks[i-1].Text == "." || toks[i-1].Text == "(" || toks[i-1].Text == ",") && op.Text == "="
		config := t.Kind == pyliteral.Name && t.Stmt && t.Indent == 0 && t.Text == "beat_scheduler" && op.Text == "="
		key := t.Kind == pyliteral.String && op.Text == ":"
		if attr || config || key {
			return v.Text, lineAt(src, t.Start)
		}
	}
	return "", 0
}

// schedulerSubclasses returns the classes src defines that derive from
// DatabaseScheduler, directly or through another class of src. Pure.
func schedulerSubclasses(src []byte) []string {
	type class struct {
		name  string
		bases map[string]bool
	}
	var classes []class
	for _, st := range statements(tokenize(src)) {
		if len(st) < 3 || st[0].Text != "class" || st[1].Kind != pyliteral.Name || st[2].Text != "(" {
			continue
		}
		c := class{st[1].Text, map[string]bool{}}
		for _, t := range st[3:] {
			if t.Text == ")" {
				break
			}
			if t.Kind == pyliteral.Name {
				c.bases[t.Text] = true
			}
		}
		classes = append(classes, c)
	}
	subs := map[string]bool{"DatabaseScheduler": true}
	var out []string
	for changed := true; changed; {
		changed = false
		for _, c := range classes {
			if subs[c.name] {
				continue
			}
			for b := range c.bases {
				if subs[b] {
					subs[c.name], changed = true, true
					out = append(out, c.name)
					break
				}
			}
		}
	}
	return out
}

// splitScheduler splits "module:Class" or "module.Class".
func splitScheduler(v string) (module, class string) {
	if m, c, ok := strings.Cut(v, ":"); ok {
		return m, c
	}
	if i := strings.LastIndex(v, "."); i > 0 {
		return v[:i], v[i+1:]
	}
	return "", v
}

// projectSubclass tells whether scheduler names a class of the tree that
// derives from DatabaseScheduler, and its file.
func (s *scanner) projectSubclass(scheduler string) (string, bool) {
	mod, class := splitScheduler(scheduler)
	rel, _, ok := s.moduleFile(mod)
	if !ok {
		return "", false
	}
	src, err := s.t.read(rel, maxSourceBytes)
	if err != nil {
		return "", false
	}
	return rel, contains(schedulerSubclasses(src), class)
}

// unnamedSubclass warns about a DatabaseScheduler subclass in a
// scheduler module of the tree that beat does not run, since no setting
// or beat command names it.
func (s *scanner) unnamedSubclass() {
	var files []string
	for name, ents := range s.t.byName {
		if !strings.HasSuffix(name, ".py") || !strings.Contains(strings.ToLower(name), "schedul") {
			continue
		}
		for _, e := range ents {
			if !e.dir && !isTestPath(e.rel) {
				files = append(files, e.rel)
			}
		}
	}
	sort.Strings(files)
	for n, rel := range files {
		if n >= maxPeriodicReads {
			break
		}
		mod, ok := s.moduleOf(rel)
		if !ok {
			continue
		}
		src, err := s.t.read(rel, maxSourceBytes)
		if err != nil {
			continue
		}
		for _, c := range schedulerSubclasses(src) {
			s.warn("beat: %s defines %s, a subclass of DatabaseScheduler, but no setting or beat command names it, so beat runs %s; to run yours, set CELERY_BEAT_SCHEDULER = %s", rel, c, DatabaseScheduler, strconv.Quote(mod+"."+c))
			return
		}
	}
}
