package procfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// File is a parsed Procfile that remembers every byte it was made from:
// comments, blank lines, lines it does not understand, each line's own line
// ending and a missing final newline. Bytes of an unedited File returns the
// input exactly, so a deploy trigger can rewrite one process line and leave
// the rest of a user's file as they wrote it.
//
// The zero value is an empty Procfile.
//
// Lookups and edits cost O(1) per name, not O(lines), so that planning a
// 100,000-line Procfile is linear (issue 15: one scan per name made it
// quadratic, 47 s): index maps each name to its first line, and whether
// the file is editable and its line ending are worked out once. Set keeps
// all three true; Delete, which moves lines, recomputes them.
type File struct {
	lines []line
	index map[string]int // process type -> index of its first line
	// editable caches Editable's answer once computed (checked).
	checked  bool
	editable error
	eol      string   // LineEnding, once computed
	tooLong  *Problem // set when Parse refused the file for its line count
}

// MaxLines is the most lines Parse reads (documented in the README); a
// longer Procfile is not understood and is left as it is.
const MaxLines = 200_000

// line is one line of the file: text is everything before the line ending,
// eol the ending itself ("\n", "\r\n", or "" for a last line without one).
type line struct {
	text []byte
	eol  string
	info lineInfo
}

// Problem is something in a Procfile that procfile-util would reject, or that
// this package cannot vouch for (control characters, stray carriage
// returns). A trigger that finds one should leave the file untouched.
type Problem struct {
	// Line is the 1-based line number, or 0 for the file as a whole.
	Line int
	// Rejected is true when `procfile-util check` fails on this, which makes
	// Dokku fail the deploy.
	Rejected bool
	// Msg says what is wrong, for a person.
	Msg string
}

// String renders the problem as "line N: msg".
func (p Problem) String() string {
	if p.Line == 0 {
		return p.Msg
	}
	return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
}

// ErrNotUnderstood is wrapped by the errors of Parse, Set, Delete and Editable
// when a Procfile has problems; test for it with errors.Is.
var ErrNotUnderstood = errors.New("Procfile not understood")

// ProblemsError lists a Procfile's problems. Parse returns one (the File is
// still returned and readable).
type ProblemsError struct {
	Problems []Problem
}

// Error joins the problems on one line.
func (e *ProblemsError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "Procfile has problems: " + strings.Join(parts, "; ")
}

// Unwrap makes errors.Is(err, ErrNotUnderstood) true.
func (e *ProblemsError) Unwrap() error { return ErrNotUnderstood }

// Parse splits data into lines and reads each as procfile-util would. It
// always returns a usable *File, even for input it cannot understand, so a
// caller can still read names and commands; the error, a *ProblemsError, is
// non-nil exactly when f.Problems() is non-empty. Whether the file may be
// edited is a separate question: see Editable.
func Parse(data []byte) (*File, error) {
	f := &File{}
	if n := bytes.Count(data, []byte("\n")); n > MaxLines {
		// 4 MiB of empty lines is 4 million lines: kept whole, they took
		// more memory than a deploy has (issue 15). Such a file is not
		// one prodserver edits.
		f.tooLong = &Problem{Line: MaxLines + 1, Msg: fmt.Sprintf("the Procfile has %d lines; prodserver reads at most %d", n, MaxLines)}
		f.reindex()
		return f, &ProblemsError{Problems: f.Problems()}
	}
	rest := data
	for len(rest) > 0 {
		var l line
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l.text, l.eol = rest[:i], "\n"
			rest = rest[i+1:]
			if bytes.HasSuffix(l.text, []byte("\r")) {
				l.text, l.eol = l.text[:len(l.text)-1], "\r\n"
			}
		} else {
			l.text, rest = rest, nil
		}
		l.text = bytes.Clone(l.text)
		l.info = classify(l.text, l.eol, len(f.lines)+1)
		f.lines = append(f.lines, l)
	}
	f.reindex()
	if ps := f.Problems(); len(ps) > 0 {
		return f, &ProblemsError{Problems: ps}
	}
	return f, nil
}

// reindex rebuilds the name index and drops the cached answers, after the
// lines moved.
func (f *File) reindex() {
	f.index = make(map[string]int, len(f.lines))
	for i, l := range f.lines {
		if l.info.kind == kindProcess {
			if _, dup := f.index[l.info.name]; !dup {
				f.index[l.info.name] = i
			}
		}
	}
	f.checked, f.editable, f.eol = false, nil, ""
}

