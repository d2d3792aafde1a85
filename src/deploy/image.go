package deploy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/dockerfile"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
)

// Image is what deploy.json keeps of the Dockerfile's final stage: the
// facts prodserver rendered from, so prodserver:processes can say why.
type Image struct {
	// Dockerfile is the file read (Dockerfile, or builder-dockerfile's
	// dockerfile-path when the harness or an older Dokku has not moved it).
	Dockerfile string            `json:"dockerfile"`
	Facts      *dockerfile.Image `json:"facts"`
	// ManagePy and ProjectDir are the repository's paths and where the
	// image holds them, as a Procfile line run in WORKDIR names them; the
	// facts in the record hold the image's.
	RepoManagePy   string `json:"repo_manage_py,omitempty"`
	RepoProjectDir string `json:"repo_project_dir,omitempty"`
	ManagePy       string `json:"manage_py,omitempty"`
	// Settings is the image's ENV DJANGO_SETTINGS_MODULE when it was used.
	Settings string `json:"settings,omitempty"`
	// Ignore is the build context's .dockerignore, whose paths the scan
	// did not count (the image cannot hold them).
	Ignore *dockerfile.Ignore `json:"dockerignore,omitempty"`
}

// readIgnore reads the .dockerignore of the image's build context (the
// source root), so the scan leaves out what docker build does not send.
// An unreadable one is a warning and nothing is left out.
func (im *Image) readIgnore(workDir string) []string {
	if im == nil {
		return nil
	}
	names := dockerfile.IgnoreFiles(im.Dockerfile)
	paths := map[string]string{}
	for _, name := range names {
		p, err := insideDir(workDir, name)
		if err != nil {
			return []string{fmt.Sprintf("%v; detection counts every file of the repository", err)}
		}
		paths[name] = p
	}
	ig, err := dockerfile.ReadIgnore(names, func(name string) string { return paths[name] })
	if err != nil {
		return []string{fmt.Sprintf("%v; detection counts every file of the repository", err)}
	}
	im.Ignore = ig
	return nil
}

// excluded is the scan's Options.Excluded for the image's .dockerignore,
// nil when there is none.
func (im *Image) excluded() func(string, bool) bool {
	if im == nil || im.Ignore == nil {
		return nil
	}
	return im.Ignore.Excludes
}

// readImage reads the Dockerfile Dokku will build from, when the builder
// is dockerfile: ./Dockerfile, which builder-dockerfile's core-post-extract
// (run before prodserver's) has made of its dockerfile-path, else that
// path itself. A Dockerfile that cannot be read or parsed is a warning and
// rendering falls back to the repository's layout.
func readImage(workDir string, b *Build) (*Image, []string) {
	if b == nil || b.Builder != "dockerfile" {
		return nil, nil
	}
	names := []string{"Dockerfile"}
	if b.DockerfilePath != "" {
		names = append(names, b.DockerfilePath)
	}
	for _, name := range names {
		p, err := insideDir(workDir, name)
		if err != nil {
			return nil, []string{fmt.Sprintf("dockerfile-path %s leaves the source tree; rendering from the repository's layout", name)}
		}
		im, err := dockerfile.Read(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, []string{fmt.Sprintf("%s %v; rendering the processes from the repository's layout", name, err)}
		}
		return &Image{Dockerfile: name, Facts: im}, nil
	}
	return nil, nil
}

// imageSettings is the settings module the image's ENV sets, "" when none.
func (im *Image) imageSettings() string {
	if im == nil || im.Facts == nil {
		return ""
	}
	return strings.TrimSpace(im.Facts.Env["DJANGO_SETTINGS_MODULE"])
}

// applyImage rewrites the scanned paths into the image's layout: the
// Procfile lines run in WORKDIR, where a project folder copied flat
// (`COPY backend/ .`) is the current folder, so `--chdir=backend` and
// `python backend/manage.py` would point at nothing. It returns the
// warnings for what the image cannot run: manage.py not copied in, a
// supervisor in ENTRYPOINT or CMD.
func applyImage(im *Image, f *project.Facts, appDir string, isDir dockerfile.IsDir) []string {
	if im == nil || im.Facts == nil || f == nil {
		return nil
	}
	var warns []string
	df := im.Facts
	imageUwsgiPlugin(im, f)
	if f.ManagePy != "" && appDir == "" {
		abs, ok := df.Locate(f.ManagePy, isDir)
		if !ok {
			warns = append(warns, fmt.Sprintf("%s's final stage copies no %s into the image (no COPY or ADD of it or of a folder holding it); rendering from the repository's layout: add the COPY, or set app-dir (prodserver:set <app> app-dir PATH) to where the image holds manage.py", im.Dockerfile, f.ManagePy))
		} else {
			projAbs := path.Dir(abs)
			if f.ProjectDir != dirOf(f.ManagePy) {
				if p, ok := df.Locate(f.ProjectDir, isDir); ok {
					projAbs = p
				}
			}
			manage, proj := df.FromWorkdir(abs), df.FromWorkdir(projAbs)
			if manage != f.ManagePy || proj != f.ProjectDir {
				im.RepoManagePy, im.RepoProjectDir, im.ManagePy = f.ManagePy, f.ProjectDir, manage
				f.ManagePy, f.ProjectDir = manage, proj
			}
		}
	}
	if s, ok := df.Supervisor(); ok {
		if s.InEntrypoint {
			warns = append(warns, fmt.Sprintf("%s line %d: ENTRYPOINT starts %s, and Dokku passes each Procfile line to the ENTRYPOINT as its arguments, so every container (web, worker, beat, …) also starts every service %s runs (two beats send each periodic task twice); make the ENTRYPOINT a plain one (ENTRYPOINT [] or an init such as tini) and let each service run as its own Procfile process", im.Dockerfile, s.Line, s.Name, s.Name))
		} else {
			warns = append(warns, fmt.Sprintf("%s line %d: CMD starts %s, but Dokku replaces CMD with each Procfile line, so %s and the services it would start do not run; give each service it runs its own Procfile line (prodserver renders web, worker and beat when it detects them)", im.Dockerfile, s.Line, s.Name, s.Name))
		}
	}
	switch df.EntrypointTrap() {
	case "shell":
		warns = append(warns, fmt.Sprintf("%s line %d: ENTRYPOINT is in shell form, which runs /bin/sh -c with it alone and drops the command Dokku gives each process, so every process would run %q; write it in exec form (ENTRYPOINT [\"…\"]; a script must end with exec \"$@\"), or make it CMD", im.Dockerfile, df.EntrypointLine, strings.Join(df.Entrypoint, " ")))
	case "program":
		warns = append(warns, fmt.Sprintf("%s line %d: ENTRYPOINT runs %s, and Dokku appends each Procfile line to it as arguments (%s gunicorn …), which it cannot run; make it CMD, which Dokku replaces, or drop it", im.Dockerfile, df.EntrypointLine, strings.Join(df.Entrypoint, " "), strings.Join(df.Entrypoint, " ")))
	}
	return warns
}

