//go:build unix

package fs

import (
	"os"
	"strconv"
	"syscall"
)

// fileIdent names a file by its device and inode.
func fileIdent(fi os.FileInfo) string {
	if s, ok := fi.(*statInfo); ok {
		return s.ident
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(uint64(st.Ino), 10)
}
