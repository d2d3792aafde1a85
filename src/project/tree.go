package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// Walk bounds. Detection runs on every deploy, so it never reads a whole
// tree: directories deeper than MaxDepth below the root and entries past
// MaxEntries are not looked at (a warning says so).
const (
	// MaxDepth is how many directory levels below the root the walk lists.
	MaxDepth = 4
	// MaxEntries bounds the directory entries the walk looks at. Listing
	// costs about a microsecond per entry, so this caps a scan at ~10 ms;
	// the walk is breadth-first, so a project's shallow modules (manage.py,
	// settings, wsgi.py, celery.py) are seen long before the bound.
	MaxEntries = 10000
	// maxSourceBytes bounds one Python or requirements file read.
	maxSourceBytes = 1 << 20
	// maxLockBytes bounds one lock file read (uv.lock files of big
	// projects reach a few MiB).
	maxLockBytes = 16 << 20
)

// entryLimit is MaxEntries, lowered by tests that check the bound.
var entryLimit = MaxEntries

// skipDirs are directory names the walk never enters: dependency trees,
// VCS data, caches and build output, none of which hold the app's own
// Django project, and some of which (node_modules, .venv) hold most of the
// files of a checkout.
var skipDirs = map[string]bool{
	"node_modules": true, "bower_components": true, "jspm_packages": true,
	".git": true, ".hg": true, ".svn": true,
	".venv": true, "venv": true, "env": true, "virtualenv": true, ".virtualenv": true,
	"__pycache__": true, "site-packages": true, "dist-packages": true,
	".tox": true, ".nox": true, ".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true,
	"vendor": true, "vendored": true, "_vendor": true, "third_party": true,
	"dist": true, "build": true, "htmlcov": true, "coverage": true,
	"static": true, "staticfiles": true, "media": true, "assets": true,
	"templates": true, "locale": true, "migrations": true, "fixtures": true,
	"docs": true,
}

// skipDir reports whether the walk leaves the directory name alone: a known
// non-project folder or any hidden one (.github, .idea, .cache...).
func skipDir(name string) bool {
	return skipDirs[name] || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".egg-info")
}

// entry is one file or directory the walk saw.
type entry struct {
	rel     string // slash-separated, relative to the root
	depth   int    // number of directories above it below the root
	dir     bool
	symlink bool
}

// tree is a read-only view of the source tree: a lazily extended,
// breadth-first, bounded listing and reads that never leave the root.
type tree struct {
	root     string // as given
	realRoot string // symlinks resolved
	onRead   func(rel string)
	excluded func(rel string, dir bool) bool // the build leaves it out (.dockerignore)
	stats    *Stats

	byName   map[string][]entry       // base name -> entries, in walk order
	dirs     map[string][]os.DirEntry // listings already read
	frontier []string                 // directories of the next level to list
	listed   int                      // levels listed so far (0: none)
	full     bool                     // MaxEntries reached
	warn     func(format string, args ...any)
}

// newTree checks that root is a readable directory and lists it.
func newTree(root string, onRead func(string), excluded func(string, bool) bool, stats *Stats, warn func(string, ...any)) (*tree, error) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("project: source tree %s: %w", root, err)
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("project: source tree %s: %w", root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("project: source tree %s: not a directory", root)
	}
	t := &tree{root: root, realRoot: real, onRead: onRead, excluded: excluded, stats: stats, warn: warn,
		byName: map[string][]entry{}, dirs: map[string][]os.DirEntry{}, frontier: []string{""}}
	if err := t.listLevel(); err != nil {
		return nil, fmt.Errorf("project: source tree %s: %w", root, err)
	}
	return t, nil
}

// ensureDepth lists directories until every level up to depth is known.
func (t *tree) ensureDepth(depth int) {
	if depth > MaxDepth {
		depth = MaxDepth
	}
	for t.listed <= depth && len(t.frontier) > 0 && !t.full {
		_ = t.listLevel() // below the root, unreadable folders are warned about and skipped
	}
}

// listLevel lists every directory of the frontier and makes their
// subdirectories the next frontier. Only the root's failure is returned.
func (t *tree) listLevel() error {
	level := t.listed
	dirs := t.frontier
	t.frontier = nil
	t.listed++
	for _, d := range dirs {
		// The walk only enters real directories it listed itself, so their
		// paths need no symlink check.
		ents, err := t.listDir(d, t.abs(d))
		if err != nil {
			if d == "" {
				return err
			}
			t.warn("cannot list %s: %v", d, err)
			continue
		}
		// A virtualenv with an unusual name (myenv/, .python/) is
		// recognised by its pyvenv.cfg and not looked into.
		if d != "" && hasEntry(ents, "pyvenv.cfg") {
			continue
		}
		for _, e := range ents {
			if t.stats.Entries >= entryLimit {
				if !t.full {
					t.full = true
					t.warn("source tree has more than %d entries within %d levels; detection looked at the first %d only", entryLimit, MaxDepth, entryLimit)
				}
				return nil
			}
			t.stats.Entries++
			name := e.Name()
			rel := name
			if d != "" {
				rel = d + "/" + name
			}
			typ := e.Type()
			if typ&^(fs.ModeDir|fs.ModeSymlink) != 0 {
				continue // FIFOs, sockets, devices: never project files
			}
			en := entry{rel: rel, depth: level, dir: typ.IsDir(), symlink: typ&fs.ModeSymlink != 0}
			if en.dir {
				if skipDir(name) {
					t.stats.Skipped++
					continue
				}
				if level+1 <= MaxDepth {
					t.frontier = append(t.frontier, rel)
				}
			}
			t.byName[name] = append(t.byName[name], en)
		}
	}
	return nil
}

