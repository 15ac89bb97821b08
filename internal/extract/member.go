package extract

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
)

// memberMemory is how much of a member readMember holds in memory; the
// rest it reads ahead, up to the dedup limit, goes to a temporary file
// (mode 0600 in the system's temporary directory, removed once the member
// is scanned, as the spool of other extractors).
// Reading ahead is what lets a member of unknown length (a gzip or bzip2
// stream) be hashed for dedup and a small bomb be refused before a byte of
// it is scanned, but held in memory it cost DedupMax per worker: on the
// benchmark corpus two workers each holding 32 MiB of a large bzip2 stream
// lifted the live heap past the point where the soft memory limit is
// raised (see main): the most it held after a collection in a recorded
// first scan was 141-148 MiB, and the scan peaked at 243-245 MiB resident
// (3 runs); holding 8 MiB, 131-134 and 205, 206, 244.
const memberMemory = 8 << 20

// heldMember is a member read ahead by readMember: its first bytes in
// memory (pooled blocks, or one buffer once joined), past memberMemory the
// rest in a temporary file.
type heldMember struct {
	blocks [][]byte
	joined []byte // several blocks as one, once whole asked for it
	mem    int64  // bytes in blocks or joined
	file   *os.File
	onDisk int64 // bytes in file
}

// readMember reads up to limit+1 bytes of a member whose declared size is
// size (-1 when unknown). A member that fits in the first block, sized up
// front for it (a declared size is the archive's word, so capped at
// presize), is held in that block: growing a slice by doubling cost a
// tenth of a scan of archives full of small members in allocation and
// clearing alone. A longer one is read in blocks (pooled, growing from 64
// KiB to presize: a stream of unknown length is most often small, and a 4
// MiB block for each was most of the bytes a scan of the Go tree's
// archives allocated), past memberMemory into a temporary file. More than
// limit bytes tells the caller to read the member through (reader, then
// the rest of r); else it is read whole (whole, sum). The caller releases
// the member when nothing reads it any more.
func readMember(r io.Reader, size, limit int64) (*heldMember, error) {
	lr := io.LimitReader(r, limit+1)
	first := memberBuffer(int(min(max(size, 0), limit, presize) + bytes.MinRead))
	n, done, err := fill(lr, first)
	h := &heldMember{blocks: [][]byte{first[:n]}, mem: int64(n)}
	next := 64 << 10
	for !done && h.mem < memberMemory {
		b := memberBuffer(next)
		next = min(2*next, presize)
		n, done, err = fill(lr, b)
		if n > 0 {
			h.blocks = append(h.blocks, b[:n])
			h.mem += int64(n)
		} else {
			releaseMember(b)
		}
	}
	if done {
		return h, err
	}
	f, ferr := os.CreateTemp("", "leakguard-member-*")
	if ferr != nil {
		// No room on disk: the rest in memory, as it was held before.
		for !done {
			b := memberBuffer(presize)
			n, done, err = fill(lr, b)
			h.blocks = append(h.blocks, b[:n])
			h.mem += int64(n)
		}
		return h, err
	}
	h.file = f
	buf := memberBuffer(presize)
	defer releaseMember(buf)
	for !done {
		n, done, err = fill(lr, buf[:presize])
		if _, werr := f.Write(buf[:n]); werr != nil && err == nil {
			err = werr
			done = true
		}
		h.onDisk += int64(n)
	}
	return h, err
}

// size is how many bytes were read.
func (h *heldMember) size() int64 { return h.mem + h.onDisk }

// reader reads the member through, once: for a member past the dedup
// limit, followed by the rest of its stream. The blocks go with it, out of
// the pool, each dropped once read, as the rest of a long stream is
// scanned.
func (h *heldMember) reader() io.Reader {
	rs := make([]io.Reader, 0, len(h.blocks)+1)
	for _, b := range h.blocks {
		rs = append(rs, bytes.NewReader(b))
	}
	h.blocks = nil
	if h.file != nil {
		rs = append(rs, io.NewSectionReader(h.file, 0, h.onDisk))
	}
	return io.MultiReader(rs...)
}

// whole returns a reader of the member from its start, the same as one
// for random access, and its size. Held in memory alone, the member is
// one buffer (its blocks joined), read as a bytes.Reader: io.Copy then
// hands it on in one write. Partly in a file, its blocks are read where
// they are: joined, they would be held twice for a moment.
func (h *heldMember) whole() (io.Reader, io.ReaderAt, int64) {
	if h.file == nil {
		br := bytes.NewReader(h.memory())
		return br, br, h.mem
	}
	at := &spliced{blocks: h.blocks, file: h.file}
	return io.NewSectionReader(at, 0, h.size()), at, h.size()
}

// memory joins the blocks into one buffer (the first block itself when it
// is the only one) and hands the others back to their pool.
func (h *heldMember) memory() []byte {
	if len(h.blocks) == 1 {
		return h.blocks[0]
	}
	if h.joined == nil {
		h.joined = make([]byte, 0, h.mem)
		for _, b := range h.blocks {
			h.joined = append(h.joined, b...)
			releaseMember(b)
		}
		h.blocks = nil
	}
	return h.joined
}

// sum is the SHA-256 of the member, for dedup.
func (h *heldMember) sum() ([32]byte, error) {
	d := sha256.New()
	d.Write(h.joined) // nil unless the blocks were joined
	for _, b := range h.blocks {
		d.Write(b)
	}
	if h.file != nil {
		if _, err := io.Copy(d, io.NewSectionReader(h.file, 0, h.onDisk)); err != nil {
			return [32]byte{}, err
		}
	}
	var out [32]byte
	d.Sum(out[:0])
	return out, nil
}

// release hands the member's buffers back and removes its file.
func (h *heldMember) release() {
	for _, b := range h.blocks {
		releaseMember(b)
	}
	if h.joined != nil {
		releaseMember(h.joined) // pooled if its size is a class's
	}
	h.blocks, h.joined = nil, nil
	if h.file != nil {
		h.file.Close()
		os.Remove(h.file.Name())
		h.file = nil
	}
}

// spliced is a member's blocks in memory followed by its file, for random
// access.
type spliced struct {
	blocks [][]byte
	file   *os.File
}

func (s *spliced) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for _, b := range s.blocks {
		if n == len(p) {
			return n, nil
		}
		if off >= int64(len(b)) {
			off -= int64(len(b))
			continue
		}
		k := copy(p[n:], b[off:])
		n += k
		off = 0
	}
	if n == len(p) {
		return n, nil
	}
	m, err := s.file.ReadAt(p[n:], off)
	return n + m, err
}

// fill reads into b until it is full or r ends: done when r ended (at
// io.EOF, which is not an error, or at another error, returned).
func fill(r io.Reader, b []byte) (n int, done bool, err error) {
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err == io.EOF {
			return n, true, nil
		}
		if err != nil {
			return n, true, err
		}
	}
	return n, false, nil
}
