package milter

import (
	"bytes"
	"errors"
	"io"
	"os"
)

// spoolMemory is how much of a message a spool keeps in memory before it
// moves to a temporary file: most mail is smaller and never touches the
// disk, and a large one costs a file descriptor, not memory.
const spoolMemory = 64 << 10

// errTooLarge says a message grew past the server's MaxBytes.
var errTooLarge = errors.New("milter: message larger than MaxBytes")

// spool holds one message, as received, until it is checked.
type spool struct {
	dir   string // where the temporary file goes; "" is os.TempDir()
	limit int64  // bytes accepted at most
	mem   []byte
	f     *os.File
	name  string // the file's name while it still needs removing
	size  int64
}

// Write appends p, or fails with errTooLarge without writing any of p when
// p would take the spool past its limit.
func (s *spool) Write(p []byte) (int, error) {
	if s.size+int64(len(p)) > s.limit {
		return 0, errTooLarge
	}
	if s.f == nil && len(s.mem)+len(p) <= spoolMemory {
		s.mem = append(s.mem, p...)
		s.size += int64(len(p))
		return len(p), nil
	}
	if s.f == nil {
		if err := s.toFile(); err != nil {
			return 0, err
		}
	}
	n, err := s.f.Write(p)
	s.size += int64(n)
	return n, err
}

// toFile moves the bytes held in memory into a new temporary file.
func (s *spool) toFile() error {
	f, err := os.CreateTemp(s.dir, "leakguard-milter-*")
	if err != nil {
		return err
	}
	// A mail may hold exactly what we look for: unlink the file at once
	// where the system allows it, so that no copy outlives the process.
	if os.Remove(f.Name()) != nil {
		s.name = f.Name()
	}
	s.f = f
	if _, err := f.Write(s.mem); err != nil {
		return err
	}
	s.mem = nil
	return nil
}

// reader reads the whole message from the start; it stays valid until
// close.
func (s *spool) reader() io.Reader {
	if s.f == nil {
		return bytes.NewReader(s.mem)
	}
	return io.NewSectionReader(s.f, 0, s.size)
}

// close drops the message and its file. It may be called more than once.
func (s *spool) close() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	if s.name != "" {
		os.Remove(s.name)
		s.name = ""
	}
	s.mem = nil
}