// Bytes returns the file's content: the parsed input byte for byte, plus any
// edits.
func (f *File) Bytes() []byte {
	var b bytes.Buffer
	for _, l := range f.lines {
		b.Write(l.text)
		b.WriteString(l.eol)
	}
	return b.Bytes()
}

// Problems lists, in line order, everything procfile-util would reject and
// everything this package cannot vouch for. It is recomputed on each call,
// so it reflects edits.
func (f *File) Problems() []Problem {
	var ps []Problem
	if f.tooLong != nil {
		return []Problem{*f.tooLong}
	}
	seen := map[string]int{}
	processes := 0
	for i, l := range f.lines {
		ps = append(ps, l.info.problems...)
		if l.info.kind != kindProcess {
			continue
		}
		processes++
		if first, dup := seen[l.info.name]; dup {
			ps = append(ps, Problem{Line: i + 1, Rejected: true,
				Msg: fmt.Sprintf("process type %q is defined again (first on line %d); procfile-util requires unique names", l.info.name, first)})
			continue
		}
		seen[l.info.name] = i + 1
	}
	if processes == 0 {
		ps = append(ps, Problem{Rejected: true, Msg: "no process types defined; procfile-util rejects an empty Procfile"})
	}
	return ps
}

// Editable returns nil when Set and Delete may change the file: no line has
// a problem. A file that merely has no process types yet (empty, or only
// comments) is editable. Otherwise the error wraps ErrNotUnderstood and lists
// the problems, and the caller should leave the Procfile as it is.
func (f *File) Editable() error {
	if f.checked {
		return f.editable
	}
	f.checked, f.editable = true, f.problemLines()
	return f.editable
}

