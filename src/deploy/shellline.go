package deploy

import (
	"fmt"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"mvdan.cc/sh/v3/syntax"
)

// shellNeed is why a Procfile command needs a shell, and the exec-form
// line that does the same on a Dockerfile image.
type shellNeed struct {
	why string
	fix string
}

// needsShell reads a Procfile command as bash would and says what in it
// only a shell does. A Dockerfile image's lines run without one:
// scheduler-docker-local appends procfile-util's words to `docker
// container create … $IMAGE` (bin/scheduler-deploy-process-container,
// fn-scheduler-docker-local-extract-start-cmd), so `&&`, `;`, pipes,
// redirections, `cd`, `VAR=x cmd` and `$(…)` reach the program as words,
// and a `$VAR` that is not in the app's config (inConfig) expands to
// nothing. The fix runs the same line through `sh -c`, or `env` for
// assignments, as procfile-util splits it.
func needsShell(cmd string, inConfig func(string) bool) (shellNeed, bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(cmd), "")
	if err != nil || len(f.Stmts) == 0 {
		return shellNeed{}, false
	}
	var whys []string
	add := func(w string) {
		for _, x := range whys {
			if x == w {
				return
			}
		}
		whys = append(whys, w)
	}
	if len(f.Stmts) > 1 {
		add("`;` (two commands)")
	}
	assignsOnly := len(f.Stmts) == 1
	var vars []string // variables only the app's config can give
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			if len(n.Redirs) > 0 {
				add("a redirection (`" + n.Redirs[0].Op.String() + "`)")
			}
			if n.Background {
				add("`&`")
			}
		case *syntax.BinaryCmd:
			add("`" + n.Op.String() + "`")
			assignsOnly = false
		case *syntax.CallExpr:
			if len(n.Assigns) > 0 {
				add("`" + n.Assigns[0].Name.Value + "=…` before the command")
			}
			if len(n.Args) > 0 {
				if w := n.Args[0].Lit(); w == "cd" || w == "source" || w == "." || w == "export" {
					add("`" + w + "`")
					assignsOnly = false
				}
			}
		case *syntax.CmdSubst:
			add("`$(…)`")
			assignsOnly = false
		case *syntax.ParamExp:
			name := ""
			if n.Param != nil {
				name = n.Param.Value
			}
			switch {
			case n.Exp != nil || n.Repl != nil || n.Slice != nil || n.Length || n.Excl || n.Index != nil:
				// procfile-util looks up the whole "X:-d" as a name, so no
				// shell wrapper helps: the value must be in the config.
				add("`${" + name + "…}`, which Dokku expands to nothing (procfile-util has no defaults)")
				vars = append(vars, name)
				assignsOnly = false
			case name != "PORT" && name != "PS" && !inConfig(name):
				add(fmt.Sprintf("`$%s`, which is not in the app's config, so Dokku expands it to nothing (the image's ENV is not used there)", name))
				vars = append(vars, name)
				assignsOnly = false
			}
		case *syntax.IfClause, *syntax.WhileClause, *syntax.ForClause, *syntax.Subshell, *syntax.Block, *syntax.CaseClause, *syntax.FuncDecl:
			add("shell syntax")
			assignsOnly = false
		}
		return true
	})
	if len(whys) == 0 {
		return shellNeed{}, false
	}
	need := shellNeed{why: strings.Join(whys, ", ")}
	switch {
	case len(vars) > 0 && shellOnlyVars(whys):
		need.fix = fmt.Sprintf("dokku config:set <app> %s=…", vars[0])
		if strings.Contains(need.why, "${") {
			need.fix += fmt.Sprintf(", and write $%s", vars[0])
		}
	case assignsOnly && len(whys) == 1 && strings.HasSuffix(whys[0], "before the command"):
		need.fix = "env " + strings.TrimSpace(cmd)
	default:
		need.fix = shWrap(cmd)
	}
	return need, true
}

// shWrap is `sh -c '<cmd>'`, with the last command of an `&&` chain
// exec'd so that it receives Dokku's stop signal; "" when the command holds
// both kinds of quote (no xargs quoting carries it).
func shWrap(cmd string) string {
	script := strings.TrimSpace(cmd)
	if i := strings.LastIndex(script, "&& "); i >= 0 && !strings.ContainsAny(script, "|;") {
		rest := strings.TrimSpace(script[i+3:])
		if !strings.HasPrefix(rest, "exec ") {
			script = script[:i+3] + "exec " + rest
		}
	}
	switch {
	case !strings.Contains(script, "'"):
		return "sh -c '" + script + "'"
	case !strings.Contains(script, `"`):
		return `sh -c "` + script + `"`
	}
	return ""
}

// shellLineWarnings warns for each of the user's kept lines that needs a
// shell when Dokku builds the Dockerfile: the line, why, and the exec-form
// line to write instead. The release line is exempt unless releaseSplit:
// app-json runs it through the app's shell, except in an image with an
// ENTRYPOINT other than tini, where it splits the line into words
// (plugins/app-json/functions.go constructScript).
func shellLineWarnings(b *Build, pl *plan.Plan, inConfig func(string) bool, releaseSplit bool) []string {
	if b == nil || b.Builder != "dockerfile" || pl == nil {
		return nil
	}
	var out []string
	for _, p := range pl.Processes {
		if p.Managed || (p.Name == "release" && !releaseSplit) {
			continue
		}
		need, ok := needsShell(p.Command, inConfig)
		if !ok {
			continue
		}
		w := fmt.Sprintf("Procfile line %q uses %s; Dokku runs a Dockerfile image's Procfile lines without a shell, so the program gets these as plain words", p.Name+": "+p.Command, need.why)
		if p.Name == "release" {
			w = fmt.Sprintf("Procfile line %q uses %s; the image has an ENTRYPOINT, so Dokku splits the release line into words and passes them to it instead of running the app's shell, and the program gets these as plain words", p.Name+": "+p.Command, need.why)
		}
		if need.fix != "" {
			if strings.HasPrefix(need.fix, "dokku config:set") {
				w += "; set it in the config: " + need.fix
			} else {
				w += "; write it in exec form: " + p.Name + ": " + need.fix
			}
		}
		out = append(out, w)
	}
	return out
}

// shellOnlyVars says every reason is a variable Dokku cannot expand, which
// only the app's config fixes.
func shellOnlyVars(whys []string) bool {
	for _, w := range whys {
		if !strings.HasPrefix(w, "`$") {
			return false
		}
	}
	return true
}

// releaseWithoutShell says app-json will split the release line into words
// rather than run it through the app's shell: the image's final stage has
// an ENTRYPOINT that is not one of the tini forms app-json lets through
// (plugins/app-json/functions.go constructScript, nonSkippableEntrypoints).
func (im *Image) releaseWithoutShell() bool {
	if im == nil || im.Facts == nil || len(im.Facts.Entrypoint) == 0 {
		return false
	}
	ep := im.Facts.Entrypoint
	if !im.Facts.EntrypointShell && len(ep) == 2 && ep[1] == "--" {
		switch ep[0] {
		case "/tini", "/bin/tini", "/usr/bin/tini", "/usr/local/bin/tini":
			return false
		}
	}
	return true
}
