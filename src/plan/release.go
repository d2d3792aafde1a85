package plan

import (
	"fmt"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
)

// The values of `release` (the setting and app.json's key) that are not a
// backend name: each says what the release process runs, so no value is
// read as a backend name by accident.
const (
	ReleaseNone    = "none"
	ReleaseMigrate = "migrate"
	// ReleaseMigrateCollectstatic is kept so that a stored setting or an
	// app.json that says it still deploys: it runs migrate only, with a
	// warning (releaseWarning). Dokku never commits the release
	// container, so collectstatic there lost its files on local storage.
	ReleaseMigrateCollectstatic = "migrate-collectstatic"
)

// collectstaticOption is the migrate backend's old control option that
// chained collectstatic after migrate; it is accepted and ignored, with the
// same warning, for the reason above.
const collectstaticOption = "collectstatic"

// releaseConfig is the release process a `release` value asks for; ok is
// false for "none". migrate-collectstatic is migrate. Any other value is
// taken as a release backend's name, so an unknown one is refused by the
// catalogue with its valid names.
func releaseConfig(value string) (pc ProcConfig, ok bool) {
	pc = ProcConfig{Name: "release", Backend: value}
	switch value {
	case ReleaseNone:
		return ProcConfig{}, false
	case ReleaseMigrateCollectstatic:
		pc.Backend = ReleaseMigrate
	}
	return pc, true
}

// releaseFix is the change that makes a source say `migrate`.
var releaseFix = map[Source]string{
	SourceOperator: "dokku prodserver:set <app> release migrate",
	SourceGlobal:   "dokku prodserver:set --global release migrate",
	SourceAppJSON:  `write "release": "migrate" in app.json's prodserver section`,
	SourceSettings: `write "release": "migrate" in PRODUCTION_PROCESSES`,
}

// collectAtBuild says where collectstatic keeps its files, for every
// builder: the one sentence the release and static-files warnings share.
const collectAtBuild = "collect static files at build instead: herokuish's Python buildpack runs collectstatic unless DISABLE_COLLECTSTATIC is set in the app's config, heroku/builder's Python buildpack does when manage.py is at the root; a Dockerfile build needs `RUN python manage.py collectstatic --noinput` in its final stage, or app.json's scripts.dokku.predeploy (the one phase whose container Dokku commits into the image)"

// releaseWarning is the deploy's warning for a release that asked for
// collectstatic: the value migrate-collectstatic (option false), or the
// migrate backend's collectstatic option, from source. It says what runs
// now, why, and what to change.
func releaseWarning(source Source, option bool) string {
	what, fix := "release "+ReleaseMigrateCollectstatic, releaseFix[source]
	if option || fix == "" {
		what, fix = "the migrate backend's collectstatic option", "drop that option from "+string(source)
	}
	return fmt.Sprintf("%s (from %s) now runs migrate only: Dokku runs the release line in a container it never commits (plugins/app-json/functions.go executeScript), so the files collectstatic writes there are lost; %s; then %s", what, source, collectAtBuild, fix)
}

// withoutCollectstatic drops the migrate backend's collectstatic option,
// saying whether it was there (true or not).
func withoutCollectstatic(pc *ProcConfig) bool {
	if pc.Backend != ReleaseMigrate {
		return false
	}
	var kept []backend.Option
	found := false
	for _, o := range pc.Options {
		if o.Key == collectstaticOption {
			found = true
			continue
		}
		kept = append(kept, o)
	}
	pc.Options = kept
	return found
}

// ReleaseValue is the `release` value that gives the plan's release
// process, the inverse of releaseConfig: what export writes, so that
// importing the export plans the same release line.
func ReleaseValue(p *Plan) string {
	for _, proc := range p.Processes {
		if proc.Managed && proc.Kind == string(backend.KindRelease) {
			return proc.Backend
		}
	}
	return ReleaseNone
}

// configRelease is a source's release value; "" when it is absent or silent.
func configRelease(c *Config) string {
	if c == nil {
		return ""
	}
	return c.Release
}
