//go:build unix

package fs

import (
	"fmt"
	"os"
	"syscall"
)

// openFlags never blocks on open and never takes a controlling terminal:
// the entry was a regular file or directory when listed, but may have been
// replaced by a FIFO or device since, and opening a FIFO for reading
// without O_NONBLOCK waits for a writer forever.
func openFlags(noFollow bool) int {
	flags := os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_NOCTTY
	if noFollow {
		flags |= syscall.O_NOFOLLOW
	}
	return flags
}

// openRegular opens path for reading and checks, on the open descriptor,
// that it is a regular file. O_NONBLOCK has no effect on reads of a regular
// file, so the result reads normally.
func openRegular(path string, noFollow bool) (*os.File, error) {
	f, err := os.OpenFile(path, openFlags(noFollow), 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &os.PathError{Op: "open", Path: path, Err: fmt.Errorf("not a regular file (%s)", describe(fi.Mode()))}
	}
	return f, nil
}

// openDir opens a directory for listing; O_DIRECTORY makes anything else
// fail rather than be opened.
func openDir(path string, noFollow bool) (*os.File, error) {
	return os.OpenFile(path, openFlags(noFollow)|syscall.O_DIRECTORY, 0)
}

// readable asks the kernel whether the process may read path, so that a
// permission problem is reported by the walk instead of surfacing later. A
// world-readable file skips the question (it would cost a syscall per file
// for nothing); the rare one an ACL still denies fails at Open instead.
func readable(path string, mode os.FileMode) error {
	const rOK = 4
	if mode.Perm()&0o004 != 0 {
		return nil
	}
	if err := syscall.Access(path, rOK); err != nil {
		return &os.PathError{Op: "access", Path: path, Err: err}
	}
	return nil
}
