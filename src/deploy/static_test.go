package deploy

import (
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/dockerfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
)

// TestStaticWarnings: a local STATIC_ROOT warns, naming the change, when
// nothing collects into the image for the deploy's builder; collecting at
// build (the buildpacks, a final-stage RUN, app.json's predeploy) or an
// uploading storage is silent, and collectstatic in the release line is
// called out as lost.
func TestStaticWarnings(t *testing.T) {
	local := func(manage string, edit ...func(*project.Facts)) *project.Facts {
		f := &project.Facts{Django: true, ManagePy: manage, StaticRootFile: "proj/settings.py", StaticRoot: "/app/static"}
		for _, e := range edit {
			e(f)
		}
		return f
	}
	remote := func(f *project.Facts) { f.StaticStorage, f.StaticRemote = "storages.backends.s3.S3Storage", true }
	unset := func(f *project.Facts) { f.StaticRootFile, f.StaticRoot = "", "" }
	whitenoise := func(f *project.Facts) { f.StaticStorage = "whitenoise.storage.CompressedManifestStaticFilesStorage" }
	const collect = "python manage.py collectstatic --noinput"
	for _, c := range []struct {
		name string
		in   staticInputs
		want []string // substrings of the one warning; nil for none
	}{
		{name: "herokuish collects", in: staticInputs{builder: "herokuish", facts: local("manage.py")}},
		{name: "herokuish DISABLE_COLLECTSTATIC=0 still collects", in: staticInputs{builder: "herokuish", facts: local("manage.py"), disabled: "0"}},
		{name: "herokuish disabled", in: staticInputs{builder: "herokuish", facts: local("manage.py", whitenoise), disabled: "1"},
			want: []string{"STATIC_ROOT (/app/static, proj/settings.py)", "whitenoise.storage.CompressedManifestStaticFilesStorage", "DISABLE_COLLECTSTATIC=1", "dokku config:unset <app> DISABLE_COLLECTSTATIC", `scripts.dokku.predeploy to "` + collect + `"`}},
		{name: "herokuish disabled file", in: staticInputs{builder: "herokuish", facts: local("manage.py"), disabledFile: true},
			want: []string{"delete .heroku/collectstatic_disabled"}},
		{name: "herokuish manage.py too deep", in: staticInputs{builder: "herokuish", facts: local("a/b/c/manage.py")},
			want: []string{"a/b/c/manage.py is deeper than the Python buildpack looks", `"python a/b/c/manage.py collectstatic --noinput"`}},
		{name: "herokuish three deep is found", in: staticInputs{builder: "herokuish", facts: local("a/b/manage.py")}},
		{name: "pack root manage.py collects", in: staticInputs{builder: "pack", facts: local("manage.py")}},
		{name: "pack nested manage.py", in: staticInputs{builder: "pack", facts: local("src/manage.py")}, want: []string{"only for a manage.py at the root", "scripts.dokku.predeploy"}},
		{name: "dockerfile without RUN", in: staticInputs{builder: "dockerfile", facts: local("manage.py"), dockerfile: "Dockerfile", finalRuns: []string{"pip install -r requirements.txt"}},
			want: []string{"no RUN line of Dockerfile's final stage runs collectstatic", "add `RUN " + collect + "` to Dockerfile's final stage", "Django's default storage"}},
		{name: "dockerfile RUN collects", in: staticInputs{builder: "dockerfile", facts: local("manage.py"), finalRuns: []string{"pip install -r r.txt && python manage.py collectstatic --noinput"}}},
		{name: "dockerfile release collects in vain", in: staticInputs{builder: "dockerfile", facts: local("manage.py"), release: "python manage.py migrate && python manage.py collectstatic --noinput"},
			want: []string{"the release line runs collectstatic, but Dokku never commits the release container"}},
		{name: "predeploy collects", in: staticInputs{builder: "dockerfile", facts: local("manage.py"), predeploy: collect}},
		{name: "remote storage", in: staticInputs{builder: "dockerfile", facts: local("manage.py", remote)}},
		{name: "no STATIC_ROOT", in: staticInputs{builder: "dockerfile", facts: local("manage.py", unset)}},
		{name: "unknown builder", in: staticInputs{builder: "lambda", facts: local("manage.py")}},
		{name: "no facts", in: staticInputs{builder: "dockerfile"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := staticWarnings(c.in)
			if c.want == nil {
				if len(got) != 0 {
					t.Errorf("warned %q", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("warnings %q, want one", got)
			}
			for _, w := range c.want {
				if !strings.Contains(got[0], w) {
					t.Errorf("warning %q lacks %q", got[0], w)
				}
			}
		})
	}
}

// TestReleaseShellUnderEntrypoint: app-json splits the release line into
// words when the image has an ENTRYPOINT that is not tini, so a release
// line with && warns there, and only there.
func TestReleaseShellUnderEntrypoint(t *testing.T) {
	pl := &plan.Plan{Processes: []plan.Process{{Name: "release", Command: "python manage.py migrate && python manage.py collectstatic --noinput"}}}
	none := func(string) bool { return false }
	for _, c := range []struct {
		name, dockerfile string
		warn             bool
	}{
		{"no ENTRYPOINT", "FROM python:3.12\nCMD [\"gunicorn\"]\n", false},
		{"tini", "FROM python:3.12\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\n", false},
		{"entrypoint script", "FROM python:3.12\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			df, err := dockerfile.Parse([]byte(c.dockerfile))
			if err != nil {
				t.Fatal(err)
			}
			im := &Image{Dockerfile: "Dockerfile", Facts: df}
			w := shellLineWarnings(&Build{Builder: "dockerfile"}, pl, none, im.releaseWithoutShell())
			if got := len(w) == 1 && strings.Contains(w[0], "the image has an ENTRYPOINT, so Dokku splits the release line into words"); got != c.warn || len(w) > 1 {
				t.Errorf("warnings %q, want a release warning: %v", w, c.warn)
			}
		})
	}
}
