package icap

import (
	"bytes"
	"io"
	"os"
)

// spoolMemory is how much of a body a spool holds in memory before it moves
// to a temporary file; small bodies, the common case, never touch the disk.
const spoolMemory = 64 << 10

// spool keeps a copy of the body bytes Check read, so that a message can be
// sent back unchanged to a proxy that does not take "204" after the preview.
// Memory stays bounded per connection: past spoolMemory it is a file.
type spool struct {
	dir  string
	mem  []byte
	f    *os.File
	size int64
}

func (s *spool) Write(p []byte) (int, error) {
	if s.f == nil && len(s.mem)+len(p) <= spoolMemory {
		s.mem = append(s.mem, p...)
		s.size += int64(len(p))
		return len(p), nil
	}
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, "leakguard-icap-*")
		if err != nil {
			return 0, err
		}
		s.f = f
		if _, err := f.Write(s.mem); err != nil {
			return 0, err
		}
		s.mem = nil
	}
	n, err := s.f.Write(p)
	s.size += int64(n)
	return n, err
}

// reader reads the spooled bytes from the start.
func (s *spool) reader() io.Reader {
	if s.f == nil {
		return bytes.NewReader(s.mem)
	}
	return io.NewSectionReader(s.f, 0, s.size)
}

// readAt reads spooled bytes from off, which is below size.
func (s *spool) readAt(p []byte, off int64) (int, error) {
	if s.f == nil {
		return copy(p, s.mem[off:]), nil
	}
	return s.f.ReadAt(p[:min(int64(len(p)), s.size-off)], off)
}

// reset empties the spool, keeping its memory and its file (truncated)
// for what comes next.
func (s *spool) reset() error {
	s.mem, s.size = s.mem[:0], 0
	if s.f == nil {
		return nil
	}
	if err := s.f.Truncate(0); err != nil {
		return err
	}
	_, err := s.f.Seek(0, io.SeekStart)
	return err
}

// close drops the copy and its file.
func (s *spool) close() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
	s.mem = nil
}