func hasEntry(ents []os.DirEntry, name string) bool {
	i := sort.Search(len(ents), func(i int) bool { return ents[i].Name() >= name })
	return i < len(ents) && ents[i].Name() == name
}

// readDir lists one directory once (sorted by name, so every choice made
// from the listing is deterministic). Directories reached through a symlink
// that leaves the root are refused.
func (t *tree) readDir(rel string) ([]os.DirEntry, error) {
	if ents, ok := t.dirs[rel]; ok {
		return ents, nil
	}
	real, err := t.resolve(rel)
	if err != nil {
		return nil, err
	}
	return t.listDir(rel, real)
}

// listDir reads the directory real (the resolved path of rel) and caches it.
func (t *tree) listDir(rel, real string) ([]os.DirEntry, error) {
	if ents, ok := t.dirs[rel]; ok {
		return ents, nil
	}
	t.stats.DirsRead++
	if t.onRead != nil {
		t.onRead(rel + "/")
	}
	ents, err := os.ReadDir(real)
	if err != nil {
		return nil, err
	}
	if t.excluded != nil {
		kept := ents[:0]
		for _, e := range ents {
			if !t.excluded(joinRel(rel, e.Name()), e.IsDir()) {
				kept = append(kept, e)
			}
		}
		ents = kept
	}
	t.dirs[rel] = ents
	return ents, nil
}

// files returns the names of the regular files (or links to them) directly
// in the directory rel, nil when it cannot be listed.
func (t *tree) files(rel string) []string {
	ents, err := t.readDir(rel)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0 && t.isFile(joinRel(rel, e.Name())) {
			out = append(out, e.Name())
		}
	}
	return out
}

// named returns the entries seen so far with the given base name, shallowest
// first, then by path.
func (t *tree) named(name string) []entry {
	return t.byName[name]
}

func (t *tree) abs(rel string) string {
	if rel == "" {
		return t.realRoot
	}
	return filepath.Join(t.realRoot, filepath.FromSlash(rel))
}

// errOutside is returned for a path or symlink that leads out of the root.
var errOutside = errors.New("leads outside the source tree")

// resolve returns the absolute, symlink-free path of rel after checking that
// neither rel nor any link on the way leaves the root.
func (t *tree) resolve(rel string) (string, error) {
	if !fs.ValidPath(rel) {
		return "", errOutside
	}
	if t.excluded != nil && rel != "" && rel != "." && t.excluded(rel, false) {
		return "", fmt.Errorf("%s is left out of the build by .dockerignore: %w", rel, fs.ErrNotExist)
	}
	real, err := filepath.EvalSymlinks(t.abs(rel))
	if err != nil {
		return "", err
	}
	if real != t.realRoot && !strings.HasPrefix(real, t.realRoot+string(filepath.Separator)) {
		return "", errOutside
	}
	return real, nil
}

// realRel returns rel with symlinks resolved, relative to the root.
func (t *tree) realRel(rel string) (string, error) {
	real, err := t.resolve(rel)
	if err != nil {
		return "", err
	}
	r, err := filepath.Rel(t.realRoot, real)
	if err != nil {
		return "", err
	}
	if r == "." {
		return "", nil
	}
	return filepath.ToSlash(r), nil
}

// isFile reports whether rel is a regular file inside the root (following
// links that stay inside).
func (t *tree) isFile(rel string) bool {
	real, err := t.resolve(rel)
	if err != nil {
		return false
	}
	st, err := os.Stat(real)
	return err == nil && st.Mode().IsRegular()
}

// isDir reports whether rel is a directory inside the root.
func (t *tree) isDir(rel string) bool {
	real, err := t.resolve(rel)
	if err != nil {
		return false
	}
	st, err := os.Stat(real)
	return err == nil && st.IsDir()
}

// read returns the content of the regular file rel, at most limit bytes
// (more is an error: such a file is not a settings module or manifest).
func (t *tree) read(rel string, limit int64) ([]byte, error) {
	real, err := t.resolve(rel)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	// safefile opens without blocking and refuses a FIFO or device.
	b, err := safefile.Read(real, limit)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	t.stats.FilesRead++
	if t.onRead != nil {
		t.onRead(rel)
	}
	return b, nil
}

// joinRel joins slash-separated relative paths, "" meaning the root.
func joinRel(elem ...string) string {
	p := path.Join(elem...)
	if p == "." {
		return ""
	}
	return p
}

// dirOf returns the directory of a relative path, "" for the root.
func dirOf(rel string) string {
	d := path.Dir(rel)
	if d == "." {
		return ""
	}
	return d
}
