//go:build !unix

package fs

import (
	"fmt"
	"os"
)

// On systems without FIFOs opening cannot block; the type check after open
// still refuses anything that is not a regular file.
func openRegular(path string, _ bool) (*sizedFile, error) {
	f, err := os.Open(path)
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
	return newSizedFile(f, fi.Size()), nil
}

func openDir(path string, _ bool) (*os.File, error) { return os.Open(path) }

// readable is left to Open here: there is no cheap access(2).
func readable(string, os.FileMode) error { return nil }
