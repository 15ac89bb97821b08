// Package buildid names the running program, for caches whose contents
// depend on the program's code: the rules' analysis, a scan's per-file
// results. A version string or a VCS revision does not do: two builds of
// a modified tree share them, and a cache written by one would be read by
// the other, whose rules, checks or extractors may find different things.
//
// The name is a digest of the build ID the Go linker writes into an ELF
// executable: its last part is a hash of the executable's own contents, so
// two executables share it only if they are the same bytes, and reading it
// takes a few section headers instead of the whole 60 MB file (about 50 ms of
// every command's start). Elsewhere, or where the ID was blanked
// (-ldflags=-buildid=), the digest is of the whole file.
package buildid

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"io"
	"os"
	"sync"
)

// Executable returns the name of the running program, or "" when its file
// cannot be read (callers then keep no cache). It is computed once per
// process.
var Executable = sync.OnceValue(func() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	if id := goBuildID(p); id != "" {
		sum := sha256.Sum256([]byte("go build id\x00" + id))
		return hex.EncodeToString(sum[:])
	}
	return fileDigest(p)
})

// fileDigest returns the hex SHA-256 of the file at p, or "".
func fileDigest(p string) string {
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
}

// goBuildID returns the Go build ID in the ELF executable at p, or "" when
// p is not ELF or holds none. The ID is the description of a note named
// "Go" of type 4 in the section .note.go.buildid.
func goBuildID(p string) string {
	f, err := elf.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil || s.Size > 4096 {
		return ""
	}
	note, err := s.Data()
	if err != nil || len(note) < 16 {
		return ""
	}
	order := f.ByteOrder
	nameSize, descSize, kind := order.Uint32(note), order.Uint32(note[4:]), order.Uint32(note[8:])
	name := note[12:]
	if nameSize != 4 || kind != 4 || !bytes.HasPrefix(name, []byte("Go\x00\x00")) {
		return ""
	}
	desc := name[4:]
	if uint64(descSize) > uint64(len(desc)) || descSize == 0 {
		return ""
	}
	return string(desc[:descSize])
}
