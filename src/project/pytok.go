package project

// Pattern checks on Python source that detection does not evaluate
// (manage.py's os.environ.setdefault call, `app = Celery(...)`, which
// names a module defines, which string literals a settings module
// mentions). Matching raw bytes would be fooled by comments and strings, so
// they read pyliteral's tokens: prodserver has one Python tokenizer.

import (
	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
	"github.com/dokku-prodserver/dokku-prodserver/src/pyname"
)

// tokenize is pyliteral.Tokens, named for the checks below.
func tokenize(src []byte) []pyliteral.Token { return pyliteral.Tokens(src) }

// settingsModuleDefault returns the module that a manage.py, wsgi.py,
// asgi.py or celery module selects with
// os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...") or
// os.environ["DJANGO_SETTINGS_MODULE"] = "...", "" when there is none.
// The first such statement wins, as it would at run time.
func settingsModuleDefault(src []byte) string {
	toks := tokenize(src)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind != pyliteral.String || t.Text != "DJANGO_SETTINGS_MODULE" || i < 2 {
			continue
		}
		prev := toks[i-1]
		switch {
		case prev.Text == "(" && toks[i-2].Kind == pyliteral.Name && toks[i-2].Text == "setdefault":
			if i+2 < len(toks) && toks[i+1].Text == "," && toks[i+2].Kind == pyliteral.String && pyname.IsDotted(toks[i+2].Text) {
				return toks[i+2].Text
			}
		case prev.Text == "[" && toks[i-2].Kind == pyliteral.Name && toks[i-2].Text == "environ":
			if i+3 < len(toks) && toks[i+1].Text == "]" && toks[i+2].Text == "=" && toks[i+3].Kind == pyliteral.String && pyname.IsDotted(toks[i+3].Text) {
				return toks[i+3].Text
			}
		}
	}
	return ""
}

// celeryInstances returns the names bound at module level to a new Celery
// application (`app = Celery("proj")`, `celery_app = celery.Celery(...)`), in
// source order.
func celeryInstances(src []byte) []string {
	toks := tokenize(src)
	var names []string
	for i := 0; i+3 < len(toks); i++ {
		t := toks[i]
		if !t.Stmt || t.Indent != 0 || t.Kind != pyliteral.Name {
			continue
		}
		j := i + 1
		if toks[j].Text == ":" { // annotated: app: Celery = Celery(...)
			for j < len(toks) && toks[j].Text != "=" && !toks[j].Stmt {
				j++
			}
		}
		if j >= len(toks) || toks[j].Text != "=" {
			continue
		}
		j++
		// optional dotted prefix: celery.Celery
		for j+1 < len(toks) && toks[j].Kind == pyliteral.Name && toks[j+1].Text == "." {
			j += 2
		}
		if j+1 < len(toks) && toks[j].Kind == pyliteral.Name && toks[j].Text == "Celery" && toks[j+1].Text == "(" {
			names = append(names, t.Text)
		}
	}
	return names
}

// definesName reports whether src binds name at module level: an assignment,
// an annotated assignment, a def / async def / class, or an import ... as
// name / from ... import name.
func definesName(src []byte, name string) bool {
	toks := tokenize(src)
	for i, t := range toks {
		if t.Kind != pyliteral.Name || t.Text != name {
			continue
		}
		if t.Stmt && t.Indent == 0 && i+1 < len(toks) && (toks[i+1].Text == "=" || toks[i+1].Text == ":") {
			return true
		}
		if i > 0 {
			p := toks[i-1]
			if p.Kind == pyliteral.Name && (p.Text == "def" || p.Text == "class" || p.Text == "as" || p.Text == "import") && p.Indent == 0 {
				return true
			}
			if p.Text == "," && p.Indent == 0 && importStatement(toks, i) {
				return true
			}
		}
	}
	return false
}

// importStatement reports whether token i belongs to a logical line that
// starts with `from` or `import`.
func importStatement(toks []pyliteral.Token, i int) bool {
	for j := i; j >= 0; j-- {
		if toks[j].Stmt {
			return toks[j].Kind == pyliteral.Name && (toks[j].Text == "from" || toks[j].Text == "import")
		}
	}
	return false
}

// assignedFrom returns the module-level names assigned from a call to one of
// funcs (`app = get_wsgi_application()`), in source order.
func assignedFrom(src []byte, funcs ...string) []string {
	toks := tokenize(src)
	var names []string
	for i := 0; i+3 < len(toks); i++ {
		t := toks[i]
		if !t.Stmt || t.Indent != 0 || t.Kind != pyliteral.Name || toks[i+1].Text != "=" {
			continue
		}
		j := i + 2
		for j+1 < len(toks) && toks[j].Kind == pyliteral.Name && toks[j+1].Text == "." {
			j += 2
		}
		if j+1 < len(toks) && toks[j].Kind == pyliteral.Name && toks[j+1].Text == "(" {
			for _, f := range funcs {
				if toks[j].Text == f {
					names = append(names, t.Text)
					break
				}
			}
		}
	}
	return names
}

// stringLiterals returns the set of string literal values in src (comments
// excluded).
func stringLiterals(src []byte) map[string]bool {
	set := map[string]bool{}
	for _, t := range tokenize(src) {
		if t.Kind == pyliteral.String {
			set[t.Text] = true
		}
	}
	return set
}

// mentionsName reports whether any of names occurs as an identifier token in
// src (so not in a comment or string): `app.conf.beat_schedule = {...}`,
// `sender.add_periodic_task(...)`.
func mentionsName(src []byte, names ...string) bool {
	for _, t := range tokenize(src) {
		if t.Kind != pyliteral.Name {
			continue
		}
		for _, n := range names {
			if t.Text == n {
				return true
			}
		}
	}
	return false
}