// problemLines is Editable's answer, worked out from every line.
func (f *File) problemLines() error {
	var ps []Problem
	for _, p := range f.Problems() {
		if p.Line > 0 {
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return &ProblemsError{Problems: ps}
	}
	return nil
}

// Names returns the process types in file order, each once.
func (f *File) Names() []string {
	var names []string
	seen := map[string]bool{}
	for _, l := range f.lines {
		if l.info.kind == kindProcess && !seen[l.info.name] {
			seen[l.info.name] = true
			names = append(names, l.info.name)
		}
	}
	return names
}

// Get returns the command of process type name as procfile-util sees it:
// without a trailing comment and surrounding whitespace. With duplicate
// names it returns the first, as herokuish would (procfile-util rejects
// the file).
func (f *File) Get(name string) (cmd string, ok bool) {
	if i := f.find(name); i >= 0 {
		l := f.lines[i]
		return string(l.text[l.info.cmdStart:l.info.cmdEnd]), true
	}
	return "", false
}

// find returns the index of the first line defining name, or -1.
func (f *File) find(name string) int {
	if f.index == nil {
		f.reindex() // the zero File
	}
	if i, ok := f.index[name]; ok {
		return i
	}
	return -1
}

// LineEnding returns the file's dominant line ending, "\n" or "\r\n" (ties
// and files without any line ending give "\n"). Set uses it for new lines.
// Note that herokuish keeps the '\r' of a CRLF line and passes it to the
// process at the end of its last argument; Dokku's own copy is converted.
func (f *File) LineEnding() string {
	if f.eol == "" {
		f.eol = f.lineEnding()
	}
	return f.eol
}

// lineEnding counts the endings; a Set never changes the answer (it adds
// the dominant one), so LineEnding keeps it until Delete.
func (f *File) lineEnding() string {
	crlf, lf := 0, 0
	for _, l := range f.lines {
		switch l.eol {
		case "\r\n":
			crlf++
		case "\n":
			lf++
		}
	}
	if crlf > lf {
		return "\r\n"
	}
	return "\n"
}

// Set makes cmd the command of process type name. An existing line keeps
// its name as spelled, its leading whitespace, the spacing around the colon
// and its line ending; everything after that is replaced, including a
// trailing comment (which described the old command, and which procfile-util
// could otherwise mistake for part of the new one). A new process type is
// appended as "name: cmd" with the file's dominant line ending, after giving
// a last line without a newline one. Setting the same command again leaves
// the bytes unchanged.
//
// Set refuses a file with problems (see Editable), an invalid name, and a
// command that procfile-util would not read back as exactly cmd (empty,
// surrounding whitespace, control characters, a leading or trailing "#" or
// "//" comment).
func (f *File) Set(name, cmd string) error {
	if err := ValidName(name); err != nil {
		return fmt.Errorf("set %q: %w", name, err)
	}
	if err := CheckCommand(cmd); err != nil {
		return fmt.Errorf("set %q: %w", name, err)
	}
	if err := f.Editable(); err != nil {
		return fmt.Errorf("set %q: %w", name, err)
	}

	// Build the changed lines aside and keep them only once procfile-util
	// would read them back; the other lines are not copied, so a Set costs
	// the same in a 10-line file and a 100,000-line one.
	i := f.find(name)
	var l line
	var last *line // the completed last line, when appending after one without a newline
	if i >= 0 {
		old := f.lines[i]
		l = line{text: append(bytes.Clone(old.text[:old.info.cmdRegion]), cmd...), eol: old.eol}
	} else {
		eol := f.LineEnding()
		if n := len(f.lines); n > 0 && f.lines[n-1].eol == "" {
			c := f.lines[n-1]
			if bytes.HasSuffix(c.text, []byte("\r")) {
				// The line already ends in a bare '\r' at end of file;
				// completing it to "\r\n" is the smallest change.
				c.text, c.eol = c.text[:len(c.text)-1], "\r\n"
			} else {
				c.eol = eol
			}
			c.info = classify(c.text, c.eol, n)
			if len(c.info.problems) > 0 {
				return fmt.Errorf("set %q: line %d: %s", name, n, c.info.problems[0].Msg)
			}
			last = &c
		}
		l = line{text: []byte(name + ": " + cmd), eol: eol}
		i = len(f.lines)
	}
	l.info = classify(l.text, l.eol, i+1)
	if len(l.info.problems) > 0 {
		return fmt.Errorf("set %q: %s", name, l.info.problems[0].Msg)
	}
	if l.info.kind != kindProcess || l.info.name != name || string(l.text[l.info.cmdStart:l.info.cmdEnd]) != cmd {
		return fmt.Errorf("set %q: procfile-util would not read the line back as %q", name, cmd)
	}
	if last != nil {
		f.lines[len(f.lines)-1] = *last
	}
	if i == len(f.lines) {
		f.lines = append(f.lines, l)
		f.index[name] = i
	} else {
		f.lines[i] = l
	}
	return nil
}

// Delete removes every line defining process type name, with its line
// ending, and reports whether there was one. Other lines are untouched. It
// refuses a file with problems (see Editable).
func (f *File) Delete(name string) (bool, error) {
	if err := f.Editable(); err != nil {
		return false, fmt.Errorf("delete %q: %w", name, err)
	}
	kept := f.lines[:0]
	deleted := false
	for _, l := range f.lines {
		if l.info.kind == kindProcess && l.info.name == name {
			deleted = true
			continue
		}
		kept = append(kept, l)
	}
	f.lines = kept
	if deleted {
		// Line numbers (and the first line's byte order mark rule) moved.
		for i := range f.lines {
			f.lines[i].info = classify(f.lines[i].text, f.lines[i].eol, i+1)
		}
		f.reindex()
	}
	return deleted, nil
}

// CheckCommand reports whether procfile-util would read cmd, written after
// "name: ", back as exactly cmd: it must be non-empty, without surrounding
// whitespace, control characters or line breaks, must not start with a "#"
// or "//" comment and must not contain a whitespace-preceded "#" or "//"
// that procfile-util would cut off as a trailing comment. Join's output
// always passes.
func CheckCommand(cmd string) error {
	switch {
	case cmd == "":
		return errors.New("command is empty")
	case strings.IndexFunc(cmd, isControl) >= 0:
		return fmt.Errorf("command %q contains a control character or line break", cmd)
	case strings.TrimSpace(cmd) != cmd:
		return fmt.Errorf("command %q has leading or trailing whitespace", cmd)
	case strings.HasPrefix(cmd, "#"), strings.HasPrefix(cmd, "//"):
		return fmt.Errorf("command %q starts like a comment", cmd)
	case stripComment(cmd) != cmd:
		return fmt.Errorf("command %q contains a whitespace-preceded '#' or '//' that procfile-util would cut off as a comment", cmd)
	}
	return nil
}
