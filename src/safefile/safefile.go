// Package safefile is the one way prodserver opens a file that a pushed
// repository or Dokku's state controls. prodserver runs as root in every
// deploy, so a hostile tree must not make it block (a FIFO), read without
// end (a device, a huge file) or write outside the tree (a symlinked
// folder). Read opens without blocking and without following a final
// symlink, refuses anything but a regular file after fstat, and stops at a
// bound; Inside resolves every parent of a path, even one that does not
// exist yet, and refuses a path that leaves the tree.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrNotRegular is returned for a FIFO, device, socket, directory or a
// final symlink (callers resolve allowed links with Inside first).
var ErrNotRegular = errors.New("is not a regular file")

// ErrOutside is returned for a path that leads out of its tree.
var ErrOutside = errors.New("points outside the source tree")

// TooLargeError is returned when a file is larger than its bound.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("is larger than the %s prodserver reads", Size(e.Limit))
}

// Size prints a bound the way the docs state it (4 MiB, 64 KiB).
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read returns the content of the regular file at path, at most limit
// bytes. It opens with O_NONBLOCK (a FIFO cannot hang it) and O_NOFOLLOW (a
// final symlink is refused: callers that allow links resolve them first,
// with Inside), then checks the type with fstat on the open file, so a
// swap between check and open cannot slip a FIFO through. A missing file
// is an error that matches fs.ErrNotExist.
func Read(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if err != nil {
		// ELOOP: a final symlink; ENXIO: a socket (open(2) cannot open one).
		if errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENXIO) {
			return nil, ErrNotRegular
		}
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	if st.Size() > limit {
		return nil, &TooLargeError{limit}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{limit}
	}
	return b, nil
}

// Inside returns the symlink-free absolute path of rel (slash-separated)
// under root, or ErrOutside. Every parent is resolved, not only the file:
// the longest part of the path that exists is resolved with its links and
// must stay inside root; the rest does not exist, so it holds no link, and
// a file created there stays inside too. A `..` that leaves root, and a
// link that leads nowhere (what it names could be created outside), are
// refused.
func Inside(root, rel string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(rel))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", ErrOutside
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	existing, rest := filepath.Join(root, clean), ""
	for {
		if _, err := os.Lstat(existing); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return "", err
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = filepath.Dir(existing)
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", ErrOutside
	}
	if real != realRoot && !strings.HasPrefix(real, realRoot+string(filepath.Separator)) {
		return "", ErrOutside
	}
	return filepath.Join(real, rest), nil
}
