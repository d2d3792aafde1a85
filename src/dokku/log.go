package dokku

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Stdout and Stderr are where log lines go; tests swap them.
var (
	Stdout io.Writer = os.Stdout
	Stderr io.Writer = os.Stderr
)

// LogInfo1 prints a step line: "-----> text".
func LogInfo1(text string) { writeLines(Stdout, "-----> ", text) }

// LogInfo2 prints a header line: "=====> text".
func LogInfo2(text string) { writeLines(Stdout, "=====> ", text) }

// LogVerbose prints an indented detail line: "       text".
func LogVerbose(text string) { writeLines(Stdout, "       ", text) }

// LogInfo1Quiet is LogInfo1 unless DOKKU_QUIET_OUTPUT is set.
func LogInfo1Quiet(text string) {
	if !Quiet() {
		LogInfo1(text)
	}
}

// LogInfo2Quiet is LogInfo2 unless DOKKU_QUIET_OUTPUT is set.
func LogInfo2Quiet(text string) {
	if !Quiet() {
		LogInfo2(text)
	}
}

// LogVerboseQuiet is LogVerbose unless DOKKU_QUIET_OUTPUT is set.
func LogVerboseQuiet(text string) {
	if !Quiet() {
		LogVerbose(text)
	}
}

// LogWarn prints " !     text" on stderr.
func LogWarn(text string) { writeLines(Stderr, " !     ", text) }

// LogFail prints " !     text" on stderr; the caller exits non-zero.
func LogFail(text string) { writeLines(Stderr, " !     ", text) }

// writeLines prefixes every line of text, so a multi-line message keeps
// Dokku's format instead of leaking unprefixed lines, and escapes what a
// terminal would act on (Escape).
func writeLines(w io.Writer, prefix, text string) {
	text = strings.TrimRight(text, "\n")
	for _, line := range strings.Split(text, "\n") {
		fmt.Fprintf(w, "%s%s\n", prefix, Escape(line))
	}
}
