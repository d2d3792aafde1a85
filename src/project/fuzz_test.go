package project

import (
	"github.com/dokku-prodserver/dokku-prodserver/src/internal/fuzzseed"
	"path"
	"strings"
	"testing"
	"time"
)

// seed adds a seed input (and writes it to the corpus on request).
func seed(f *testing.F, args ...any) {
	f.Helper()
	fuzzseed.Add(f, args...)
}

// timeBudget bounds one parse of a fuzzer-sized input (the fuzzer keeps
// inputs small); a parser slower than this is super-linear somewhere.
const timeBudget = 2 * time.Second

// bounded runs parse and fails when it takes longer than timeBudget.
func bounded(t *testing.T, what string, parse func()) {
	t.Helper()
	start := time.Now()
	parse()
	if took := time.Since(start); took > timeBudget {
		t.Fatalf("%s took %v", what, took)
	}
}

// checkRequirement: a parsed declaration has a PEP 503 normalised name
// and a specifier without spaces.
func checkRequirement(t *testing.T, where string, r Requirement) {
	t.Helper()
	if r.Name != NormalizeName(r.Name) {
		t.Fatalf("%s: name %q is not normalised", where, r.Name)
	}
	if strings.ContainsAny(r.Spec, " \t\n") {
		t.Fatalf("%s: %s spec %q holds whitespace", where, r.Name, r.Spec)
	}
}

// FuzzRequirements checks that a requirements file never panics the
// parser, that every requirement it returns is normalised and every bad
// line is a non-empty line of the input, and that no include it returns
// resolves outside the source tree.
func FuzzRequirements(f *testing.F) {
	for _, s := range []string{
		"Django==4.2.7\ngunicorn>=21,<22 ; python_version >= '3.8' --hash=sha256:abc\n",
		"-r base.txt\n-c constraints.txt\n--requirement=../x.txt\n-r/etc/passwd\n-e git+https://x/y.git#egg=proj-1.0\n-e .\n",
		"celery[redis,sqs] (>=5.3)\n# comment\nfoo \\\n  ==1.0\r\nhttps://x/pkg-1.0-py3-none-any.whl\n./vendor/x.tar.gz\n",
		"name @ https://example.com/name.zip\n-i https://pypi.org/simple\n--pre\n!!bad!!\n",
		"a==1\\",
		"-r \\\\server\\share\\x.txt\n-r C:\\x.txt\n-r https://x/r.txt\n-r ./././a/../../b.txt\n",
	} {
		seed(f, []byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var reqs []Requirement
		var incs []reqInclude
		var bad []string
		bounded(t, "parseRequirements", func() { reqs, incs, bad = parseRequirements(src) })
		for _, r := range reqs {
			if r.Name == "" {
				t.Fatalf("requirement without a name: %+v", r)
			}
			checkRequirement(t, "requirements", r)
		}
		for _, l := range bad {
			if strings.TrimSpace(l) == "" {
				t.Fatalf("empty bad line")
			}
		}
		for _, inc := range incs {
			if inc.file == "" {
				t.Fatalf("empty include")
			}
			for _, from := range []string{"requirements.txt", "requirements/base.txt", "src/requirements/prod.txt"} {
				p, ok := includePath(from, inc.file)
				if !ok {
					continue
				}
				if p == "" || p == "." || p == ".." || strings.HasPrefix(p, "../") || path.IsAbs(p) || path.Clean(p) != p {
					t.Fatalf("include %q from %s resolves to %q, outside the tree", inc.file, from, p)
				}
			}
		}
	})
}

