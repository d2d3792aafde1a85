package procfile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// These patterns are procfile-util's rules (dokku/procfile-util
// procfile/parse.go), restated so that this package sees a line exactly as
// `procfile-util check` and `show` do. They run on the line after
// strings.TrimSpace, with Go's regexp package, like procfile-util itself:
// \s is ASCII whitespace only, "." matches anything but '\n'.
var (
	// processLine is the non-strict form; Dokku never passes --strict.
	processLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9_-]+)\s*:\s*(.+)$`) })
	// hashComment cuts a trailing comment, quotes or no quotes. The greedy
	// (.*) means only the last " #x" is cut.
	hashComment = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.*)\s#.+$`) })
	// slashComment is tried only when hashComment did not match.
	slashComment = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.*)\s//.+$`) })
)

const (
	// maxNameLen is procfile-util's limit on a process type name.
	maxNameLen = 63
	// maxRawLine is the longest line (without its '\n', with a '\r' if
	// any) that procfile-util's bufio.Scanner can read: its buffer stops
	// growing at bufio.MaxScanTokenSize bytes and must hold the '\n' too.
	maxRawLine = 64*1024 - 1
	// bom is the UTF-8 byte order mark, which strings.TrimSpace keeps.
	bom = "\xEF\xBB\xBF"
)

// lineKind says what procfile-util makes of one line.
type lineKind int

const (
	kindBlank   lineKind = iota // empty after TrimSpace: skipped
	kindComment                 // starts with "#" or "//" after TrimSpace: skipped
	kindProcess                 // name: command
	kindInvalid                 // anything else: procfile-util rejects the file
)

// lineInfo locates the parts of one line. Offsets index the line's text
// (the bytes before its line ending).
type lineInfo struct {
	kind lineKind
	name string
	// cmdRegion is where the text after "name:" and its whitespace starts;
	// Set replaces everything from here to the end of the line.
	cmdRegion int
	// cmdStart and cmdEnd delimit the effective command: what is left once
	// procfile-util has cut a trailing comment and trimmed.
	cmdStart, cmdEnd int
	// problems are this line's own problems (duplicates are found later).
	problems []Problem
}

// classify reads one line the way procfile-util does. text excludes the
// line ending; eol is "\n", "\r\n" or "" (last line without newline); lineNo
// is 1-based.
func classify(text []byte, eol string, lineNo int) lineInfo {
	var info lineInfo
	problem := func(rejected bool, format string, args ...any) {
		info.problems = append(info.problems, Problem{
			Line: lineNo, Rejected: rejected, Msg: fmt.Sprintf(format, args...),
		})
	}

	raw := len(text)
	if eol == "\r\n" {
		raw++
	}
	if raw > maxRawLine {
		problem(true, "line is %d bytes long; procfile-util cannot read lines of 64 KiB or more", raw)
	}

	content := text
	if eol == "" && bytes.HasSuffix(content, []byte("\r")) {
		// bufio.ScanLines drops a '\r' at end of file as it does before '\n'.
		content = content[:len(content)-1]
	}
	if i := bytes.IndexFunc(content, isControl); i >= 0 {
		c := content[i]
		if c == '\r' {
			problem(false, "carriage return inside the line (not part of a CRLF line ending)")
		} else {
			problem(false, "control character 0x%02X at byte %d: dos2unix calls such a file binary and Dokku then silently keeps the previous Procfile", c, i+1)
		}
	}

	offset := 0
	if lineNo == 1 && bytes.HasPrefix(content, []byte(bom)) {
		// procfile-util rejects this line; Dokku's own copy goes through
		// dos2unix, which drops the mark, but herokuish reads the file in
		// the image as it is and would then not find the first name.
		problem(true, "starts with a UTF-8 byte order mark, which procfile-util and herokuish read as part of the line")
		offset = len(bom)
		content = content[len(bom):]
	}

	s := string(content)
	lead := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
	trimmed := strings.TrimSpace(s)
	switch {
	case trimmed == "":
		info.kind = kindBlank
		return info
	case strings.HasPrefix(trimmed, "#"), strings.HasPrefix(trimmed, "//"):
		info.kind = kindComment
		return info
	}

	m := processLine().FindStringSubmatchIndex(trimmed)
	if m == nil {
		info.kind = kindInvalid
		problem(true, "%s", invalidLineMsg(trimmed))
		return info
	}
	info.kind = kindProcess
	base := offset + lead
	info.name = trimmed[m[2]:m[3]]
	info.cmdRegion = base + m[4]
	if len(info.name) > maxNameLen {
		problem(true, "process type %q is longer than %d characters", info.name, maxNameLen)
	}

	cmd := trimmed[m[4]:m[5]]
	kept := stripComment(cmd)
	eff := strings.TrimSpace(kept)
	info.cmdStart = info.cmdRegion + len(kept) - len(strings.TrimLeftFunc(kept, unicode.IsSpace))
	info.cmdEnd = info.cmdStart + len(eff)
	switch {
	case eff == "":
		problem(true, "process type %q has no command", info.name)
	case strings.HasPrefix(eff, "#"), strings.HasPrefix(eff, "//"):
		problem(true, "process type %q has a comment in place of its command", info.name)
	}
	return info
}

// stripComment returns what procfile-util keeps of a command once it has cut
// a trailing comment (before trimming).
func stripComment(cmd string) string {
	if m := hashComment().FindStringSubmatch(cmd); m != nil {
		return m[1]
	}
	if m := slashComment().FindStringSubmatch(cmd); m != nil {
		return m[1]
	}
	return cmd
}

// invalidLineMsg explains why a line is not a process line, naming the
// common causes.
func invalidLineMsg(trimmed string) string {
	for _, marker := range []string{"<<<<<<<", "=======", ">>>>>>>", "|||||||"} {
		if strings.HasPrefix(trimmed, marker) {
			return "merge conflict marker; procfile-util rejects the file"
		}
	}
	return "not a `name: command` line (names are letters, digits, '_' and '-'); procfile-util rejects the file"
}

// isControl reports the bytes procfile-util's line syntax refuses: C0
// controls other than tab (a Procfile separator), and DEL. A '\r' that
// ends a line is not passed here. What prodserver itself writes is held to
// unicode.IsControl (checkWord).
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t') || r == 0x7F
}

// ValidName reports whether name is a process type procfile-util accepts as
// Dokku runs it (without --strict): 1 to 63 letters, digits, '_' or '-'.
// Use it on names read from a user's Procfile; use DNSLabel for names
// prodserver invents.
func ValidName(name string) error {
	if name == "" {
		return errors.New("process type name is empty")
	}
	if len(name) > maxNameLen {
		return fmt.Errorf("process type %q is longer than %d characters", name, maxNameLen)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isNameByte(c) {
			return fmt.Errorf("process type %q contains %q; only letters, digits, '_' and '-' are allowed", name, rune(c))
		}
	}
	return nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// DNSLabel reports whether name is an RFC 1123 label: 1 to 63 lowercase
// letters, digits or '-', not starting or ending with '-'. That is
// procfile-util's --strict rule and what the Kubernetes scheduler
// (scheduler-k3s) needs, so it is the one rule for every process name
// prodserver accepts (app.json, PRODUCTION_PROCESSES, the commands).
func DNSLabel(name string) error {
	if name == "" || len(name) > maxNameLen {
		return fmt.Errorf("process name %q must be 1-%d characters", name, maxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("process name %q may hold only lowercase letters, digits and '-'", name)
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' {
		return fmt.Errorf("process name %q may not start or end with '-'", name)
	}
	return nil
}
