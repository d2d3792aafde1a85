package project

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// maxCeleryReads bounds the candidate files read looking for `Celery(`.
const maxCeleryReads = 16

// celeryFileRank ranks the names a Celery app module usually has; 0 means
// not a candidate. tasks.py and worker.py are looked at only when the app
// declares celery, because every Django app may have a tasks.py.
func celeryFileRank(rel string, declared bool) int {
	base := path.Base(rel)
	if base == "__init__.py" {
		base = path.Base(dirOf(rel)) + "/"
	}
	switch base {
	case "celery.py":
		return 1
	case "celery_app.py", "celeryapp.py":
		return 2
	case "celeryconf.py", "celery_conf.py", "celery_config.py":
		return 3
	case "tasks.py", "tasks/", "worker.py", "taskapp/", "app.py":
		if declared {
			return 4
		}
		return 0
	}
	if isOtherCeleryName(base) {
		return 3 // make_celery.py, celery_worker.py, mycelery.py
	}
	return 0
}

// isOtherCeleryName tells any *celery*.py module name, the spelling projects
// choose when not the usual ones (make_celery.py, celery_worker.py).
func isOtherCeleryName(base string) bool {
	return strings.HasSuffix(base, ".py") && strings.Contains(strings.ToLower(strings.TrimSuffix(base, ".py")), "celery")
}

