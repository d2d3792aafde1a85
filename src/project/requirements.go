package project

import (
	"path"
	"regexp"
	"strings"
	"sync"
)

// Requirement is one parsed dependency declaration.
type Requirement struct {
	// Name is the PEP 503 normalised distribution name.
	Name string
	// Spec is the version specifier as written ("==5.0.1", ">=4,<5",
	// "^2.4" for Poetry), "" when there is none or for a URL requirement.
	Spec string
}

// reqInclude is a -r / -c line of a requirements file.
type reqInclude struct {
	file       string // as written, relative to the including file's folder
	constraint bool   // -c: pins versions, declares nothing
}

var nonNameRun = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[-_.]+`) })

// NormalizeName returns the PEP 503 normalised form of a distribution name
// ("Django_Celery.Beat" -> "django-celery-beat"), so that names from
// different files compare equal and never by substring.
func NormalizeName(name string) string {
	return strings.ToLower(nonNameRun().ReplaceAllString(strings.TrimSpace(name), "-"))
}

// commentRE is pip's own comment rule: a # at the start of a line or after
// whitespace starts a comment (so URL fragments such as #egg= survive).
var commentRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|\s+)#.*$`) })

// parseRequirements parses a pip requirements file: comments, line
// continuations, options (-r/-c includes are returned, index and hash options
// are dropped), PEP 508 lines with extras and markers, name @ URL,
// editable / VCS / archive URLs with #egg=name. Lines it cannot read are
// returned as bad (for a warning), never guessed from.
func parseRequirements(src []byte) (reqs []Requirement, incs []reqInclude, bad []string) {
	for _, line := range logicalLines(string(src)) {
		line = strings.TrimSpace(commentRE().ReplaceAllString(line, ""))
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "-") {
			opt, arg := splitOption(line)
			switch opt {
			case "-r", "--requirement":
				if arg != "" {
					incs = append(incs, reqInclude{file: arg})
				}
			case "-c", "--constraint":
				if arg != "" {
					incs = append(incs, reqInclude{file: arg, constraint: true})
				}
			case "-e", "--editable":
				if r, ok := parseURLRequirement(arg); ok {
					reqs = append(reqs, r)
				}
				// a local editable path (-e .) is the app itself: nothing to record
			}
			// other options (-i, --hash, --pre, -f ...) declare nothing
			continue
		}
		if r, ok := parseRequirementLine(line); ok {
			reqs = append(reqs, r)
		} else if r, ok := parseURLRequirement(line); ok {
			reqs = append(reqs, r)
		} else if !isLocalPath(line) {
			bad = append(bad, line)
		}
	}
	return reqs, incs, bad
}

// logicalLines joins backslash-continued lines.
func logicalLines(s string) []string {
	raw := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	var cur strings.Builder
	for _, l := range raw {
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\"))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(l)
		out = append(out, cur.String())
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// splitOption splits "-r file", "-rfile", "--requirement=file" and
// "--requirement file" into option and argument.
func splitOption(line string) (string, string) {
	if strings.HasPrefix(line, "--") {
		if i := strings.IndexAny(line, "= \t"); i >= 0 {
			return line[:i], firstField(line[i+1:])
		}
		return line, ""
	}
	if len(line) > 2 {
		return line[:2], firstField(line[2:])
	}
	return line, ""
}

func firstField(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// pep508RE matches a PEP 508 requirement: name, optional [extras], then
// either "@ url" or a version specifier (optionally in parentheses), then an
// optional "; marker". Trailing per-requirement options (--hash=...) are
// stripped before matching.
var pep508RE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(@\s*\S+|\(?\s*(?:(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)*\)?)?\s*(;.*)?$`)
})

// parseRequirementLine parses one PEP 508 line ("celery[redis]>=5.3 ;
// python_version >= '3.8' --hash=sha256:...").
func parseRequirementLine(line string) (Requirement, bool) {
	if i := strings.Index(line, " --"); i >= 0 {
		line = strings.TrimSpace(line[:i])
	}
	m := pep508RE().FindStringSubmatch(line)
	if m == nil {
		return Requirement{}, false
	}
	spec := strings.TrimSpace(m[3])
	if strings.HasPrefix(spec, "@") {
		spec = ""
	}
	spec = strings.TrimSuffix(strings.TrimPrefix(spec, "("), ")")
	spec = strings.Join(strings.Fields(spec), "")
	spec = strings.TrimSuffix(spec, ",")
	return Requirement{Name: NormalizeName(m[1]), Spec: spec}, true
}

var (
	eggRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)`) })
	wheelRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9._]*)-([0-9][^-]*)-[^-]+-[^-]+-[^-]+\.whl$`)
	})
	sdistRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9._-]*?)-([0-9][A-Za-z0-9.+!]*)\.(?:tar\.gz|tar\.bz2|zip|tgz)$`)
	})
)

// parseURLRequirement reads a name from a URL or archive requirement:
// "git+https://...#egg=name", ".../name-1.0-py3-none-any.whl",
// ".../name-1.0.tar.gz". A wheel or archive gives its pinned version.
func parseURLRequirement(s string) (Requirement, bool) {
	if m := eggRE().FindStringSubmatch(s); m != nil {
		name := m[1]
		if i := strings.Index(name, "-"); i > 0 && i+1 < len(name) && name[i+1] >= '0' && name[i+1] <= '9' {
			name = name[:i] // egg=name-1.0
		}
		return Requirement{Name: NormalizeName(name)}, true
	}
	base := s
	if i := strings.IndexAny(base, "#?"); i >= 0 {
		base = base[:i]
	}
	base = path.Base(base)
	if m := wheelRE().FindStringSubmatch(base); m != nil {
		return Requirement{Name: NormalizeName(m[1]), Spec: "==" + m[2]}, true
	}
	if m := sdistRE().FindStringSubmatch(base); m != nil {
		return Requirement{Name: NormalizeName(m[1]), Spec: "==" + m[2]}, true
	}
	return Requirement{}, false
}

// isLocalPath reports whether a requirement line is a local path or a URL
// without a recognisable name (the app itself, a vendored package).
func isLocalPath(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.Contains(s, "://") || strings.HasPrefix(s, "file:")
}

// parseSpec parses a PEP 508 string from a pyproject.toml list (PEP 621,
// PEP 735, uv): the same grammar as a requirements line.
func parseSpec(s string) (Requirement, bool) {
	return parseRequirementLine(strings.TrimSpace(s))
}
