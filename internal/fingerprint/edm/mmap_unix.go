//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package edm

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only: the index's pages are loaded on demand and
// shared between processes.
func mapFile(path string) ([]byte, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() < headerSize || int64(int(fi.Size())) != fi.Size() {
		return nil, nil, &os.PathError{Op: "mmap", Path: path, Err: syscall.EINVAL}
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, &os.PathError{Op: "mmap", Path: path, Err: err}
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}
