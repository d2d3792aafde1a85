package dockerfile

import (
	"path"
	"strings"
)

// IsDir tells whether a repository path (slash-separated, relative, "" for
// the root) is a folder. The caller answers it from the tree it scanned, so
// this package reads nothing but the Dockerfile.
type IsDir func(rel string) bool

// Locate is where a repository path ends up in the final image, as an
// absolute path, and false when no COPY or ADD of the final stage brings it
// there. A later COPY wins over an earlier one, as its files overwrite the
// earlier ones. A folder source copies its contents (`COPY backend/ .`
// puts backend/manage.py at WORKDIR/manage.py); COPY --from follows the
// other stage's own copies.
func (im *Image) Locate(rel string, isDir IsDir) (string, bool) {
	if im == nil || im.final == nil {
		return "", false
	}
	return im.locateIn(im.final, cleanSource(rel), isDir, 0)
}

func (im *Image) locateIn(s *stage, rel string, isDir IsDir, depth int) (string, bool) {
	if depth > maxStages {
		return "", false
	}
	for i := len(s.copies) - 1; i >= 0; i-- {
		c := s.copies[i]
		for j := len(c.Sources) - 1; j >= 0; j-- {
			src := c.Sources[j]
			switch {
			case c.From == -1:
				if p, ok := placeFrom(src, rel, isDir(rel), isDir, c); ok {
					return p, true
				}
			case c.From >= 0 && c.From < len(im.stages):
				// The source is a path of the other stage: find where rel
				// is there, then place that path.
				at, ok := im.locateIn(im.stages[c.From], rel, isDir, depth+1)
				if !ok {
					continue
				}
				if p, ok := placeStagePath(absIn("/", src), at, isDir(rel), c); ok {
					return p, true
				}
			}
		}
	}
	return "", false
}

// placeStagePath places the path at (absolute, in the stage COPY --from
// reads) when the source srcAbs covers it.
func placeStagePath(srcAbs, at string, atIsDir bool, c Copy) (string, bool) {
	switch {
	case srcAbs == "/":
		return path.Join(c.Dest, at), true
	case at == srcAbs && atIsDir:
		return c.Dest, true
	case at == srcAbs && c.DestDir:
		return path.Join(c.Dest, path.Base(at)), true
	case at == srcAbs:
		return c.Dest, true
	case strings.HasPrefix(at, srcAbs+"/"):
		return path.Join(c.Dest, strings.TrimPrefix(at, srcAbs+"/")), true
	}
	return "", false
}

// placeFrom places rel when one COPY source src covers it: the source
// itself, a path inside a source folder, or a glob match.
func placeFrom(src, rel string, relIsDir bool, isDir IsDir, c Copy) (string, bool) {
	switch {
	case src == "":
		return path.Join(c.Dest, rel), true
	case rel == src:
		if relIsDir {
			return c.Dest, true
		}
		if c.DestDir {
			return path.Join(c.Dest, path.Base(rel)), true
		}
		return c.Dest, true
	case strings.HasPrefix(rel, src+"/") && isDir(src):
		return path.Join(c.Dest, strings.TrimPrefix(rel, src+"/")), true
	case strings.ContainsAny(src, "*?["):
		// A glob: a matched file lands in Dest, a matched folder's
		// contents do.
		parts := strings.Split(rel, "/")
		for k := 1; k <= len(parts); k++ {
			prefix := strings.Join(parts[:k], "/")
			if ok, _ := path.Match(src, prefix); !ok {
				continue
			}
			rest := strings.Join(parts[k:], "/")
			if k == len(parts) && !relIsDir {
				return path.Join(c.Dest, path.Base(rel)), true
			}
			return path.Join(c.Dest, rest), true
		}
	}
	return "", false
}

// FromWorkdir writes an absolute image path the way a Procfile line run in
// WORKDIR names it: relative when it is inside WORKDIR ("" for WORKDIR
// itself), absolute otherwise.
func (im *Image) FromWorkdir(abs string) string {
	wd := im.Workdir
	if wd == "" {
		wd = "/"
	}
	if abs == wd {
		return ""
	}
	if wd == "/" {
		return strings.TrimPrefix(abs, "/")
	}
	if rest, ok := strings.CutPrefix(abs, wd+"/"); ok {
		return rest
	}
	return abs
}

// RepoPath is the repository file an absolute image path of the final
// stage (or of the stage an install ran in) came from, found by trying the
// candidates given (the scanned tree's files); false when none lands there.
func (im *Image) RepoPath(abs string, candidates []string, isDir IsDir) (string, bool) {
	for _, c := range candidates {
		if p, ok := im.locateAny(c, isDir); ok && p == abs {
			return c, true
		}
	}
	return "", false
}

// locateAny is where rel lands in the final stage, else in any earlier
// stage (an install run in a builder stage reads the builder's layout).
func (im *Image) locateAny(rel string, isDir IsDir) (string, bool) {
	if p, ok := im.Locate(rel, isDir); ok {
		return p, true
	}
	for i := len(im.stages) - 1; i >= 0; i-- {
		if p, ok := im.locateIn(im.stages[i], cleanSource(rel), isDir, 0); ok {
			return p, true
		}
	}
	return "", false
}

// CopiesContext says the final stage holds anything of the build context.
func (im *Image) CopiesContext() bool {
	if im == nil || im.final == nil {
		return false
	}
	for _, c := range im.final.copies {
		if c.From != -2 {
			return true
		}
	}
	return false
}
