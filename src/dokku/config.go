package dokku

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// ConfigGet reads one key of the app's config (what `config:set` stored)
// from $DOKKU_ROOT/<app>/ENV, the file Dokku's config plugin keeps and its
// config-get trigger reads: lines `export KEY='value'` (older Dokku and
// hand edits: KEY=value, KEY="value"). It is read directly rather than
// through `plugn trigger config-get` because core-post-extract runs in every
// deploy and a plugn call costs a bash start.
//
// Only the named key is ever returned, so callers never hold (or print)
// the app's other config values.
func ConfigGet(app, key string) (string, bool) {
	if ValidateAppName(app) != nil {
		return "", false
	}
	f, err := os.Open(filepath.Join(Root(), app, "ENV"))
	if err != nil {
		return "", false
	}
	defer f.Close()
	value, found := "", false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) != key {
			continue
		}
		value, found = unquoteEnv(strings.TrimSpace(v)), true
	}
	return value, found
}

// unquoteEnv undoes the shell quoting Dokku writes: 'a'\”b' → a'b, "a" → a.
func unquoteEnv(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\'':
			j := strings.IndexByte(v[i+1:], '\'')
			if j < 0 {
				b.WriteString(v[i+1:])
				return b.String()
			}
			b.WriteString(v[i+1 : i+1+j])
			i += j + 1
		case '"':
			j := strings.IndexByte(v[i+1:], '"')
			if j < 0 {
				b.WriteString(v[i+1:])
				return b.String()
			}
			b.WriteString(v[i+1 : i+1+j])
			i += j + 1
		case '\\':
			if i+1 < len(v) {
				i++
				b.WriteByte(v[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
