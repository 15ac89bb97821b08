package fs

import "io"

// sizedFile is a regular file read up to the size it had when it was
// opened: a read past that size says EOF without asking the kernel, and
// EOF once said stays said. Each file's end cost three reads that
// returned nothing (the type sniffer's buffer and the engine's chunk
// asking again after EOF, as bufio and io.ReadFull do), a system call
// each: 66,000 on the benchmark corpus, where a system call in a virtual
// machine costs microseconds. A file that grows while it is read is read
// as it was when opened, as a snapshot of it should be.
type sizedFile struct {
	f    file
	left int64 // bytes up to the size at open; -1 when unknown
	eof  bool
}

// file is an open regular file: a descriptor read with plain system calls
// on Unix (rawFile), an *os.File elsewhere.
type file interface {
	io.Reader
	io.ReaderAt
	io.Closer
}

// newSizedFile reads f up to size; a size of 0 is taken as unknown (files
// of /proc and the like say 0 and hold text).
func newSizedFile(f file, size int64) *sizedFile {
	if size <= 0 {
		size = -1
	}
	return &sizedFile{f: f, left: size}
}

func (s *sizedFile) Read(p []byte) (int, error) {
	if s.eof || s.left == 0 {
		s.eof = true
		return 0, io.EOF
	}
	if s.left > 0 && int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.f.Read(p)
	if s.left > 0 {
		s.left -= int64(n)
	}
	if err == io.EOF {
		s.eof = true
	}
	return n, err
}

// ReadAt reads the file at off, for formats read by random access (a zip's
// directory).
func (s *sizedFile) ReadAt(p []byte, off int64) (int, error) { return s.f.ReadAt(p, off) }

func (s *sizedFile) Close() error { return s.f.Close() }
