package deploy

import (
	"fmt"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/project"
)

// staticInputs are what decides whether the deploy's image holds the
// collected static files; gathered by the trigger so that staticWarnings
// stays a pure function.
type staticInputs struct {
	builder string
	// python is the interpreter the app's lines run ("" = python).
	python string
	facts  *project.Facts
	// dockerfile and finalRuns are the Dockerfile read and the RUN
	// commands its final stage holds (dockerfile.Image.FinalRuns).
	dockerfile string
	finalRuns  []string
	// predeploy is app.json's scripts.dokku.predeploy: app-json commits its
	// container into the image (plugins/app-json/functions.go executeScript).
	predeploy string
	// disabled is DISABLE_COLLECTSTATIC in the app's config (app, then
	// global: builder-herokuish/pre-build's config_bundle --merged);
	// disabledFile is .heroku/collectstatic_disabled at the build root.
	disabled     string
	disabledFile bool
	// release is the release line the Procfile will hold, "" for none.
	release string
}

// buildpackManageDepth is how deep heroku-buildpack-python looks for
// manage.py (bin/steps/collectstatic: find . -maxdepth 3 -name manage.py).
const buildpackManageDepth = 3

// staticWarnings warns when STATIC_ROOT is a folder in the container (no
// uploading storage) and nothing puts the collected files into the image:
// the app then serves none (WhiteNoise reads STATIC_ROOT in the running
// container). collectstatic in the release line does not help, since Dokku
// never commits the release container. Each warning names the change.
func staticWarnings(in staticInputs) []string {
	f := in.facts
	if f == nil || !f.Django || f.StaticRootFile == "" || f.StaticRemote {
		return nil
	}
	manage := f.ManagePy
	if manage == "" {
		manage = "manage.py"
	}
	py := in.python
	if py == "" {
		py = "python"
	}
	cmd := py + " " + manage + " collectstatic --noinput"
	predeployFix := fmt.Sprintf(`set app.json's scripts.dokku.predeploy to "%s" (Dokku commits the predeploy container into the image)`, cmd)
	if hasWord(in.predeploy, "collectstatic") {
		return nil
	}
	var why, fix string
	switch in.builder {
	case "herokuish":
		switch {
		case in.disabledFile:
			why = "the build root has .heroku/collectstatic_disabled, so the Python buildpack skips collectstatic"
			fix = "delete .heroku/collectstatic_disabled, or " + predeployFix
		case in.disabled != "" && in.disabled != "0":
			why = fmt.Sprintf("DISABLE_COLLECTSTATIC=%s is in the app's config, so the Python buildpack skips collectstatic", in.disabled)
			fix = "dokku config:unset <app> DISABLE_COLLECTSTATIC, or " + predeployFix
		case strings.Count(f.ManagePy, "/") >= buildpackManageDepth:
			why = fmt.Sprintf("%s is deeper than the Python buildpack looks for manage.py (%d folders), so it skips collectstatic", f.ManagePy, buildpackManageDepth)
			fix = predeployFix
		default:
			return nil
		}
	case "pack":
		if f.ManagePy == "manage.py" {
			return nil // heroku/builder's Python buildpack collects for a root manage.py
		}
		why = fmt.Sprintf("heroku/builder's Python buildpack runs collectstatic only for a manage.py at the root, and this app's is %s", f.ManagePy)
		fix = predeployFix
	case "dockerfile":
		for _, r := range in.finalRuns {
			if hasWord(r, "collectstatic") {
				return nil
			}
		}
		df := in.dockerfile
		if df == "" {
			df = "Dockerfile"
		}
		why = fmt.Sprintf("no RUN line of %s's final stage runs collectstatic", df)
		fix = fmt.Sprintf("add `RUN %s` to %s's final stage, after the app is copied, or %s", cmd, df, predeployFix)
	default:
		return nil // a builder whose build prodserver does not know
	}
	where := f.StaticRootFile
	if f.StaticRoot != "" {
		where = fmt.Sprintf("%s, %s", f.StaticRoot, f.StaticRootFile)
	}
	w := fmt.Sprintf("STATIC_ROOT (%s) is a folder in the container and %s stores static files there, but nothing collects them into the image: %s", where, storageName(f.StaticStorage), why)
	if hasWord(in.release, "collectstatic") {
		w += "; the release line runs collectstatic, but Dokku never commits the release container (plugins/app-json/functions.go executeScript), so those files are lost"
	}
	return []string{w + "; " + fix}
}

// storageName is the storage class for a message.
func storageName(class string) string {
	if class == "" {
		return "Django's default storage"
	}
	return class
}

// hasWord says whether the shell text has word as one of its words (or a
// word ending in it, as manage.py's `collectstatic` is).
func hasWord(text, word string) bool {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == ';' || r == '&' || r == '|' || r == '"' || r == '\'' || r == '(' || r == ')'
	}) {
		if w == word {
			return true
		}
	}
	return false
}
