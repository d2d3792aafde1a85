// Package procfile reads, edits and writes a Dokku app's Procfile without
// losing a byte, and renders argv lists as Procfile commands that start the
// same process whichever way Dokku launches it.
//
// prodserver rewrites TMP_WORK_DIR/Procfile in core-post-extract, before the
// ps plugin copies and checks it. Everything here follows what the tools that
// read the file afterwards actually do; the facts below were read from their
// sources (docs/procfile.md has the long form):
//
// procfile-util 0.20.x (dokku/procfile-util procfile/parse.go, procfile/io.go,
// commands/main.go; Dokku 0.38 pins 0.20.8 in contrib/dependencies.json and
// never passes --strict):
//   - The file is read with a bufio.Scanner, so lines end at '\n', one '\r'
//     before it (or at end of file) is dropped, and a line of 64 KiB or more
//     fails the whole parse. A UTF-8 byte order mark is not whitespace to it:
//     a first line that starts with one is an invalid line.
//   - Each line is strings.TrimSpace'd; empty lines and lines starting with
//     "#" or "//" are skipped; every other line must match
//     ^([A-Za-z0-9_-]+)\s*:\s*(.+)$ or the file is rejected ("invalid line").
//     Names are at most 63 bytes and unique (case-sensitive).
//   - Trailing comments are cut without regard to quotes: the command loses
//     its last match of \s#.+ (or, when there is none, of \s//.+), is trimmed
//     again, and must then be non-empty and not start with "#" or "//".
//   - A file with no process line is rejected ("no entries found").
//
// Dokku then starts a Dockerfile image (plugins/ps/functions.go
// getProcfileCommand, plugins/scheduler-docker-local/bin/
// scheduler-deploy-process-container, plugins/common/functions
// fn-docker-args-split) by running `procfile-util show --env-file ENV
// --default-port PORT`, which expands variables with os.Expand over the whole
// command BEFORE any splitting and blind to quotes ("$(" is first rewritten
// to a variable that expands to nothing), then splitting the result with GNU
// `xargs printf '%s\0'` and using the words in exec form. Single quotes do
// not protect a "$" from procfile-util; "$" followed by a character that
// cannot start a variable name (such as "'") is left alone.
//
// herokuish (gliderlabs/herokuish include/procfile.bash) runs `/start web` as:
// read the line with `read -r`, take the text after the first ':', then
// `exec $(eval echo "$cmd")`. The command is parsed by bash once (quotes,
// expansions, ';' and friends all work), echoed, and the echoed text is
// split on spaces and globbed a second time, unquoted. No quoting survives
// that second pass, so a word can never contain a space or a glob character.
//
// Join therefore renders only argv words that come out identical in all of
// these readers (and in `bash -c`, which Cloud Native Buildpack launchers
// use), and rejects the rest with an error that says why.
package procfile
