package project

import (
	"fmt"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// scanner carries one Scan's state between the detection steps.
type scanner struct {
	t   *tree
	f   *Facts
	opt Options

	manageDefault string // manage.py's DJANGO_SETTINGS_MODULE default
	// manageConfiguration is manage.py's DJANGO_CONFIGURATION default
	// (django-configurations).
	manageConfiguration string
}

// Scan inspects the source tree at root (read-only, never executing
// anything) and returns what it found. Only an unreadable root is an error:
// unreadable or unparsable files become Warnings, and a tree that is not a
// Django project gives Facts{Django: false} after listing two levels.
func Scan(root string, opt Options) (*Facts, error) {
	f := &Facts{}
	t, err := newTree(root, opt.OnRead, opt.Excluded, &f.Stats, func(format string, args ...any) { warnf(f, format, args...) })
	if err != nil {
		return nil, err
	}
	s := &scanner{t: t, f: f, opt: opt}

	s.findManagePy()
	dirs := []string{""}
	if f.ManagePy != "" {
		dirs = append(dirs, dirOf(f.ManagePy))
	}
	dirs = append(dirs, f.ProjectDir)
	collectDependencies(t, f, dirs, opt.Installed)
	f.ProdserverMajor = prodserverMajor(f)
	findUwsgiPlugin(t, f)

	f.Django = f.ManagePy != "" || s.declares("django") || s.declaresDev("django")
	if !f.Django {
		return f, nil
	}
	findDevServerTargets(t, f)
	if f.ManagePy == "" {
		s.warn("Django is declared but no manage.py was found within %d folders of the root; set app-dir", MaxManageDepth)
	}

	chain := s.resolveSettings()
	s.checkConfiguration(chain)
	wsgiSetting := s.stringSetting(chain, "WSGI_APPLICATION")
	asgiSetting := s.stringSetting(chain, "ASGI_APPLICATION")
	f.InstalledApps = installedApps(chain)
	f.WSGI = s.appTarget("wsgi", wsgiSetting, true)
	// An asgi.py away from the settings is only looked for when it can
	// matter: no WSGI application, or channels/daphne in use.
	asgiLikely, _ := needsASGI(f.InstalledApps, f.Packages, "", "", "", "", "")
	f.ASGI = s.appTarget("asgi", asgiSetting, f.WSGI == "" || asgiLikely)
	asyncWhy := ""
	if asgiSetting != "" && wsgiSetting != "" && f.WSGI != "" {
		asyncWhy = s.asyncCode() // read only when it decides
	}
	f.NeedsASGI, f.ASGIReason = needsASGI(f.InstalledApps, f.Packages, asgiSetting, wsgiSetting, f.ASGI, f.WSGI, asyncWhy)
	if !f.NeedsASGI && f.ASGIReason != "" {
		s.warn("%s", f.ASGIReason)
	}
	if f.NeedsASGI && f.ASGI == "" {
		s.warn("the app needs an ASGI server (%s) but no ASGI application was found; set ASGI_APPLICATION or prodserver:set asgi", f.ASGIReason)
	}
	if f.WSGI == "" && f.ASGI == "" {
		s.warn("no WSGI or ASGI application found; set prodserver:set wsgi")
	}

	s.resolveCelery(chain, f.InstalledApps)
	var qw []string
	f.Queues, qw = detectQueues(queueSignals{
		packages: f.Packages, locked: f.Locked, apps: f.InstalledApps,
		celeryApp: f.CeleryApp != "", settingsRead: len(chain) > 0,
	})
	for _, w := range qw {
		s.warn("%s", w)
	}
	if contains(f.Queues, QueueRQ) {
		f.RQQueues = s.rqQueues(chain)
	}

	s.findDeclaredDaemons()

	pp := s.lookupSetting(chain, "PRODUCTION_PROCESSES")
	f.ProductionProcesses, f.ProductionProcessesFound, f.ProductionProcessesErr = pp.v, pp.present, pp.err
	if pp.err != nil {
		f.ProductionProcessesErr = fmt.Errorf("%s: %w", pp.file, pp.err)
	}
	if pp.present && pp.err == nil {
		if _, ok := pp.v.(*pyliteral.Dict); !ok {
			f.ProductionProcessesErr = fmt.Errorf("%s: PRODUCTION_PROCESSES is not a dict", pp.file)
		}
	}
	if pp.present {
		// The literal is not the whole story when a module of the chain
		// changes it afterwards: say so, since the Procfile follows only
		// the literal.
		// The changes prodserver can read without running Python (in the
		// literal's own module, after it) are applied and listed.
		for _, m := range chain {
			var done map[int]bool
			if d, ok := pp.v.(*pyliteral.Dict); ok && pp.err == nil && m.file == pp.file {
				var applied []string
				applied, done = applySettingChanges(m.src, "PRODUCTION_PROCESSES", d)
				for _, a := range applied {
					s.warn("%s: applied %s after the literal", m.file, a)
				}
			}
			if ch := settingChangesExcept(m.src, "PRODUCTION_PROCESSES", done); len(ch) > 0 {
				s.warn("%s changes PRODUCTION_PROCESSES after its literal (%s), which prodserver cannot evaluate, so those changes were NOT applied: the processes follow the literal in %s and the changes listed as applied; put the whole value in that literal, or choose with prodserver:backend or app.json", m.file, strings.Join(ch, ", "), pp.file)
			}
		}
	}
	return f, nil
}

// declares reports a runtime dependency (declared, or locked when nothing
// declares anything).
func (s *scanner) declares(name string) bool {
	_, ok := s.f.Packages[name]
	return ok
}

// declaresDev reports a development-only dependency.
func (s *scanner) declaresDev(name string) bool {
	_, ok := s.f.DevPackages[name]
	return ok
}

func (s *scanner) warn(format string, args ...any) {
	warnf(s.f, format, args...)
}

// warnf appends a warning once.
func warnf(f *Facts, format string, args ...any) {
	w := strings.TrimSpace(fmt.Sprintf(format, args...))
	for _, old := range f.Warnings {
		if old == w {
			return
		}
	}
	f.Warnings = append(f.Warnings, w)
}
