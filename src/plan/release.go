package plan

import "github.com/dokku-prodserver/dokku-prodserver/src/backend"

// The values of `release` (the setting and app.json's key) that are not a
// backend name: each says what the release process runs, so no value is
// read as a backend name by accident.
const (
	ReleaseNone                 = "none"
	ReleaseMigrate              = "migrate"
	ReleaseMigrateCollectstatic = "migrate-collectstatic"
)

// collectstaticOption is the migrate backend's control option that chains
// collectstatic after a successful migrate.
const collectstaticOption = "collectstatic"

// releaseConfig is the release process a `release` value asks for; ok is
// false for "none". migrate-collectstatic is the migrate backend with its
// collectstatic option. Any other value is taken as a release backend's
// name, so an unknown one is refused by the catalogue with its valid names.
func releaseConfig(value string) (pc ProcConfig, ok bool) {
	pc = ProcConfig{Name: "release", Backend: value}
	switch value {
	case ReleaseNone:
		return ProcConfig{}, false
	case ReleaseMigrateCollectstatic:
		pc.Backend = ReleaseMigrate
		pc.Options = []backend.Option{{Key: collectstaticOption, Value: true}}
	}
	return pc, true
}

// ReleaseValue is the `release` value that gives the plan's release
// process, the inverse of releaseConfig: what export writes, so that
// importing the export plans the same release line.
func ReleaseValue(p *Plan) string {
	for _, proc := range p.Processes {
		if !proc.Managed || proc.Kind != string(backend.KindRelease) {
			continue
		}
		if proc.Backend == ReleaseMigrate {
			for _, o := range proc.Config.Options {
				if o.Key == collectstaticOption && o.Value == true {
					return ReleaseMigrateCollectstatic
				}
			}
		}
		return proc.Backend
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
