package deploy

import (
	"os"
	"path/filepath"
	"testing"
)

// TestChooseBuilder follows Dokku 0.38.27's builder-detect order: the
// selected property (app, then global), herokuish's signals, project.toml,
// a Dockerfile, else herokuish.
func TestChooseBuilder(t *testing.T) {
	cases := []struct {
		name string
		s    buildSignals
		want string
	}{
		{"nothing", buildSignals{}, "herokuish"},
		{"dockerfile", buildSignals{dockerfile: true}, "dockerfile"},
		{"project.toml beats Dockerfile", buildSignals{dockerfile: true, projectToml: true}, "pack"},
		{".buildpacks beats Dockerfile", buildSignals{dockerfile: true, buildpacksFile: true}, "herokuish"},
		{".env BUILDPACK_URL beats project.toml", buildSignals{projectToml: true, dotenvBuildpackURL: true}, "herokuish"},
		{"config BUILDPACK_URL beats Dockerfile", buildSignals{dockerfile: true, configBuildpackURL: true}, "herokuish"},
		{"global selected beats files", buildSignals{dockerfile: true, selectedGlobal: "pack"}, "pack"},
		{"app selected beats global", buildSignals{selectedApp: "dockerfile", selectedGlobal: "pack"}, "dockerfile"},
		{"selected with no Dockerfile", buildSignals{selectedApp: "dockerfile"}, "dockerfile"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, why := chooseBuilder(c.s)
			if got != c.want {
				t.Errorf("builder %q (%s), want %q", got, why, c.want)
			}
			if why == "" {
				t.Error("no reason given")
			}
		})
	}
}

// TestDetectBuildReadsDokkuFiles reads the builder plugins' property
// files where Dokku keeps them and the build root's files.
func TestDetectBuildReadsDokkuFiles(t *testing.T) {
	lib := t.TempDir()
	t.Setenv("DOKKU_LIB_ROOT", lib)
	write := func(path, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	work := t.TempDir()
	write(filepath.Join(work, "Dockerfile"), "FROM python:3.12\n")

	b := detectBuild("web1", work)
	if b.Builder != "dockerfile" || b.BuildDir != "" || b.DockerfilePath != "" {
		t.Errorf("root Dockerfile: got %+v", b)
	}

	write(filepath.Join(lib, "config", "builder", "--global", "build-dir"), "/backend/")
	write(filepath.Join(lib, "config", "builder-dockerfile", "web1", "dockerfile-path"), "docker/prod.Dockerfile")
	write(filepath.Join(lib, "config", "builder", "--global", "selected"), "pack")
	b = detectBuild("web1", work)
	if b.Builder != "pack" || b.BuildDir != "backend" || b.DockerfilePath != "docker/prod.Dockerfile" {
		t.Errorf("global selected, global build-dir, app dockerfile-path: got %+v", b)
	}
	write(filepath.Join(lib, "config", "builder", "web1", "selected"), "herokuish")
	write(filepath.Join(lib, "config", "builder", "web1", "build-dir"), "api")
	if b = detectBuild("web1", work); b.Builder != "herokuish" || b.BuildDir != "api" {
		t.Errorf("app selected and build-dir: got %+v", b)
	}
}