// imageUwsgiPlugin sets f.UwsgiPlugin from what the Dockerfile's final
// stage installs (its RUN lines and its FROM parents'): Debian's modular
// uWSGI needs --plugin=python3. A build stage that installs the package is
// not counted, and an Aptfile is not either: a Dockerfile build does not
// run heroku-buildpack-apt.
func imageUwsgiPlugin(im *Image, f *project.Facts) {
	f.UwsgiPlugin, f.UwsgiPluginFile = "", ""
	if p := project.UwsgiPluginIn(strings.Join(im.Facts.FinalRuns(), "\n")); p != "" {
		f.UwsgiPlugin, f.UwsgiPluginFile = p, im.Dockerfile
	}
}

func dirOf(rel string) string {
	if i := strings.LastIndex(rel, "/"); i >= 0 {
		return rel[:i]
	}
	return ""
}

// treeIsDir answers dockerfile.IsDir from the extracted source tree.
func treeIsDir(workDir string) dockerfile.IsDir {
	return func(rel string) bool {
		fi, err := os.Stat(filepath.Join(workDir, filepath.FromSlash(rel)))
		return err == nil && fi.IsDir()
	}
}

// installed is what the Dockerfile's install commands ask for, as the scan
// takes it: -r files mapped back to the repository files COPY brought
// there, and the groups, extras and packages named. nil when the
// Dockerfile installs nothing it can read (the scan's defaults hold).
func (im *Image) installed(workDir string, isDir dockerfile.IsDir) *project.Installed {
	if im == nil || im.Facts == nil || len(im.Facts.Installs) == 0 {
		return nil
	}
	var cands []string
	for _, pat := range []string{"*.txt", "*/*.txt", "*/*/*.txt", "*/*/*/*.txt"} {
		m, _ := filepath.Glob(filepath.Join(workDir, pat))
		for _, f := range m {
			if rel, err := filepath.Rel(workDir, f); err == nil {
				cands = append(cands, filepath.ToSlash(rel))
			}
		}
	}
	out := &project.Installed{}
	var lines []string
	for _, in := range im.Facts.Installs {
		for _, abs := range in.Requirements {
			if rel, ok := im.Facts.RepoPath(abs, cands, isDir); ok {
				out.Requirements = append(out.Requirements, rel)
			}
		}
		out.Packages = append(out.Packages, in.Packages...)
		out.Groups = append(out.Groups, in.Groups...)
		out.Extras = append(out.Extras, in.Extras...)
		out.AllGroups = out.AllGroups || in.AllGroups
		out.AllExtras = out.AllExtras || in.AllExtras
		out.Dev = out.Dev || in.Dev
		lines = append(lines, fmt.Sprint(in.Line))
	}
	out.By = im.Dockerfile + " line " + strings.Join(lines, ", ")
	return out
}

// Summary is the deploy log's and prodserver:processes' line about the
// image: what was read and what it changed.
func (im *Image) Summary() string {
	if im == nil || im.Facts == nil {
		return ""
	}
	s := fmt.Sprintf("image: %s, final stage of %d, WORKDIR %s", im.Dockerfile, im.Facts.Stages, im.Facts.Workdir)
	if im.RepoManagePy != "" {
		s += fmt.Sprintf("; the image holds %s as %s, so the processes run from there", im.RepoManagePy, im.ManagePy)
	}
	if im.Settings != "" {
		s += "; settings from its ENV DJANGO_SETTINGS_MODULE=" + im.Settings
	}
	if n := len(im.Facts.Installs); n > 0 {
		s += fmt.Sprintf("; %d install command(s) read", n)
	}
	if im.Ignore != nil {
		s += fmt.Sprintf("; %s leaves %s out of the build, so detection does not count it", im.Ignore.File, strings.Join(im.Ignore.Patterns, " "))
	}
	return s
}
