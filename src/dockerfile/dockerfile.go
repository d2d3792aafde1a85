// Package dockerfile reads what the final stage of an app's Dockerfile makes
// of the repository: its WORKDIR, where COPY and ADD put the build context,
// the ENV it sets, its ENTRYPOINT and CMD, and the install commands its RUN
// lines give. Dokku runs a Dockerfile image's Procfile lines in that WORKDIR,
// on that layout, with that ENTRYPOINT in front, so prodserver renders from
// the image, not from the checkout. Parsing uses buildkit's own parser
// (frontend/dockerfile/parser), so line continuations, JSON forms, escape
// directives and heredocs read as `docker build` reads them. Everything
// here is pure but Read, which only reads the file through safefile.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// MaxDockerfile is the largest Dockerfile read (README, "Files it reads").
const MaxDockerfile = 1 << 20

// maxStages bounds the stages followed through COPY --from.
const maxStages = 64

// Image is what the Dockerfile's final stage holds, as plain facts.
type Image struct {
	// Stages is the number of FROM lines; Final the final stage's name
	// ("" when unnamed).
	Stages int    `json:"stages"`
	Final  string `json:"final,omitempty"`
	// Workdir is the final stage's WORKDIR, absolute ("/" when none is
	// set): where Dokku runs every Procfile line.
	Workdir string `json:"workdir"`
	// Env is the final stage's ENV (inherited from a parent stage too).
	Env map[string]string `json:"env,omitempty"`
	// Entrypoint and Cmd are the final stage's, as argv; the *Shell flags
	// say they were written in shell form (Docker runs them with /bin/sh -c).
	Entrypoint      []string `json:"entrypoint,omitempty"`
	EntrypointShell bool     `json:"entrypoint_shell,omitempty"`
	Cmd             []string `json:"cmd,omitempty"`
	CmdShell        bool     `json:"cmd_shell,omitempty"`
	// EntrypointLine and CmdLine are the Dockerfile lines they came from.
	EntrypointLine int `json:"entrypoint_line,omitempty"`
	CmdLine        int `json:"cmd_line,omitempty"`
	// Installs are the Python install commands of every stage's RUN lines.
	Installs []Install `json:"installs,omitempty"`

	stages []*stage
	final  *stage
}

// Copy is one COPY or ADD source set and its destination.
type Copy struct {
	// Sources are as written, cleaned ("" is the context root, or the
	// stage's root for From).
	Sources []string
	// Dest is absolute, resolved against the WORKDIR of its line.
	Dest string
	// DestDir says Dest is a folder for a file source (a trailing slash,
	// several sources, or "." / WORKDIR itself).
	DestDir bool
	// From is the stage index a COPY --from names, -1 for the build
	// context, -2 for an image outside the Dockerfile.
	From int
	Line int
}

