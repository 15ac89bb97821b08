//go:build !unix

package scancache

import (
	"fmt"
	"io"
	"os"
)

// mapFile reads an open file of size bytes into one allocation of exactly
// that size (where there is no mmap to use): one block of bytes, which the
// garbage collector never looks inside, with no growing buffer to copy and
// clear on the way.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%d bytes: too large to load", size)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return b, func() error { return nil }, nil
}
