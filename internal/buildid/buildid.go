// Package buildid names the running program by the SHA-256 of its
// executable, for caches whose contents depend on the program's code: the
// rules' analysis, a scan's per-file results. A version string or a VCS
// revision does not do: two builds of a modified tree share them, and a
// cache written by one would be read by the other, whose rules, checks or
// extractors may find different things.
package buildid

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"sync"
)

// Executable returns the hex SHA-256 of the running program's file, or ""
// when it cannot be read (callers then keep no cache). It reads the file
// once per process.
var Executable = sync.OnceValue(func() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})
