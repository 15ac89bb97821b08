//go:build unix

package fs

import (
	"os"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// statEntries returns the lstat of each regular file among entries (nil
// for the others, and for any it could not stat), asked relative to the
// open directory d. A rescan of an unchanged tree is mostly this call: an
// lstat of the whole path makes the kernel walk every component again
// (5.7 µs a file in a 5 GiB tree), fstatat on the directory only the last.
func statEntries(d *os.File, entries []os.DirEntry) []os.FileInfo {
	rc, err := d.SyscallConn()
	if err != nil {
		return nil
	}
	var out []os.FileInfo
	rc.Control(func(fd uintptr) {
		for i, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			var st unix.Stat_t
			if unix.Fstatat(int(fd), e.Name(), &st, unix.AT_SYMLINK_NOFOLLOW) != nil {
				continue // the caller asks again by path and reports why
			}
			if out == nil {
				out = make([]os.FileInfo, len(entries))
			}
			out[i] = newStatInfo(e.Name(), &st)
		}
	})
	return out
}

// statInfo is an os.FileInfo made from a unix.Stat_t.
type statInfo struct {
	name  string
	size  int64
	mode  os.FileMode
	mod   time.Time
	ident string // device:inode, as fileIdent gives it
	st    unix.Stat_t
}

func newStatInfo(name string, st *unix.Stat_t) *statInfo {
	return &statInfo{
		name:  name,
		size:  st.Size,
		mode:  fileMode(uint32(st.Mode)),
		mod:   time.Unix(st.Mtim.Unix()),
		ident: strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(uint64(st.Ino), 10),
		st:    *st,
	}
}

func (s *statInfo) Name() string       { return s.name }
func (s *statInfo) Size() int64        { return s.size }
func (s *statInfo) Mode() os.FileMode  { return s.mode }
func (s *statInfo) ModTime() time.Time { return s.mod }
func (s *statInfo) IsDir() bool        { return s.mode.IsDir() }
func (s *statInfo) Sys() any           { return &s.st }

// fileMode turns st_mode into an os.FileMode as the os package does.
func fileMode(m uint32) os.FileMode {
	mode := os.FileMode(m & 0o777)
	switch m & syscall.S_IFMT {
	case syscall.S_IFDIR:
		mode |= os.ModeDir
	case syscall.S_IFLNK:
		mode |= os.ModeSymlink
	case syscall.S_IFIFO:
		mode |= os.ModeNamedPipe
	case syscall.S_IFSOCK:
		mode |= os.ModeSocket
	case syscall.S_IFCHR:
		mode |= os.ModeDevice | os.ModeCharDevice
	case syscall.S_IFBLK:
		mode |= os.ModeDevice
	}
	if m&syscall.S_ISUID != 0 {
		mode |= os.ModeSetuid
	}
	if m&syscall.S_ISGID != 0 {
		mode |= os.ModeSetgid
	}
	if m&syscall.S_ISVTX != 0 {
		mode |= os.ModeSticky
	}
	return mode
}