// Install is one RUN command that installs the app's dependencies.
type Install struct {
	// Tool is pip, uv, uv-pip, poetry or pipenv.
	Tool string `json:"tool"`
	// Requirements are the -r files, as absolute image paths.
	Requirements []string `json:"requirements,omitempty"`
	// Packages are the distributions named on the command line
	// (`pip install gunicorn==23.0`), as written.
	Packages []string `json:"packages,omitempty"`
	// Groups are the dependency groups asked for (uv --group, poetry
	// --with / --only), Extras the extras (--extra, poetry --extras / -E).
	Groups    []string `json:"groups,omitempty"`
	Extras    []string `json:"extras,omitempty"`
	AllExtras bool     `json:"all_extras,omitempty"`
	AllGroups bool     `json:"all_groups,omitempty"`
	// Dev says the dev group is installed (uv sync without --no-dev,
	// pipenv install --dev).
	Dev  bool   `json:"dev,omitempty"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

// stage is one FROM section.
type stage struct {
	name    string
	workdir string
	env     map[string]string
	copies  []Copy
	ep, cmd []string
	epShell bool
	cmShell bool
	epLine  int
	cmLine  int
	// runs are the stage's RUN commands, its parents' first: what the
	// stage's filesystem was made by (FinalRuns).
	runs []string
}

func (s *stage) clone(name string) *stage {
	c := *s
	c.name = name
	c.env = map[string]string{}
	for k, v := range s.env {
		c.env[k] = v
	}
	c.copies = append([]Copy(nil), s.copies...)
	c.runs = append([]string(nil), s.runs...)
	return &c
}

// FinalRuns are the RUN commands whose results the final stage holds: its
// own and those of the stages it is built FROM, in order, but not those of
// a build stage it only copies files from (COPY --from), whose installed
// OS packages are not in the image. Only a parsed Image has them (they are
// not kept in deploy.json).
func (im *Image) FinalRuns() []string {
	if im == nil || im.final == nil {
		return nil
	}
	return im.final.runs
}

// envGetter serves ARG and ENV values to buildkit's word expansion.
type envGetter map[string]string

func (e envGetter) Get(k string) (string, bool) { v, ok := e[k]; return v, ok }
func (e envGetter) Keys() []string {
	out := make([]string, 0, len(e))
	for k := range e {
		out = append(out, k)
	}
	return out
}

// Read parses the Dockerfile at path (at most MaxDockerfile bytes). Its
// errors read after the file's name ("is larger than …", "has no FROM
// line"); a missing file matches fs.ErrNotExist.
func Read(file string) (*Image, error) {
	src, err := safefile.Read(file, MaxDockerfile)
	if err != nil {
		return nil, err
	}
	return Parse(src)
}

// Parse reads a Dockerfile's stages. It fails only when buildkit's parser
// does, or when there is no FROM: `docker build` fails on those too.
func Parse(src []byte) (*Image, error) {
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("cannot be parsed: %w", err)
	}
	lex := shell.NewLex(res.EscapeToken)
	im := &Image{}
	global := map[string]string{} // ARGs before the first FROM
	var cur *stage
	var args map[string]string
	expand := func(w string) string {
		if !safeWord(w) {
			return w
		}
		env := envGetter{}
		for k, v := range args {
			env[k] = v
		}
		if cur != nil {
			for k, v := range cur.env {
				env[k] = v
			}
		}
		if out, _, err := lex.ProcessWord(w, env); err == nil {
			return out
		}
		return w
	}
	for _, n := range res.AST.Children {
		words := nodeWords(n)
		switch strings.ToLower(n.Value) {
		case "arg":
			for _, w := range words {
				k, v, _ := strings.Cut(w, "=")
				if cur == nil {
					global[k] = v
				} else if gv, ok := global[k]; ok && !strings.Contains(w, "=") {
					args[k] = gv
				} else {
					args[k] = expand(v)
				}
			}
		case "from":
			if len(words) == 0 {
				continue
			}
			im.Stages++
			if im.Stages > maxStages {
				return nil, fmt.Errorf("has more than %d stages", maxStages)
			}
			args = map[string]string{}
			base := expandWith(lex, words[0], global)
			name := ""
			if len(words) >= 3 && strings.EqualFold(words[1], "as") {
				name = strings.ToLower(words[2])
			}
			if parent := im.stageNamed(base); parent != nil {
				cur = parent.clone(name)
			} else {
				cur = &stage{name: name, workdir: "/", env: map[string]string{}}
			}
			im.stages = append(im.stages, cur)
		case "workdir":
			if cur != nil && len(words) > 0 {
				cur.workdir = absIn(cur.workdir, expand(words[0]))
			}
		case "env":
			if cur == nil {
				continue
			}
			// buildkit's parser chains ENV as key, value, separator.
			for i := 0; i+1 < len(words); i += 3 {
				cur.env[words[i]] = expand(words[i+1])
			}
		case "copy", "add":
			if cur == nil || len(words) < 2 {
				continue
			}
			c := Copy{From: -1, Line: n.StartLine}
			for _, f := range n.Flags {
				if v, ok := strings.CutPrefix(f, "--from="); ok {
					c.From = im.stageIndex(expand(v))
				}
			}
			if len(n.Heredocs) > 0 {
				continue // inline files, nothing of the repository
			}
			srcs, dest := words[:len(words)-1], expand(words[len(words)-1])
			for _, s := range srcs {
				s = expand(s)
				if strings.EqualFold(n.Value, "add") && (strings.Contains(s, "://") || strings.HasPrefix(s, "git@")) {
					continue
				}
				c.Sources = append(c.Sources, cleanSource(s))
			}
			if len(c.Sources) == 0 {
				continue
			}
			c.DestDir = strings.HasSuffix(dest, "/") || len(c.Sources) > 1 || path.Clean(dest) == "." || absIn(cur.workdir, dest) == cur.workdir
			c.Dest = absIn(cur.workdir, dest)
			cur.copies = append(cur.copies, c)
		case "entrypoint":
			if cur != nil {
				cur.ep, cur.epShell, cur.epLine = words, !n.Attributes["json"], n.StartLine
				// Docker resets CMD when ENTRYPOINT is set in the same stage.
				cur.cmd, cur.cmShell, cur.cmLine = nil, false, 0
			}
		case "cmd":
			if cur != nil {
				cur.cmd, cur.cmShell, cur.cmLine = words, !n.Attributes["json"], n.StartLine
			}
		case "run":
			if cur == nil {
				continue
			}
			text := strings.Join(words, " ")
			if !n.Attributes["json"] && len(words) == 1 {
				text = words[0]
			}
			for _, h := range n.Heredocs {
				text += "\n" + h.Content
			}
			cur.runs = append(cur.runs, text)
			for _, in := range installs(text, cur.workdir, expand) {
				in.Line = n.StartLine
				if v := strings.ToLower(cur.env["UV_NO_DEV"]); in.Tool == "uv" && (v == "1" || v == "true" || v == "yes") {
					in.Dev = false // uv reads --no-dev from its environment too
				}
				im.Installs = append(im.Installs, in)
			}
		}
	}
	if cur == nil {
		return nil, errors.New("has no FROM line")
	}
	im.final = cur
	im.Final = cur.name
	im.Workdir = cur.workdir
	im.Env = cur.env
	im.Entrypoint, im.EntrypointShell, im.EntrypointLine = cur.ep, cur.epShell, cur.epLine
	im.Cmd, im.CmdShell, im.CmdLine = cur.cmd, cur.cmShell, cur.cmLine
	return im, nil
}

// nodeWords are an instruction's arguments: the JSON form's items, the
// shell form's one string (CMD, ENTRYPOINT, RUN), or the parsed words.
func nodeWords(n *parser.Node) []string {
	var out []string
	for x := n.Next; x != nil; x = x.Next {
		out = append(out, x.Value)
	}
	return out
}

func expandWith(lex *shell.Lex, w string, env map[string]string) string {
	if !safeWord(w) {
		return w
	}
	if out, _, err := lex.ProcessWord(w, envGetter(env)); err == nil {
		return out
	}
	return w
}

// stageNamed is the earlier stage a FROM or --from names, nil for an image.
func (im *Image) stageNamed(ref string) *stage {
	if i := im.stageIndex(ref); i >= 0 {
		return im.stages[i]
	}
	return nil
}

// stageIndex is the index of the stage ref names (its AS name or its
// number), -2 for anything else (an image).
func (im *Image) stageIndex(ref string) int {
	ref = strings.ToLower(ref)
	for i, s := range im.stages {
		if s.name != "" && s.name == ref {
			return i
		}
	}
	if n, err := strconv.Atoi(ref); err == nil && n >= 0 && n < len(im.stages) {
		return n
	}
	return -2
}

// absIn resolves p against dir, as Docker resolves WORKDIR and COPY
// destinations.
func absIn(dir, p string) string {
	if p == "" {
		return dir
	}
	if !strings.HasPrefix(p, "/") {
		p = path.Join(dir, p)
	}
	return path.Clean(p)
}

// cleanSource makes a source path relative and clean; "" is the root.
func cleanSource(s string) string {
	s = path.Clean("/" + s)
	return strings.TrimPrefix(s, "/")
}

// safeWord says buildkit's lexer may expand w: it scans with text/scanner,
// which prints to stderr on a NUL or invalid UTF-8 instead of failing.
func safeWord(w string) bool {
	return utf8.ValidString(w) && !strings.ContainsRune(w, 0)
}
