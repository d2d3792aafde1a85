package dokku

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// Properties are Dokku's per-plugin key/value store: one file per property at
// $DOKKU_LIB_ROOT/config/prodserver/<app>/<key>, mode 0600, global values
// under the app name "--global". Other tools read this layout, so it is kept
// exactly; unlike Dokku's own helper, every write here is atomic.

// validKey keeps property keys to names that are safe as file names.
func validKey(key string) error {
	if key == "" || len(key) > 128 || key[0] == '.' {
		return fmt.Errorf("invalid property name %s", printable(key))
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return fmt.Errorf("invalid property name %s", printable(key))
		}
	}
	return nil
}

func propertyPath(app, key string) (string, error) {
	if app != GlobalApp {
		if err := ValidateAppName(app); err != nil {
			return "", err
		}
	}
	if err := validKey(key); err != nil {
		return "", err
	}
	return filepath.Join(ConfigDir(app), key), nil
}

// MaxProperty is the largest property file prodserver reads (documented in
// the README). A property is a regular file in prodserver's folder: a
// symlink, FIFO or larger file is refused.
const MaxProperty = 1 << 20

// PropertyGet returns the value of key for app ("" when unset).
func PropertyGet(app, key string) (string, error) {
	p, err := propertyPath(app, key)
	if err != nil {
		return "", err
	}
	b, err := safefile.Read(p, MaxProperty)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("property %s of %s (%s) %w", key, app, p, err)
	}
	return strings.TrimRight(string(b), "\n"), nil
}

// PropertyWrite stores value under key for app; an empty value deletes the
// key, as `X:set APP KEY` with no value does in Dokku.
func PropertyWrite(app, key, value string) error {
	if value == "" {
		return PropertyDelete(app, key)
	}
	p, err := propertyPath(app, key)
	if err != nil {
		return err
	}
	if err := MkdirAll(filepath.Dir(p)); err != nil {
		return err
	}
	return WriteFileAtomic(p, []byte(value+"\n"), 0o600)
}

// PropertyDelete removes key for app; a missing key is not an error.
func PropertyDelete(app, key string) error {
	p, err := propertyPath(app, key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("deleting property %s of %s: %w", key, app, err)
	}
	return nil
}

// PropertyListGet returns a list property, one value per line.
func PropertyListGet(app, key string) ([]string, error) {
	p, err := propertyPath(app, key)
	if err != nil {
		return nil, err
	}
	b, err := safefile.Read(p, MaxProperty)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("property %s of %s (%s) %w", key, app, p, err)
	}
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, "\n"), nil
}

// PropertyListWrite stores values one per line; an empty list deletes the
// key. Values may not contain newlines, which would split them.
func PropertyListWrite(app, key string, values []string) error {
	if len(values) == 0 {
		return PropertyDelete(app, key)
	}
	var b strings.Builder
	for _, v := range values {
		if strings.ContainsAny(v, "\n\r\x00") {
			return fmt.Errorf("property %s: value %s contains a newline or NUL", key, printable(v))
		}
		b.WriteString(v)
		b.WriteByte('\n')
	}
	p, err := propertyPath(app, key)
	if err != nil {
		return err
	}
	if err := MkdirAll(filepath.Dir(p)); err != nil {
		return err
	}
	return WriteFileAtomic(p, []byte(b.String()), 0o600)
}

// PropertyKeys lists the keys set for app, sorted by the file system.
func PropertyKeys(app string) ([]string, error) {
	if app != GlobalApp {
		if err := ValidateAppName(app); err != nil {
			return nil, err
		}
	}
	entries, err := os.ReadDir(ConfigDir(app))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing properties of %s: %w", app, err)
	}
	var keys []string
	for _, e := range entries {
		// Not only regular files: a FIFO, socket or symlink under a
		// property's name is listed so that reading it refuses it, loudly
		// (a property is a regular file in prodserver's folder).
		if !e.IsDir() && validKey(e.Name()) == nil {
			keys = append(keys, e.Name())
		}
	}
	return keys, nil
}

// HasState reports cheaply whether prodserver holds any property for app:
// triggers use it to stay silent and fast for apps nobody configured.
func HasState(app string) bool {
	_, err := os.Stat(ConfigDir(app))
	return err == nil
}

// DestroyAppState removes an app's properties and data (post-delete).
func DestroyAppState(app string) error {
	if err := ValidateAppName(app); err != nil {
		return err
	}
	for _, d := range []string{ConfigDir(app), DataDir(app)} {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("removing %s: %w", d, err)
		}
	}
	return nil
}

// RenameAppState moves an app's properties and data to its new name.
func RenameAppState(oldApp, newApp string) error {
	if oldApp == newApp {
		// Copying onto itself and then destroying the old name would
		// delete the app's state; renaming onto itself changes nothing.
		return ValidateAppName(oldApp)
	}
	if err := CloneAppState(oldApp, newApp); err != nil {
		return err
	}
	return DestroyAppState(oldApp)
}

// CloneAppState copies an app's properties and data to a new app. Copying
// (rather than renaming folders) keeps rename safe when the new name already
// has a folder and works across file systems.
func CloneAppState(oldApp, newApp string) error {
	for _, a := range []string{oldApp, newApp} {
		if err := ValidateAppName(a); err != nil {
			return err
		}
	}
	if oldApp == newApp {
		return nil // a copy onto itself has nothing to copy
	}
	for _, pair := range [][2]string{
		{ConfigDir(oldApp), ConfigDir(newApp)},
		{DataDir(oldApp), DataDir(newApp)},
	} {
		if _, err := os.Stat(pair[0]); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := CopyDir(pair[0], pair[1]); err != nil {
			return fmt.Errorf("copying %s to %s: %w", pair[0], pair[1], err)
		}
	}
	return nil
}