// otherCeleryNames returns the *celery*.py file names seen in the tree that
// known does not list, sorted.
func otherCeleryNames(byName map[string][]entry, known []string) []string {
	var out []string
	for name := range byName {
		if isOtherCeleryName(name) && !contains(known, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// celeryTarget is the -A argument for a Celery app bound to attr in module:
// the module alone when celery finds the app itself (attribute app or
// celery), else module:attr.
func celeryTarget(module, attr string) string {
	if attr == "app" || attr == "celery" {
		return module
	}
	return module + ":" + attr
}

// celerySearchDepth is how many folders below the project folder a Celery
// app module is looked for: proj/celery.py is 1, proj/taskapp/celery.py 2.
const celerySearchDepth = 2

// findCelery sets CeleryApp and CeleryFile from the candidate modules that
// instantiate Celery(...): celery.py, celery_app.py, celeryconf.py (and
// tasks.py, worker.py when celery is declared) at most celerySearchDepth
// folders below the project folder, best ranked, then shallowest, then by
// path; several apps give a warning. It returns the app's source for the
// beat checks.
func (s *scanner) findCelery(declared bool) []byte {
	maxDepth := celerySearchDepth
	if s.f.ProjectDir != "" {
		maxDepth += strings.Count(s.f.ProjectDir, "/") + 1
	}
	s.t.ensureDepth(maxDepth)
	type cand struct {
		rel         string
		rank, depth int
	}
	var cands []cand
	names := []string{"celery.py", "celery_app.py", "celeryapp.py", "celeryconf.py", "celery_conf.py", "celery_config.py", "tasks.py", "worker.py", "app.py", "__init__.py"}
	names = append(names, otherCeleryNames(s.t.byName, names)...)
	for _, name := range names {
		for _, e := range s.t.named(name) {
			if e.dir || e.depth > maxDepth {
				continue
			}
			if r := celeryFileRank(e.rel, declared); r > 0 {
				cands = append(cands, cand{e.rel, r, strings.Count(e.rel, "/")})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.depth != b.depth {
			return a.depth < b.depth
		}
		return a.rel < b.rel
	})
	type found struct {
		target, file string
		src          []byte
	}
	var apps []found
	reads, bestRank := 0, 0
	for _, c := range cands {
		if bestRank > 0 && c.rank > bestRank {
			break // only same-ranked modules can make the choice ambiguous
		}
		mod, ok := s.moduleOf(c.rel)
		if !ok {
			continue
		}
		if reads >= maxCeleryReads {
			s.warn("celery: stopped after reading %d candidate modules", maxCeleryReads)
			break
		}
		reads++
		src, err := s.t.read(c.rel, maxSourceBytes)
		if err != nil {
			s.warn("celery: %v", err)
			continue
		}
		names := celeryInstances(src)
		if len(names) == 0 {
			continue
		}
		apps = append(apps, found{celeryTarget(mod, names[0]), c.rel, src})
		bestRank = c.rank
		if len(names) > 1 {
			s.warn("%s creates several Celery apps (%s); using %s", c.rel, strings.Join(names, ", "), names[0])
		}
	}
	if len(apps) == 0 {
		// A module with another name is found through the package that
		// re-exports it (celeryexport.go).
		seen := map[string]bool{}
		for _, e := range s.t.named("__init__.py") {
			if e.dir || e.depth > maxDepth || reads >= maxCeleryReads {
				continue
			}
			reads++
			src, err := s.t.read(e.rel, maxSourceBytes)
			if err != nil {
				continue
			}
			for _, imp := range fromImports(src) {
				rel, ok := s.importedModuleFile(e.rel, imp)
				if !ok || rel == e.rel {
					continue
				}
				modName, ok := s.moduleOf(rel)
				if !ok {
					continue
				}
				msrc, err := s.t.read(rel, maxSourceBytes)
				if err != nil {
					continue
				}
				if names := exportedCelery(imp, msrc); len(names) > 0 && !seen[rel] {
					seen[rel] = true
					apps = append(apps, found{celeryTarget(modName, names[0]), rel, msrc})
				}
			}
		}
	}
	if len(apps) == 0 {
		return nil
	}
	if len(apps) > 1 {
		var all []string
		for _, a := range apps {
			all = append(all, a.target)
		}
		s.warn("several Celery apps found (%s); using %s, set celery-app to choose", strings.Join(all, ", "), apps[0].target)
	}
	s.f.CeleryApp, s.f.CeleryFile = apps[0].target, apps[0].file
	return apps[0].src
}

// beatScheduleSettings are the settings that hold a Celery beat schedule,
// with and without the CELERY namespace and in the pre-4.0 spelling.
var beatScheduleSettings = []string{"CELERY_BEAT_SCHEDULE", "CELERYBEAT_SCHEDULE", "BEAT_SCHEDULE"}

// hasBeatSchedule reports a non-empty beat schedule in the settings: any
// assignment counts unless it is a literal empty dict ({} declares no
// periodic task). A schedule built with crontab() is not a literal but is
// still a schedule.
func (s *scanner) hasBeatSchedule(chain []pyModule) (bool, string) {
	for _, name := range beatScheduleSettings {
		l := s.lookupSetting(chain, name)
		if !l.present {
			continue
		}
		if d, ok := l.v.(*pyliteral.Dict); ok && l.err == nil && len(d.Keys) == 0 {
			continue
		}
		if l.v == nil && l.err == nil {
			continue // NAME = None
		}
		if l.file == s.f.SettingsFile {
			// The settings module may come from the app's config
			// (DJANGO_SETTINGS_MODULE), whose value is never printed.
			return true, name + " in the settings module"
		}
		return true, name + " in " + l.file
	}
	return false, ""
}

// resolveCelery fills the Celery facts: the app, whether beat is needed
// and which scheduler beat must use.
func (s *scanner) resolveCelery(chain []pyModule, apps []string) {
	f := s.f
	declared := s.declares("celery") || s.declares("django-celery-beat") || s.declares("django-celery-results")
	appSrc := s.findCelery(declared)
	if f.CeleryApp == "" {
		if declared {
			s.warn("celery is declared but no module creating a Celery app was found; set celery-app")
		}
		return
	}
	if !declared && len(f.Packages)+len(f.Locked) > 0 {
		s.warn("%s creates a Celery app but celery is not a declared dependency", f.CeleryFile)
	}
	installedBeat := contains(apps, "django_celery_beat")
	scheduler, schedFrom := "", ""
	for _, name := range []string{"CELERY_BEAT_SCHEDULER", "CELERYBEAT_SCHEDULER"} {
		if v := s.stringSetting(chain, name); v != "" && scheduler == "" {
			scheduler, schedFrom = v, name+" ("+s.lookupSetting(chain, name).file+")"
		}
	}
	if v, line := beatSchedulerIn(appSrc); v != "" && scheduler == "" {
		scheduler, schedFrom = v, "beat_scheduler ("+f.CeleryFile+" line "+strconv.Itoa(line)+")"
	}
	cmd := s.projectBeatCommand()
	if cmd != nil {
		f.BeatOptions = map[string]string{}
		for _, o := range cmd.opts {
			f.BeatOptions[o[0]] = o[1]
		}
		if len(f.BeatOptions) == 0 {
			f.BeatOptions = nil
		}
		if cmd.scheduler != "" {
			if scheduler != "" && scheduler != cmd.scheduler {
				s.warn("beat: %s runs beat with --scheduler=%s, while %s names %s; the rendered beat line follows the command", cmd.from, cmd.scheduler, schedFrom, scheduler)
			}
			scheduler, schedFrom = cmd.scheduler, "--scheduler in "+cmd.from
		}
	}
	inSettings, where := s.hasBeatSchedule(chain)
	reason := ""
	switch {
	case inSettings:
		reason = "a beat schedule: " + where
	case installedBeat:
		reason = "django_celery_beat is in INSTALLED_APPS"
	case scheduler != "":
		reason = "a beat scheduler is set: " + schedFrom
	case cmd != nil:
		reason = "the project runs beat: " + cmd.from
	default:
		if r := s.periodicTasks(appSrc); r != "" {
			reason = "periodic tasks registered in code: " + r
		}
	}
	f.CeleryBeat, f.BeatReason = reason != "", reason
	dbSched := scheduler == DatabaseScheduler || scheduler == "django" || scheduler == "django_celery_beat.schedulers.DatabaseScheduler"
	switch {
	case scheduler != "":
		f.BeatScheduler = scheduler
		file, sub := s.projectSubclass(scheduler)
		if (sub || dbSched) && !installedBeat {
			what := "django-celery-beat's DatabaseScheduler"
			if sub {
				what = "a subclass of django-celery-beat's DatabaseScheduler (" + file + ")"
			}
			s.warn("beat: %s names %s, %s, but django_celery_beat is not in %s; beat crashes at start until you add \"django_celery_beat\" to INSTALLED_APPS", schedFrom, scheduler, what, s.installedAppsWhere(chain))
		}
	case installedBeat:
		f.BeatScheduler = DatabaseScheduler
		s.unnamedSubclass()
	case s.declares("django-celery-beat"):
		// DatabaseScheduler without its app in INSTALLED_APPS crashes at
		// start (its models are not installed): name celery's own
		// scheduler so nothing downstream picks DatabaseScheduler from
		// the package alone.
		f.CeleryBeat = true
		if f.BeatReason == "" {
			f.BeatReason = "django-celery-beat is declared"
		}
		f.BeatScheduler = PersistentScheduler
		s.warn("beat: django-celery-beat is declared but django_celery_beat is not in %s; beat runs celery's default scheduler (%s), since DatabaseScheduler crashes at start without its app; add \"django_celery_beat\" to INSTALLED_APPS to keep the schedule in the database", s.installedAppsWhere(chain), PersistentScheduler)
	}
}

// installedAppsWhere names INSTALLED_APPS and its file for messages.
func (s *scanner) installedAppsWhere(chain []pyModule) string {
	where := "INSTALLED_APPS"
	if s.f.SettingsFile != "" {
		where += " (" + s.f.SettingsFile + ")"
	}
	if chain == nil {
		where += ", which could not be read (no settings module found)"
	}
	return where
}
