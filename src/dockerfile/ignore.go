package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// MaxIgnoreFile bounds the .dockerignore read.
const MaxIgnoreFile = 1 << 20

// Ignore is the build context's .dockerignore: the paths it excludes are
// not sent to the builder, so no COPY or ADD can put them in the image and
// detection must not count them (a settings module, a second manage.py).
// Matching is moby/patternmatcher's, the code docker and BuildKit use.
type Ignore struct {
	// File is the ignore file read (Dockerfile.dockerignore beside the
	// Dockerfile wins over .dockerignore, as BuildKit reads them).
	File     string   `json:"file"`
	Patterns []string `json:"patterns"`
	pm       *patternmatcher.PatternMatcher
}

// IgnoreFiles are the names an ignore file is looked for under, in order,
// for a Dockerfile named dockerfile (relative to the context).
func IgnoreFiles(dockerfile string) []string {
	return []string{dockerfile + ".dockerignore", ".dockerignore"}
}

// ReadIgnore reads the first ignore file of names that exists (open maps
// a name to its path); nil when there is none.
func ReadIgnore(names []string, open func(string) string) (*Ignore, error) {
	for _, name := range names {
		b, err := safefile.Read(open(name), MaxIgnoreFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s %w", name, err)
		}
		return ParseIgnore(name, b)
	}
	return nil, nil
}

// ParseIgnore reads an ignore file's patterns, as docker build does.
func ParseIgnore(name string, src []byte) (*Ignore, error) {
	pats, err := ignorefile.ReadAll(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read: %w", name, err)
	}
	pm, err := patternmatcher.New(pats)
	if err != nil {
		return nil, fmt.Errorf("%s has a pattern docker cannot use: %w", name, err)
	}
	return &Ignore{File: name, Patterns: pats, pm: pm}, nil
}

// Excludes says whether the context path rel (slash-separated) is left out
// of the build context. A folder is left out only when no `!` pattern can
// bring back something inside it.
func (ig *Ignore) Excludes(rel string, dir bool) bool {
	if ig == nil || ig.pm == nil || rel == "" {
		return false
	}
	if dir && ig.pm.Exclusions() {
		return false
	}
	m, err := ig.pm.MatchesOrParentMatches(path.Clean(rel))
	return err == nil && m
}
