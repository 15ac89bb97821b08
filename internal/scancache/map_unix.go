//go:build unix

package scancache

import (
	"fmt"
	"os"
	"syscall"
)

// mapFile maps an open file of size bytes read-only. The pages are the
// page cache's: nothing of the file is copied to the Go heap, and the
// release function unmaps them. A cache file is replaced by renaming a new
// one over it, never rewritten in place, so the mapping stays valid (the
// old file lives on until it is unmapped).
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size == 0 {
		return nil, func() error { return nil }, nil
	}
	if int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%d bytes: too large to map", size)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("mmap: %w", err)
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}
