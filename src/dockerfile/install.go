package dockerfile

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// installs reads the Python install commands of one RUN line: the shell
// script is parsed with mvdan.cc/sh, so `a && b`, `;`, pipes and
// continuations split as /bin/sh splits them. Requirement paths are
// resolved against the stage's WORKDIR; words that are not plain literals
// ($VAR, $(cmd)) are expanded through expand (ARG and ENV) when literal
// after that, else skipped.
func installs(script, workdir string, expand func(string) string) []Install {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	if err != nil {
		return nil
	}
	var out []Install
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		var argv []string
		for _, w := range call.Args {
			argv = append(argv, expand(wordText(w)))
		}
		if in, ok := readInstall(argv, workdir); ok {
			in.Text = strings.Join(argv, " ")
			out = append(out, in)
		}
		return true
	})
	return out
}

// wordText is a word's text with quotes removed; parameter expansions keep
// their $NAME form for expand to resolve.
func wordText(w *syntax.Word) string {
	var b strings.Builder
	var part func(p syntax.WordPart)
	part = func(p syntax.WordPart) {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				part(q)
			}
		case *syntax.ParamExp:
			if p.Param != nil && p.Exp == nil && p.Repl == nil && p.Slice == nil && p.Index == nil && !p.Length && !p.Excl {
				b.WriteString("${" + p.Param.Value + "}")
				return
			}
			b.WriteString("\x00")
		default:
			b.WriteString("\x00") // not knowable here
		}
	}
	for _, p := range w.Parts {
		part(p)
	}
	return b.String()
}

// readInstall recognises pip / uv / poetry / pipenv install commands.
func readInstall(argv []string, workdir string) (Install, bool) {
	// Drop a leading python -m, sudo, env assignments and paths.
	for len(argv) > 0 {
		base := path.Base(argv[0])
		switch {
		case base == "sudo" || base == "env" || strings.Contains(argv[0], "=") && !strings.HasPrefix(argv[0], "-"):
			argv = argv[1:]
			continue
		case strings.HasPrefix(base, "python") && len(argv) > 2 && argv[1] == "-m":
			argv = argv[2:]
			continue
		}
		break
	}
	if len(argv) < 2 {
		return Install{}, false
	}
	tool := path.Base(argv[0])
	switch {
	case strings.HasPrefix(tool, "pip") && tool != "pipenv" && tool != "pipx" && (argv[1] == "install" || argv[1] == "wheel" || argv[1] == "download"):
		return pipInstall("pip", argv[2:], workdir), true
	case tool == "pip-sync":
		in := Install{Tool: "pip"}
		for _, a := range argv[1:] {
			if !strings.HasPrefix(a, "-") && isLiteral(a) {
				in.Requirements = append(in.Requirements, absIn(workdir, a))
			}
		}
		return in, true
	case tool == "uv" && argv[1] == "pip" && len(argv) > 2 && (argv[2] == "install" || argv[2] == "sync"):
		if argv[2] == "sync" {
			return pipInstall("uv-pip", append([]string{"-r"}, argv[3:]...), workdir), true
		}
		return pipInstall("uv-pip", argv[3:], workdir), true
	case tool == "uv" && argv[1] == "sync":
		return groupInstall("uv", argv[2:]), true
	case tool == "poetry" && (argv[1] == "install" || argv[1] == "sync"):
		return groupInstall("poetry", argv[2:]), true
	case tool == "pipenv" && (argv[1] == "install" || argv[1] == "sync"):
		in := Install{Tool: "pipenv"}
		for _, a := range argv[2:] {
			if a == "--dev" || a == "-d" {
				in.Dev = true
			}
		}
		return in, true
	}
	return Install{}, false
}

