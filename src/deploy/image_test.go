package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/dockerfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
)

func TestApplyImage(t *testing.T) {
	cases := []struct {
		name, dockerfile     string
		manage, project      string // scanned (repository) paths
		wantManage, wantProj string
		warn                 string // substring of the one warning, "" for none
	}{
		{name: "project folder copied flat to WORKDIR", dockerfile: "FROM python\nWORKDIR /app\nCOPY backend/ .\n",
			manage: "backend/manage.py", project: "backend", wantManage: "manage.py", wantProj: ""},
		{name: "whole repository copied", dockerfile: "FROM python\nWORKDIR /app\nCOPY . .\n",
			manage: "backend/manage.py", project: "backend", wantManage: "backend/manage.py", wantProj: "backend"},
		{name: "copied elsewhere than WORKDIR", dockerfile: "FROM python\nWORKDIR /srv\nCOPY src/ /opt/app/\n",
			manage: "src/manage.py", project: "src", wantManage: "/opt/app/manage.py", wantProj: "/opt/app"},
		{name: "multi-stage, copied flat from the builder", dockerfile: "FROM python AS build\nWORKDIR /build\nCOPY . .\nFROM python:slim\nWORKDIR /app\nCOPY --from=build /build/backend /app\n",
			manage: "backend/manage.py", project: "backend", wantManage: "manage.py", wantProj: ""},
		{name: "manage.py not in the image", dockerfile: "FROM python\nWORKDIR /app\nCOPY frontend/ .\n",
			manage: "backend/manage.py", project: "backend", wantManage: "backend/manage.py", wantProj: "backend", warn: "copies no backend/manage.py into the image"},
		{name: "s6-overlay entrypoint", dockerfile: "FROM python\nCOPY . .\nENTRYPOINT [\"/init\"]\n",
			manage: "manage.py", wantManage: "manage.py", warn: "Dockerfile line 3: ENTRYPOINT starts s6-overlay /init"},
		{name: "shell-form ENTRYPOINT", dockerfile: "FROM python\nCOPY . .\nENTRYPOINT /docker-entrypoint.sh\n",
			manage: "manage.py", wantManage: "manage.py", warn: "Dockerfile line 3: ENTRYPOINT is in shell form, which runs /bin/sh -c with it alone and drops the command Dokku gives each process"},
		{name: "ENTRYPOINT python manage.py", dockerfile: "FROM python\nCOPY . .\nENTRYPOINT [\"python\", \"manage.py\"]\n",
			manage: "manage.py", wantManage: "manage.py", warn: "ENTRYPOINT runs python manage.py, and Dokku appends each Procfile line to it as arguments (python manage.py gunicorn …)"},
		{name: "supervisord CMD", dockerfile: "FROM python\nCOPY . .\nCMD [\"supervisord\", \"-n\"]\n",
			manage: "manage.py", wantManage: "manage.py", warn: "CMD starts supervisord, but Dokku replaces CMD with each Procfile line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, d := range []string{"backend", "src", "frontend"} {
				if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			df, err := dockerfile.Parse([]byte(c.dockerfile))
			if err != nil {
				t.Fatal(err)
			}
			im := &Image{Dockerfile: "Dockerfile", Facts: df}
			f := &project.Facts{ManagePy: c.manage, ProjectDir: c.project}
			warns := applyImage(im, f, "", treeIsDir(dir))
			if f.ManagePy != c.wantManage || f.ProjectDir != c.wantProj {
				t.Errorf("ManagePy, ProjectDir = %q, %q; want %q, %q", f.ManagePy, f.ProjectDir, c.wantManage, c.wantProj)
			}
			switch {
			case c.warn == "" && len(warns) > 0:
				t.Errorf("unexpected warnings %q", warns)
			case c.warn != "" && (len(warns) != 1 || !strings.Contains(warns[0], c.warn)):
				t.Errorf("warnings %q, want one containing %q", warns, c.warn)
			}
		})
	}
}

// TestApplyImageKeepsAppDir: the operator's app-dir is taken as written.
func TestApplyImageKeepsAppDir(t *testing.T) {
	df, _ := dockerfile.Parse([]byte("FROM python\nWORKDIR /app\nCOPY backend/ .\n"))
	f := &project.Facts{ManagePy: "backend/manage.py", ProjectDir: "backend"}
	applyImage(&Image{Dockerfile: "Dockerfile", Facts: df}, f, "backend", treeIsDir(t.TempDir()))
	if f.ManagePy != "backend/manage.py" {
		t.Errorf("ManagePy = %q, want the scanned path when app-dir is set", f.ManagePy)
	}
}

