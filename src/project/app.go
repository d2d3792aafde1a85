package project

import (
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyname"
)

// appFactories are the calls that build an application object, used when
// a wsgi.py / asgi.py does not name it `application`.
var appFactories = map[string][]string{
	"wsgi": {"get_wsgi_application", "WhiteNoise", "DjangoWhiteNoise", "Cling", "SentryWsgiMiddleware"},
	"asgi": {"get_asgi_application", "ProtocolTypeRouter", "SentryAsgiMiddleware", "ASGIStaticFilesHandler"},
}

// appAttr returns the attribute of a wsgi/asgi module that holds the
// application: `application` when the module defines it (what Django and
// every server expect), else the last name assigned from a known factory,
// else "" (the caller warns and falls back to `application`).
func appAttr(src []byte, kind string) string {
	if definesName(src, "application") {
		return "application"
	}
	if names := assignedFrom(src, appFactories[kind]...); len(names) > 0 {
		return names[len(names)-1]
	}
	return ""
}

// appFile is a wsgi/asgi module found by looking.
type appFile struct {
	file   string
	module string
}

// appFileCandidates lists the kind ("wsgi" or "asgi") modules of the tree
// found by the bounded walk: wsgi.py, asgi.py or an asgi/ package, ranked:
// in a package of the known settings module first, then beside a
// settings.py or settings/ folder, then shallowest, then by path.
func (s *scanner) appFileCandidates(kind string) []appFile {
	s.t.ensureDepth(MaxDepth)
	var files []string
	for _, e := range s.t.named(kind + ".py") {
		if !e.dir {
			files = append(files, e.rel)
		}
	}
	if kind == "asgi" {
		for _, e := range s.t.named("asgi") {
			if e.dir && s.t.isFile(joinRel(e.rel, "__init__.py")) {
				files = append(files, joinRel(e.rel, "__init__.py"))
			}
		}
	}
	type ranked struct {
		appFile
		rank, depth int
	}
	var cands []ranked
	for _, f := range files {
		mod, ok := s.moduleOf(f)
		if !ok {
			continue
		}
		dir := dirOf(f)
		if strings.HasSuffix(f, "/__init__.py") {
			dir = dirOf(dir)
		}
		rank := 2
		pkg := mod[:max(strings.LastIndex(mod, "."), 0)]
		switch {
		case pkg != "" && s.f.Settings != "" && strings.HasPrefix(s.f.Settings+".", pkg+"."):
			rank = 0
		case s.t.isFile(joinRel(dir, "settings.py")) || s.t.isDir(joinRel(dir, "settings")):
			rank = 1
		}
		cands = append(cands, ranked{appFile{f, mod}, rank, strings.Count(f, "/")})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.depth != b.depth {
			return a.depth < b.depth
		}
		return a.file < b.file
	})
	out := make([]appFile, len(cands))
	for i, c := range cands {
		out[i] = c.appFile
	}
	return out
}

// appTarget resolves the kind ("wsgi"/"asgi") application as module:attr:
// the setting when it is set (checked to be a module of the tree), else the
// kind module of a package holding the settings module (config/wsgi.py for
// config.settings.production), else, when search is true, the best
// candidate found by the bounded walk, with a warning when there were
// several.
func (s *scanner) appTarget(kind, setting string, search bool) string {
	name := strings.ToUpper(kind) + "_APPLICATION"
	if setting != "" {
		target, ok := pyname.Target(setting)
		if !ok {
			s.warn("%s %q is not a dotted path to an application; ignored", name, setting)
		} else {
			mod, _, _ := strings.Cut(target, ":")
			if _, _, found := s.moduleFile(mod); !found {
				s.warn("%s is %s but module %s is not in the source tree", name, setting, mod)
			}
			return target
		}
	}
	if s.f.Settings != "" {
		if file, mod := s.nearSettings(kind); file != "" {
			return mod + ":" + s.attrOf(file, kind)
		}
	}
	if !search {
		return ""
	}
	cands := s.appFileCandidates(kind)
	if len(cands) == 0 {
		return ""
	}
	if len(cands) > 1 {
		var files []string
		for _, c := range cands {
			files = append(files, c.file)
		}
		s.warn("several %s modules found (%s); using %s, set %s or prodserver:set %s to choose", kind, strings.Join(files, ", "), cands[0].module, name, kind)
	}
	return cands[0].module + ":" + s.attrOf(cands[0].file, kind)
}

// attrOf reads a wsgi/asgi module for its application attribute, warning
// when it has to assume `application`.
func (s *scanner) attrOf(file, kind string) string {
	src, err := s.t.read(file, maxSourceBytes)
	if err != nil {
		s.warn("%v", err)
		return "application"
	}
	if a := appAttr(src, kind); a != "" {
		return a
	}
	s.warn("%s defines no `application`; assuming it", file)
	return "application"
}

// needsASGI decides whether the app must be served by an ASGI server and
// says why: channels or daphne installed or declared, ASGI_APPLICATION set
// without WSGI_APPLICATION, ASGI_APPLICATION set with an ASGI server
// declared and async code found (asyncWhy, from asyncCode), or an ASGI
// application without a WSGI one. A reason with false is a choice of WSGI
// worth telling the operator.
func needsASGI(apps []string, pkgs map[string]string, asgiSetting, wsgiSetting, asgiTarget, wsgiTarget, asyncWhy string) (bool, string) {
	for _, a := range []string{"channels", "daphne"} {
		if contains(apps, a) {
			return true, a + " is in INSTALLED_APPS"
		}
	}
	for _, p := range []string{"channels", "daphne"} {
		if _, ok := pkgs[p]; ok {
			return true, p + " is a declared dependency"
		}
	}
	if _, ok := pkgs["uvicorn-worker"]; ok {
		return true, "uvicorn-worker (gunicorn's ASGI worker class) is a declared dependency"
	}
	if asgiSetting != "" && wsgiSetting == "" {
		return true, "ASGI_APPLICATION is set and WSGI_APPLICATION is not"
	}
	if asgiSetting != "" {
		// Django's project template sets only WSGI_APPLICATION: setting
		// ASGI_APPLICATION too, with an ASGI server declared, is a choice,
		// but one that only pays when some view is async (asyncCode): an
		// all-sync app is served through WSGI, with the reason as a warning.
		for _, p := range []string{"uvicorn", "hypercorn"} {
			if _, ok := pkgs[p]; ok {
				if asyncWhy == "" {
					return false, "ASGI_APPLICATION is set and " + p + " is declared, but every view is sync (no async def view, Channels consumer or websocket routing found): serving the WSGI application; prodserver:backend <app> web " + p + " chooses ASGI"
				}
				return true, "ASGI_APPLICATION is set, " + p + " is a declared dependency and the app has an " + asyncWhy
			}
		}
	}
	if asgiTarget != "" && wsgiTarget == "" {
		return true, "the project has an ASGI application (" + asgiTarget + ") and no WSGI one"
	}
	return false, ""
}
