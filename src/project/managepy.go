package project

import (
	"path"
	"sort"
	"strings"
)

// lowRankDirs are sub-folders whose manage.py is rarely the deployed one: a
// reusable app's test or example project.
var lowRankDirs = map[string]bool{
	"test": true, "tests": true, "testing": true, "example": true, "examples": true,
	"demo": true, "sample": true, "sandbox": true, "testproject": true, "test_project": true,
}

// MaxManageDepth is how many folders down manage.py is looked for
// (apps/api/manage.py and backend/src/manage.py are two). Deeper folders
// are listed only when the root and its sub-folders hold none, so the
// common layouts cost no extra listing.
const MaxManageDepth = 3

// manageRank orders manage.py candidates: the root first, then src/, then
// other sub-folders, then deeper folders; test and example projects last at
// each depth.
func manageRank(rel string) int {
	dir := dirOf(rel)
	if dir == "" {
		return 0
	}
	depth := strings.Count(dir, "/") + 1
	low := false
	for _, part := range strings.Split(dir, "/") {
		low = low || lowRankDirs[strings.ToLower(part)]
	}
	switch {
	case low:
		return 3 * depth
	case dir == "src":
		return 1
	default:
		return 3*depth - 1
	}
}

// chooseManagePy picks the manage.py to run among candidate paths (root,
// src/ or up to MaxManageDepth folders down): the best ranked, then the first by path.
// It returns "" for no candidates and a warning when the choice was not
// obvious (several candidates of the same rank).
func chooseManagePy(cands []string) (chosen string, ambiguous bool) {
	if len(cands) == 0 {
		return "", false
	}
	sorted := append([]string(nil), cands...)
	sort.Slice(sorted, func(i, j int) bool {
		ri, rj := manageRank(sorted[i]), manageRank(sorted[j])
		if ri != rj {
			return ri < rj
		}
		return sorted[i] < sorted[j]
	})
	return sorted[0], len(sorted) > 1 && manageRank(sorted[0]) == manageRank(sorted[1])
}

// cleanAppDir validates the operator's app-dir: relative, slash-separated,
// inside the root. "." and "" both mean the root.
func cleanAppDir(dir string) (string, bool) {
	dir = strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(dir), "\\", "/"), "/")
	if dir == "" || dir == "." {
		return "", true
	}
	if path.IsAbs(dir) {
		return "", false
	}
	c := path.Clean(dir)
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", false
	}
	return c, true
}

// findManagePy sets ManagePy and ProjectDir: the operator's app-dir, else
// manage.py at the root, in src/ or in one sub-folder, else up to
// MaxManageDepth folders down. A manage.py symlink
// is followed only when its target stays inside the root, and ProjectDir is
// then the target's folder (Python puts the resolved script's folder on
// sys.path).
func (s *scanner) findManagePy() {
	if s.opt.AppDir != "" {
		dir, ok := cleanAppDir(s.opt.AppDir)
		if !ok {
			s.warn("app-dir %q leads outside the source tree; ignored", s.opt.AppDir)
		} else {
			rel := joinRel(dir, "manage.py")
			s.f.ProjectDir = dir
			if s.t.isFile(rel) {
				s.setManagePy(rel)
			} else {
				s.warn("app-dir %q has no manage.py", s.opt.AppDir)
			}
			return
		}
	}
	var cands []string
	for depth := 1; depth <= MaxManageDepth && len(cands) == 0; depth += MaxManageDepth - 1 {
		s.t.ensureDepth(depth)
		for _, e := range s.t.named("manage.py") {
			if e.depth > depth || e.dir {
				continue
			}
			if e.symlink {
				if !s.t.isFile(e.rel) {
					s.warn("%s is a symlink that leads outside the source tree or to no file; ignored", e.rel)
					continue
				}
			}
			cands = append(cands, e.rel)
		}
	}
	chosen, ambiguous := chooseManagePy(cands)
	if chosen == "" {
		return
	}
	if ambiguous {
		s.warn("several manage.py found (%s); using %s, set app-dir to choose another", strings.Join(cands, ", "), chosen)
	}
	s.setManagePy(chosen)
}

// setManagePy records manage.py and derives ProjectDir and the default
// settings module from it.
func (s *scanner) setManagePy(rel string) {
	s.f.ManagePy = rel
	s.f.ProjectDir = dirOf(rel)
	if real, err := s.t.realRel(rel); err == nil && real != rel {
		s.f.ProjectDir = dirOf(real)
	}
	src, err := s.t.read(rel, maxSourceBytes)
	if err != nil {
		s.warn("%v", err)
		return
	}
	s.manageDefault = settingsModuleDefault(src)
	s.manageConfiguration = envDefault(src, "DJANGO_CONFIGURATION")
}
