package deploy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// Build is the builder Dokku will run for this deploy, as prodserver
// predicts it in core-post-extract (Dokku asks builder-detect only after
// core-post-extract and post-extract: plugins/git/functions
// git_trigger_build). It is kept in deploy.json, because what the image
// runs depends on it: a Dockerfile image runs Procfile lines without a
// shell, in its own WORKDIR.
type Build struct {
	// Builder is dockerfile, pack, herokuish, or the name builder:set gave.
	Builder string `json:"builder"`
	// Reason says why, for the operator ("builder:set selected", "a
	// Dockerfile at the build root").
	Reason string `json:"reason"`
	// BuildDir is the builder plugin's computed build-dir (app, else
	// global); builder's own core-post-extract, which plugn runs before
	// prodserver's, has already made it the source root.
	BuildDir string `json:"build_dir,omitempty"`
	// DockerfilePath is builder-dockerfile's computed dockerfile-path when
	// it is not the default; builder-dockerfile's core-post-extract has
	// already moved that file to ./Dockerfile.
	DockerfilePath string `json:"dockerfile_path,omitempty"`
}

// buildSignals are the inputs of Dokku's builder choice, gathered by
// readBuildSignals so that chooseBuilder stays a pure function.
type buildSignals struct {
	selectedApp, selectedGlobal string // builder property "selected"
	buildpacksFile              bool   // .buildpacks at the build root
	dotenvBuildpackURL          bool   // .env mentions BUILDPACK_URL
	configBuildpackURL          bool   // BUILDPACK_URL in the app's config
	projectToml                 bool   // project.toml at the build root
	dockerfile                  bool   // Dockerfile at the build root
}

// chooseBuilder follows Dokku 0.38.27: builder's builder-detect answers
// the selected property, app then global (plugins/builder/triggers.go
// TriggerBuilderDetect); else builder-dockerfile's builder-detect, which
// first lets herokuish (.buildpacks, BUILDPACK_URL in .env or the config:
// plugins/builder-herokuish/builder-detect) and pack (project.toml:
// plugins/builder-pack/builder-detect) answer, then says dockerfile for a
// Dockerfile; with no answer git_trigger_build picks herokuish.
func chooseBuilder(s buildSignals) (builder, reason string) {
	switch {
	case s.selectedApp != "":
		return s.selectedApp, "builder:set selected it for the app"
	case s.selectedGlobal != "":
		return s.selectedGlobal, "builder:set --global selected it"
	case s.buildpacksFile:
		return "herokuish", "a .buildpacks file at the build root"
	case s.dotenvBuildpackURL:
		return "herokuish", "BUILDPACK_URL in the build root's .env"
	case s.configBuildpackURL:
		return "herokuish", "BUILDPACK_URL in the app's config"
	case s.projectToml:
		return "pack", "a project.toml at the build root"
	case s.dockerfile:
		return "dockerfile", "a Dockerfile at the build root"
	}
	return "herokuish", "no Dockerfile or project.toml at the build root (Dokku's default)"
}

// readBuildSignals reads the builder properties and the build root.
// Property reads that fail count as unset: the prediction is advice, and
// Dokku itself reads these files the same way (common.PropertyGet).
func readBuildSignals(app, workDir string) (buildSignals, Build) {
	prop := func(plugin, scope, key string) string {
		v, err := dokku.PluginProperty(plugin, scope, key, "")
		if err != nil {
			dokku.LogWarn(fmt.Sprintf("prodserver: %v; predicting the builder without it", err))
		}
		return strings.TrimSpace(v)
	}
	exists := func(name string) bool {
		fi, err := os.Stat(filepath.Join(workDir, name))
		return err == nil && fi.Mode().IsRegular()
	}
	s := buildSignals{
		selectedApp:    prop("builder", app, "selected"),
		selectedGlobal: prop("builder", dokku.GlobalApp, "selected"),
		buildpacksFile: exists(".buildpacks"),
		projectToml:    exists("project.toml"),
		dockerfile:     exists("Dockerfile"),
	}
	// Dokku greps .env (builder-herokuish's builder-detect); here it is
	// read bounded and regular-only, so a FIFO or a huge .env cannot hang
	// the deploy. An unreadable .env counts as one without BUILDPACK_URL.
	if p, err := safefile.Inside(workDir, ".env"); err == nil {
		b, err := safefile.Read(p, dokku.MaxEnv)
		switch {
		case err == nil:
			s.dotenvBuildpackURL = strings.Contains(string(b), "BUILDPACK_URL")
		case !errors.Is(err, fs.ErrNotExist):
			dokku.LogWarn(fmt.Sprintf("prodserver: the build root's .env %v; predicting the builder without it", err))
		}
	}
	if v, _ := dokku.ConfigGet(app, "BUILDPACK_URL"); v != "" {
		s.configBuildpackURL = true
	}
	var b Build
	b.BuildDir = strings.Trim(prop("builder", app, "build-dir"), "/")
	if b.BuildDir == "" {
		b.BuildDir = strings.Trim(prop("builder", dokku.GlobalApp, "build-dir"), "/")
	}
	b.DockerfilePath = prop("builder-dockerfile", app, "dockerfile-path")
	if b.DockerfilePath == "" {
		b.DockerfilePath = prop("builder-dockerfile", dokku.GlobalApp, "dockerfile-path")
	}
	if b.DockerfilePath == "Dockerfile" {
		b.DockerfilePath = ""
	}
	return s, b
}

// detectBuild predicts the builder of this deploy.
func detectBuild(app, workDir string) *Build {
	s, b := readBuildSignals(app, workDir)
	b.Builder, b.Reason = chooseBuilder(s)
	return &b
}