// FuzzPyproject checks that pyproject.toml never panics the parser or
// takes unbounded time, and that what it returns is normalised.
func FuzzPyproject(f *testing.F) {
	for _, s := range []string{
		"[project]\nname = \"shop\"\ndependencies = [\"Django>=5.0,<5.1\", \"celery[redis]==5.3.6\", \"channels ; python_version>'3.9'\"]\n[project.optional-dependencies]\nprod = [\"gunicorn\"]\ntest = [\"pytest-django\"]\n[dependency-groups]\ndev = [\"ruff\", {include-group = \"typing\"}]\ntyping = [\"mypy\"]\n",
		"[tool.poetry.dependencies]\npython = \"^3.11\"\nDjango = \"^4.2\"\ndjango-prodserver = {version = \"^2.4\", extras = [\"gunicorn\"]}\nmulti = [{version = \"^1.0\", python = \"<3.12\"}, {version = \"^2.0\"}]\n[tool.poetry.group.dev.dependencies]\npytest = \"^8\"\n[tool.poetry.dev-dependencies]\nblack = \"*\"\n",
		"[tool.uv]\ndev-dependencies = [\"pytest\"]\n[project]\ndependencies = [\"\", \"!!\", \"x @ https://y\"]\n",
		"a = {b = {c = {d = 1}}}\n\"quoted.key\" = '''\nmulti\n'''\n",
		"[project]\ndependencies = 5\n",
		"[[project]]\n",
		"a.b.c.d = 1\n[x.\"y.z\"]\n",
		// Before the nesting bound these cost the decoder gigabytes at 30 KB.
		"a=" + strings.Repeat("{b=", 100),
		"a" + strings.Repeat(".a", 100) + "=1\n",
		"a = [\"\"\"x\"\"\"\", " + strings.Repeat("{b=", 70) + "]\n",
	} {
		seed(f, []byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var d declared
		var bad []string
		var err error
		bounded(t, "parsePyproject", func() { d, bad, err = parsePyproject(src) })
		if err != nil {
			if len(d.runtime)+len(d.dev)+len(bad) > 0 {
				t.Fatalf("declarations with an error: %v", err)
			}
			return
		}
		for _, r := range append(d.runtime, d.dev...) {
			checkRequirement(t, "pyproject", r)
		}
	})
}

// FuzzPipfile checks that a Pipfile never panics the parser or takes
// unbounded time, and that what it returns is normalised.
func FuzzPipfile(f *testing.F) {
	for _, s := range []string{
		"[[source]]\nurl = \"https://pypi.org/simple\"\n[packages]\ndjango = \"==5.0\"\ngunicorn = \"*\"\ncelery = {extras = [\"redis\"], version = \">=5\"}\n[dev-packages]\npytest = \"*\"\n",
		"[packages]\n\"\" = \"1\"\nx = 5\ny = [1, 2]\n",
		"[packages]\n",
		"packages = 1\n",
	} {
		seed(f, []byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var d declared
		var err error
		bounded(t, "parsePipfile", func() { d, err = parsePipfile(src) })
		if err != nil {
			return
		}
		for _, r := range append(d.runtime, d.dev...) {
			checkRequirement(t, "Pipfile", r)
		}
	})
}

// FuzzLockFiles checks poetry.lock, uv.lock and Pipfile.lock parsing: no
// panic, bounded time, normalised names.
func FuzzLockFiles(f *testing.F) {
	for _, s := range []string{
		"[[package]]\nname = \"Django\"\nversion = \"5.0.1\"\ncategory = \"main\"\n[[package]]\nname = \"pytest\"\nversion = \"8\"\ngroups = [\"dev\"]\n[metadata]\nlock-version = \"2.0\"\n",
		"version = 1\n[[package]]\nname = \"shop\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n[[package]]\nname = \"django_q2\"\nversion = \"1.6\"\n",
		`{"_meta": {"hash": {}}, "default": {"django": {"version": "==5.0.1", "hashes": []}, "Django_Q2": {"version": "==1.6.1"}}, "develop": {"pytest": {"version": "==8.0.0"}}}`,
		`{"default": [1, 2], "x": "\u0000"}`,
		`{"default": {"a": 1, "b": {"version": 3}}}`,
		"[[package]]\nname = 1\n",
	} {
		seed(f, []byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for name, parse := range map[string]func([]byte) (map[string]string, error){
			"poetry.lock": lockInstalled(parsePoetryLock), "uv.lock": lockInstalled(parseUVLock), "Pipfile.lock": parsePipfileLock,
		} {
			var m map[string]string
			var err error
			bounded(t, name, func() { m, err = parse(src) })
			if err != nil {
				if m != nil {
					t.Fatalf("%s: versions with an error: %v", name, err)
				}
				continue
			}
			for pkg := range m {
				if pkg != NormalizeName(pkg) {
					t.Fatalf("%s: name %q is not normalised", name, pkg)
				}
			}
		}
	})
}

// lockInstalled adapts a lock graph parser to name -> version of what a
// production install with no declared main dependencies gets.
func lockInstalled(parse func([]byte) (*lockGraph, error)) func([]byte) (map[string]string, error) {
	return func(b []byte) (map[string]string, error) {
		g, err := parse(b)
		if err != nil {
			return nil, err
		}
		return g.installed(nil), nil
	}
}
