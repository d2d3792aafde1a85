package dokku

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
)

// WriteFileAtomic replaces path with data so that a reader (or a crash at any
// moment) sees either the old file or the new one, never a half-written one:
// write a temp file in the same folder, fsync it, rename it over path, fsync
// the folder. The file gets mode perm and, when running as root, Dokku's
// system user and group.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("creating temp file for %s: %w", path, err)
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(fmt.Errorf("writing %s: %w", path, err))
	}
	if err := tmp.Chmod(perm); err != nil {
		return fail(fmt.Errorf("setting mode of %s: %w", path, err))
	}
	if err := chownToSystem(name); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("syncing %s: %w", path, err))
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("closing %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

// MkdirAll creates dir (mode 0755, like Dokku's plugin folders) and hands
// every folder it creates to Dokku's system user when running as root.
func MkdirAll(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	for _, d := range missing {
		if err := chownToSystem(d); err != nil {
			return err
		}
	}
	return nil
}

// ownerIDs resolves DOKKU_SYSTEM_USER/GROUP once per process.
var ownerIDs = func() func() (int, int, error) {
	var uid, gid int
	var err error
	var done bool
	return func() (int, int, error) {
		if done {
			return uid, gid, err
		}
		done = true
		uid, gid, err = lookupOwner(SystemUser(), SystemGroup())
		return uid, gid, err
	}
}()

func lookupOwner(userName, groupName string) (int, int, error) {
	u, err := user.Lookup(userName)
	if err != nil {
		return 0, 0, fmt.Errorf("looking up DOKKU_SYSTEM_USER %s: %w", userName, err)
	}
	g, err := user.LookupGroup(groupName)
	if err != nil {
		return 0, 0, fmt.Errorf("looking up DOKKU_SYSTEM_GROUP %s: %w", groupName, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(g.Gid)
	return uid, gid, nil
}

// chownToSystem gives path to Dokku's system user. Only root can (and needs
// to): files written by the dokku user already belong to it.
func chownToSystem(path string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	uid, gid, err := ownerIDs()
	if err != nil {
		return err
	}
	if err := os.Lchown(path, uid, gid); err != nil {
		return fmt.Errorf("handing %s to %s:%s: %w", path, SystemUser(), SystemGroup(), err)
	}
	return nil
}

// CopyDir copies the regular files of src into dst (recursively), keeping
// their modes and handing them to the system user. Used when an app is cloned.
func CopyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return MkdirAll(target)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := safefile.Read(p, MaxStateFile)
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return WriteFileAtomic(target, data, info.Mode().Perm())
	})
}

// MaxStateFile is the largest file prodserver keeps in its own folders and
// reads back (deploy.json, the largest, holds two copies of a Procfile of
// at most 4 MiB); a clone copies nothing larger.
const MaxStateFile = 32 << 20

// ReadLines reads a one-value-per-line file of prodserver's (nil when it
// does not exist), bounded like a property.
func ReadLines(path string) ([]string, error) {
	b, err := safefile.Read(path, MaxProperty)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// WriteLines atomically writes one value per line (mode 0600).
func WriteLines(path string, lines []string) error {
	if err := MkdirAll(filepath.Dir(path)); err != nil {
		return err
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return WriteFileAtomic(path, []byte(b.String()), 0o600)
}
