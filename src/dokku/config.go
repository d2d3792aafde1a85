package dokku

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"

	"github.com/joho/godotenv"
)

// ConfigGet reads one key of the app's config (what `config:set` stored),
// falling back to the global config (`config:set --global`), since the
// container gets both, merged, app winning. It reads the files Dokku's
// config plugin keeps rather than calling `plugn trigger config-get`,
// because core-post-extract runs in every deploy and a plugn call costs a
// bash start. Where the file lives depends on the Dokku version:
//
//   - 0.38.26 and later: $DOKKU_LIB_ROOT/config/<app>/ENV (global:
//     config/--global/ENV), written by godotenv.Write (KEY="value");
//     plugins/config/environment.go, and migrate.go drains the old files.
//   - before 0.38.26: $DOKKU_ROOT/<app>/ENV (global: $DOKKU_ROOT/ENV), lines
//     `export KEY='value'`.
//
// The new file wins when it exists, as Dokku reads only it once migrated.
// Only the named key is ever returned, so callers never hold (or print) the
// app's other config values.
func ConfigGet(app, key string) (string, bool) {
	if ValidateAppName(app) != nil {
		return "", false
	}
	for _, scope := range []struct{ current, legacy string }{
		{filepath.Join(LibRoot(), "config", app, "ENV"), filepath.Join(Root(), app, "ENV")},
		{filepath.Join(LibRoot(), "config", GlobalApp, "ENV"), filepath.Join(Root(), "ENV")},
	} {
		if v, ok, exists := currentEnvGet(scope.current, key); exists {
			if ok {
				return v, true
			}
			continue
		}
		if v, ok := legacyEnvGet(scope.legacy, key); ok {
			return v, true
		}
	}
	return "", false
}

// MaxEnv is the largest ENV file prodserver reads (documented in the
// README); a larger one, or one that is not a regular file, is ignored with
// a warning.
const MaxEnv = 16 << 20

// currentEnvGet reads key from a 0.38.26+ ENV file with godotenv, the
// library Dokku writes it with. exists is false when there is no file.
func currentEnvGet(path, key string) (value string, ok, exists bool) {
	b, err := safefile.Read(path, MaxEnv)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, false
	}
	if err != nil {
		LogWarn(fmt.Sprintf("prodserver: %s %v; ignoring it", path, err))
		return "", false, true
	}
	env, err := godotenv.Parse(bytes.NewReader(b))
	if err != nil {
		return "", false, true
	}
	value, ok = env[key]
	return value, ok, true
}

// legacyEnvGet reads key from a pre-0.38.26 ENV file: `export KEY='value'`
// lines (hand edits: KEY=value, KEY="value").
func legacyEnvGet(path, key string) (string, bool) {
	b, err := safefile.Read(path, MaxEnv)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			LogWarn(fmt.Sprintf("prodserver: %s %v; ignoring it", path, err))
		}
		return "", false
	}
	value, found := "", false
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
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
