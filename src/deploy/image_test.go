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
