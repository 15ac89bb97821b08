//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package edm

import (
	"os"
	"unsafe"
)

// mapFile reads the file into memory where mapping is not available. The
// buffer is allocated as uint64s so that it is 8-aligned like a mapping.
func mapFile(path string) ([]byte, func() error, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	words := make([]uint64, (len(raw)+7)/8)
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), len(raw))
	copy(b, raw)
	return b, func() error { return nil }, nil
}