// TestReadImage: only a dockerfile build reads the Dockerfile; one that
// cannot be read or parsed is one warning naming it, and rendering falls
// back to the repository's layout; dockerfile-path is read when
// ./Dockerfile is not there.
func TestReadImage(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		build   Build
		want    string // the Dockerfile read, "" for none
		warning string
	}{
		{name: "herokuish ignores a Dockerfile", files: map[string]string{"Dockerfile": "FROM python\n"}, build: Build{Builder: "herokuish"}},
		{name: "dockerfile build", files: map[string]string{"Dockerfile": "FROM python\nWORKDIR /app\n"}, build: Build{Builder: "dockerfile"}, want: "Dockerfile"},
		{name: "dockerfile-path not moved yet", files: map[string]string{"docker/prod.Dockerfile": "FROM python\n"}, build: Build{Builder: "dockerfile", DockerfilePath: "docker/prod.Dockerfile"}, want: "docker/prod.Dockerfile"},
		{name: "builder:set dockerfile without a Dockerfile", build: Build{Builder: "dockerfile"}},
		{name: "no FROM", files: map[string]string{"Dockerfile": "RUN true\n"}, build: Build{Builder: "dockerfile"}, warning: "Dockerfile has no FROM line; rendering the processes from the repository's layout"},
		{name: "too large", files: map[string]string{"Dockerfile": "FROM python\n" + strings.Repeat("#\n", dockerfile.MaxDockerfile)}, build: Build{Builder: "dockerfile"}, warning: "Dockerfile is larger than the 1 MiB prodserver reads"},
		{name: "dockerfile-path leaving the tree", build: Build{Builder: "dockerfile", DockerfilePath: "../../etc/passwd"}, warning: "leaves the source tree"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range c.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			im, warns := readImage(dir, &c.build)
			got := ""
			if im != nil {
				got = im.Dockerfile
			}
			if got != c.want {
				t.Errorf("read %q, want %q", got, c.want)
			}
			switch {
			case c.warning == "" && len(warns) > 0:
				t.Errorf("unexpected warnings %q", warns)
			case c.warning != "" && (len(warns) != 1 || !strings.Contains(warns[0], c.warning)):
				t.Errorf("warnings %q, want one containing %q", warns, c.warning)
			}
		})
	}
}

func TestImageSummary(t *testing.T) {
	df, _ := dockerfile.Parse([]byte("FROM python AS b\nFROM python\nWORKDIR /app\nCOPY backend/ .\nENV DJANGO_SETTINGS_MODULE=api.settings\nRUN pip install -r requirements.txt\n"))
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "backend"), 0o755); err != nil {
		t.Fatal(err)
	}
	im := &Image{Dockerfile: "Dockerfile", Facts: df, Settings: "api.settings"}
	applyImage(im, &project.Facts{ManagePy: "backend/manage.py", ProjectDir: "backend"}, "", treeIsDir(dir))
	want := "image: Dockerfile, final stage of 2, WORKDIR /app; the image holds backend/manage.py as manage.py, so the processes run from there; settings from its ENV DJANGO_SETTINGS_MODULE=api.settings; 1 install command(s) read"
	if got := im.Summary(); got != want {
		t.Errorf("Summary() =\n%s\nwant\n%s", got, want)
	}
	if (*Image)(nil).Summary() != "" {
		t.Error("no image must print nothing")
	}
}

// TestImageUwsgiPlugin: the OS's modular uWSGI is found from what the
// Dockerfile's final stage installs (its RUN lines and its FROM parents'),
// not from a build stage it only copies from, and not from an Aptfile,
// which a Dockerfile build does not run.
func TestImageUwsgiPlugin(t *testing.T) {
	for _, c := range []struct {
		name, dockerfile string
		fromAptfile      bool // the scan found it in an Aptfile
		want             string
	}{
		{"Debian's apt-get", "FROM debian:bookworm\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends uwsgi uwsgi-plugin-python3 \\\n && rm -rf /var/lib/apt/lists/*\n", false, "python3"},
		{"a pinned version", "FROM debian\nRUN apt-get install -y uwsgi-plugin-python3=2.0.21-5.1\n", false, "python3"},
		{"Alpine's apk", "FROM alpine\nRUN apk add --no-cache uwsgi uwsgi-python3\n", false, "python3"},
		{"exec-form RUN", "FROM debian\n" + `RUN ["apt-get", "install", "-y", "uwsgi-plugin-python3"]` + "\n", false, "python3"},
		{"inherited from the stage it is built FROM", "FROM debian AS base\nRUN apt-get install -y uwsgi-plugin-python3\nFROM base\nCMD [\"uwsgi\"]\n", false, "python3"},
		{"only in a build stage", "FROM debian AS build\nRUN apt-get install -y uwsgi-plugin-python3\nFROM debian\nCOPY --from=build /opt /opt\n", false, ""},
		{"in a comment, not a RUN", "FROM debian\n# apt-get install uwsgi-plugin-python3\nRUN apt-get install -y uwsgi\n", false, ""},
		{"another plugin is not Python's", "FROM debian\nRUN apt-get install -y uwsgi-plugin-python3-extra uwsgi-plugin-php\n", false, ""},
		{"an Aptfile is not run by a Dockerfile build", "FROM debian\nRUN apt-get install -y uwsgi\n", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			df, err := dockerfile.Parse([]byte(c.dockerfile))
			if err != nil {
				t.Fatal(err)
			}
			f := &project.Facts{}
			if c.fromAptfile {
				f.UwsgiPlugin, f.UwsgiPluginFile = "python3", "Aptfile"
			}
			applyImage(&Image{Dockerfile: "Dockerfile", Facts: df}, f, "", treeIsDir(t.TempDir()))
			from := ""
			if c.want != "" {
				from = "Dockerfile"
			}
			if f.UwsgiPlugin != c.want || f.UwsgiPluginFile != from {
				t.Errorf("UwsgiPlugin %q from %q, want %q from %q", f.UwsgiPlugin, f.UwsgiPluginFile, c.want, from)
			}
		})
	}
}
