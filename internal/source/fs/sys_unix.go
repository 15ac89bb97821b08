//go:build unix

package fs

import (
	"fmt"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
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
// file, so the result reads normally. The descriptor is read with plain
// system calls, not through an *os.File: the os package offers a file
// opened O_NONBLOCK to the runtime's poller, which refuses a regular file
// with an error, an epoll_ctl call per file for nothing (2.7 µs a file
// here, with the rest of an *os.File's set-up).
func openRegular(path string, noFollow bool) (*sizedFile, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, openFlags(noFollow)|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	if mode := fileMode(uint32(st.Mode)); !mode.IsRegular() {
		unix.Close(fd)
		return nil, &os.PathError{Op: "open", Path: path, Err: fmt.Errorf("not a regular file (%s)", describe(mode))}
	}
	return newSizedFile(rawFile{fd: fd, path: path}, st.Size), nil
}

// rawFile is an open descriptor read with plain system calls.
type rawFile struct {
	fd   int
	path string
}

func (f rawFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := unix.Read(f.fd, p)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, &os.PathError{Op: "read", Path: f.path, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f rawFile) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		m, err := unix.Pread(f.fd, p[n:], off+int64(n))
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return n, &os.PathError{Op: "read", Path: f.path, Err: err}
		case m == 0:
			return n, io.EOF
		}
		n += m
	}
	return n, nil
}

func (f rawFile) Close() error {
	if err := unix.Close(f.fd); err != nil {
		return &os.PathError{Op: "close", Path: f.path, Err: err}
	}
	return nil
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
