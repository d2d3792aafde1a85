package backend

import (
	"strconv"
	"strings"
)

// pathShim is Python run with `python -c` for servers that have no flag to
// change their import directory (waitress-serve, daphne): it puts the next
// argv word (the project dir) first on sys.path, drops it from sys.argv and
// hands over to the server's own entry point. The directory travels as an
// argv word, never inside the code, so no value is ever spliced into Python.
// The code holds no space, single quote, '$', glob character or backslash,
// so the procfile package can carry it as one word through every launcher
// (herokuish re-splits the command on spaces after removing quotes).
//
// Verified by starting both servers this way from the source root with the
// app under src/ (waitress 2.1.2, daphne 4.0.0; tests/servers_test.go starts both that way).
const pathShim = `sys=__import__("sys");sys.path.insert(0,sys.argv.pop(1));`

// termShim makes SIGTERM raise KeyboardInterrupt, the exception a server
// such as waitress drains on: for platforms that stop with SIGTERM only.
const termShim = `signal=__import__("signal");signal.signal(signal.SIGTERM,signal.default_int_handler);`

// command is an argv under construction. head holds the program and words
// options must not replace (celery's global --app, a python -c shim); flags
// are the backend's own flags, each replaceable by an option of the same
// key; tail holds positionals (the application target, queue names).
//
// finish renders head, flags, the remaining options, Args, then tail: the
// target comes last because waitress-serve parses with getopt, which stops
// at the first positional, and every other program accepts it there.
//
// A command marked final already holds its options and Args (the release
// chain applies them to migrate); finish returns its head unchanged.
type command struct {
	head  []string
	flags []flagWords
	tail  []string
	final bool
}

// flagWords is one rendered flag: its option key and its argv words.
type flagWords struct {
	key   string
	words []string
}

// newCommand starts a command with its head words.
func newCommand(head ...string) *command { return &command{head: head} }

// set renders --key=value. The '=' form keeps each flag one argv word and is
// the only form flower's tornado option parser accepts.
func (cmd *command) set(key, value string) *command {
	cmd.flags = append(cmd.flags, flagWords{key, []string{"--" + key + "=" + value}})
	return cmd
}

// setInt renders --key=n.
func (cmd *command) setInt(key string, n int) *command { return cmd.set(key, strconv.Itoa(n)) }

// setCount renders the flag named like "--workers" with n, or nothing when
// the flag is "" or n is 0 (the program's own default then applies).
func (cmd *command) setCount(flag string, n int) *command {
	if flag == "" || n <= 0 {
		return cmd
	}
	return cmd.setInt(strings.TrimPrefix(flag, "--"), n)
}

// on renders a bare --key.
func (cmd *command) on(key string) *command {
	cmd.flags = append(cmd.flags, flagWords{key, []string{"--" + key}})
	return cmd
}

// word renders an arbitrary word under key, for flags whose rendered form is
// not --key (e.g. db_worker's --no-reload under key "reload").
func (cmd *command) word(key, w string) *command {
	cmd.flags = append(cmd.flags, flagWords{key, []string{w}})
	return cmd
}

// slot reserves a place for an option that renders nothing by default but
// must come early when given (uWSGI reads --plugin before the plugin's own
// options, such as --module, are recognised).
func (cmd *command) slot(key string) *command {
	cmd.flags = append(cmd.flags, flagWords{key, nil})
	return cmd
}

// positional appends trailing positionals.
func (cmd *command) positional(words ...string) *command {
	cmd.tail = append(cmd.tail, words...)
	return cmd
}

// finish applies options (replacing rendered flags of the same key in
// place, appending the rest in order) and Args, and returns the argv.
func (cmd *command) finish(o *options, args []string) []string {
	argv := append([]string(nil), cmd.head...)
	if cmd.final {
		return argv
	}
	used := make(map[string]bool)
	given := argsFlags(args)
	for _, f := range cmd.flags {
		if given[f.key] && !holdsPort(f.words) {
			continue // the user's word in Args replaces it
		}
		if opt, ok := o.lookup(f.key); ok {
			if !used[f.key] {
				argv = append(argv, opt.words...)
				used[f.key] = true
			}
			continue
		}
		argv = append(argv, f.words...)
	}
	for _, opt := range o.flags {
		if !used[opt.key] {
			argv = append(argv, opt.words...)
		}
	}
	argv = append(argv, args...)
	return append(argv, cmd.tail...)
}

// argsFlags are the long flags Args gives ("--graceful-timeout=60" or
// "--graceful-timeout 60"): a rendered flag of the same name is dropped, as
// an option of that key replaces it, so the user's value is the only one on
// the line instead of both (which one wins would be up to the program).
// Short flags and "--" alone name no key and replace nothing.
func argsFlags(args []string) map[string]bool {
	keys := make(map[string]bool)
	for _, a := range args {
		if !strings.HasPrefix(a, "--") || len(a) == 2 {
			continue
		}
		k, _, _ := strings.Cut(a[2:], "=")
		keys[k] = true
	}
	return keys
}

// holdsPort says a rendered flag carries $PORT: Dokku routes there, so no
// word of Args replaces it.
func holdsPort(words []string) bool {
	for _, w := range words {
		if strings.Contains(w, portWord) {
			return true
		}
	}
	return false
}