// pipInstall reads pip's -r / --requirement files.
func pipInstall(tool string, args []string, workdir string) Install {
	in := Install{Tool: tool}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var file string
		switch {
		case pipValueFlags[a]:
			i++
			continue
		case !strings.HasPrefix(a, "-") && isLiteral(a) && isPackageArg(a):
			in.Packages = append(in.Packages, a)
			continue
		case a == "-r" || a == "--requirement" || a == "--requirements":
			if i+1 < len(args) {
				file = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--requirement="):
			file = strings.TrimPrefix(a, "--requirement=")
		case strings.HasPrefix(a, "-r") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			file = a[2:]
		}
		if file != "" && isLiteral(file) {
			in.Requirements = append(in.Requirements, absIn(workdir, file))
		}
		// `pip install .[prod]`: the project itself, with extras.
		if p, extras, ok := strings.Cut(a, "["); ok && (p == "." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "/")) {
			for _, e := range strings.Split(strings.TrimSuffix(extras, "]"), ",") {
				if e = strings.TrimSpace(e); e != "" && isLiteral(e) {
					in.Extras = append(in.Extras, e)
				}
			}
		}
	}
	return in
}

// groupInstall reads uv sync's and poetry install's group and extra flags.
func groupInstall(tool string, args []string) Install {
	in := Install{Tool: tool, Dev: tool == "uv"}
	value := func(i *int, a, long string) (string, bool) {
		if v, ok := strings.CutPrefix(a, long+"="); ok {
			return v, true
		}
		if a == long && *i+1 < len(args) {
			*i++
			return args[*i], true
		}
		return "", false
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--no-dev" {
			in.Dev = false
			continue
		}
		if a == "--all-extras" {
			in.AllExtras = true
			continue
		}
		if a == "--all-groups" {
			in.AllGroups = true
			continue
		}
		for _, long := range []string{"--group", "--with", "--only", "--only-group"} {
			if v, ok := value(&i, a, long); ok {
				for _, g := range strings.Split(v, ",") {
					if g = strings.TrimSpace(g); g != "" && isLiteral(g) {
						in.Groups = append(in.Groups, g)
					}
				}
			}
		}
		for _, long := range []string{"--extra", "--extras", "-E"} {
			if v, ok := value(&i, a, long); ok {
				for _, e := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
					if isLiteral(e) {
						in.Extras = append(in.Extras, e)
					}
				}
			}
		}
		if tool == "uv" && (a == "--only-group" || strings.HasPrefix(a, "--only-group=")) {
			in.Dev = false
		}
	}
	return in
}

// isLiteral says a word held no expansion that could not be resolved.
func isLiteral(w string) bool {
	return !strings.ContainsAny(w, "\x00$")
}

// pipValueFlags are pip install's options that take the next word as
// their value (other than -r, read above).
var pipValueFlags = map[string]bool{
	"-c": true, "--constraint": true, "-e": true, "--editable": true, "-i": true, "--index-url": true,
	"--extra-index-url": true, "-f": true, "--find-links": true, "-t": true, "--target": true,
	"--prefix": true, "--root": true, "--platform": true, "--python-version": true,
	"--implementation": true, "--abi": true, "--only-binary": true, "--no-binary": true,
	"--progress-bar": true, "--cache-dir": true, "--src": true, "--upgrade-strategy": true,
	"--trusted-host": true, "-w": true, "--wheel-dir": true, "-d": true, "--dest": true,
	"--python": true, "--log": true, "--timeout": true, "--retries": true, "--proxy": true,
}

// isPackageArg says a pip argument names a distribution from an index
// (gunicorn, "uvicorn[standard]>=0.30"), not a path, URL or archive.
func isPackageArg(a string) bool {
	if a == "" || strings.ContainsAny(a, "/\\") || strings.HasPrefix(a, ".") || strings.Contains(a, "://") {
		return false
	}
	for _, ext := range []string{".whl", ".tar.gz", ".zip", ".tgz"} {
		if strings.HasSuffix(a, ext) {
			return false
		}
	}
	c := a[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
