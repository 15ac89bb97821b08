package media

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"time"
)

// A set file is:
//
//	magic "LGMEDIA1"
//	uvarint MinSize, MaxSize, AverageBits; uint64 key check; uvarint #files
//	per file: uvarint len + name, uvarint version, varint registration
//	    time (Unix seconds), uvarint size, uvarint chunk count, uvarint
//	    flat bytes, uvarint #indexed chunks, then per chunk: 16-byte hash,
//	    uvarint length
//	uint32 CRC-32C of everything before it (little-endian)
//
// About 19 bytes per chunk: 0.02% of the registered bytes by default.
const magic = "LGMEDIA1"

var crcTable = crc32.MakeTable(crc32.Castagnoli)

const (
	maxNameLen = 1 << 16
	maxFiles   = 1 << 24
)

func encodeSet(w io.Writer, s *Set) error {
	crc := crc32.New(crcTable)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16)
	var tmp [binary.MaxVarintLen64]byte
	uv := func(v uint64) { bw.Write(tmp[:binary.PutUvarint(tmp[:], v)]) }
	u64 := func(v uint64) { binary.LittleEndian.PutUint64(tmp[:8], v); bw.Write(tmp[:8]) }
	bw.WriteString(magic)
	uv(uint64(s.params.MinSize))
	uv(uint64(s.params.MaxSize))
	uv(uint64(s.params.AverageBits))
	u64(s.keys.check)
	uv(uint64(len(s.files)))
	for _, f := range s.files {
		uv(uint64(len(f.name)))
		bw.WriteString(f.name)
		uv(uint64(f.version))
		bw.Write(tmp[:binary.PutVarint(tmp[:], f.registered.Unix())])
		uv(uint64(f.size))
		uv(uint64(f.nchunks))
		uv(uint64(f.flat))
		uv(uint64(len(f.chunks)))
		for _, c := range f.chunks {
			u64(c.sum[0])
			u64(c.sum[1])
			uv(uint64(c.n))
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(tmp[:4], crc.Sum32())
	_, err := w.Write(tmp[:4])
	return err
}

func loadSet(dir, name string, keys Keys) (*Set, error) {
	b, err := os.ReadFile(setPath(dir, name))
	if err != nil {
		return nil, err
	}
	s, err := decodeSet(b, keys)
	if err != nil {
		return nil, fmt.Errorf("media: set %s: %w", name, err)
	}
	s.dir, s.name = dir, name
	return s, nil
}

var errCorrupt = errors.New("corrupt set file")

// decodeSet parses a set file; every count is checked against the bytes
// left, so damage is an error, never a panic or a huge allocation.
func decodeSet(b []byte, keys Keys) (*Set, error) {
	if len(b) < len(magic)+4 || string(b[:len(magic)]) != magic {
		return nil, errors.New("not a media set file (or an unsupported version)")
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errCorrupt)
	}
	r := reader{b: body[len(magic):]}
	s := &Set{keys: keys}
	s.params.MinSize = uint(r.uvarint(1 << 32))
	s.params.MaxSize = uint(r.uvarint(1 << 32))
	s.params.AverageBits = int(r.uvarint(64))
	check := r.u64()
	n := r.uvarint(maxFiles)
	if r.err != nil {
		return nil, r.err
	}
	if err := s.params.validate(); err != nil {
		return nil, err
	}
	if check != keys.check {
		return nil, errors.New("made with another installation key: its fingerprints cannot match (set LEAKGUARD_KEY or use the state directory it was registered with)")
	}
	for i := uint64(0); i < n && r.err == nil; i++ {
		f := &file{}
		f.name = string(r.bytes(r.uvarint(maxNameLen)))
		f.version = int(r.uvarint(1 << 31))
		f.registered = time.Unix(r.varint(), 0).UTC()
		f.size = int64(r.uvarint(1 << 62))
		f.nchunks = int(r.uvarint(1 << 40))
		f.flat = int64(r.uvarint(uint64(f.size)))
		nc := r.uvarint(uint64(len(r.b)) / 17) // each chunk takes at least 17 bytes
		f.chunks = make([]chunkRec, 0, nc)
		for j := uint64(0); j < nc && r.err == nil; j++ {
			c := chunkRec{sum: sum{r.u64(), r.u64()}, n: uint32(r.uvarint(1 << 32))}
			if c.sum[0] == 0 || c.n == 0 {
				r.fail()
			}
			f.chunks = append(f.chunks, c)
		}
		s.files = append(s.files, f)
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail()
	}
	if r.err != nil {
		return nil, r.err
	}
	return s, nil
}

// reader decodes a set file body; the first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errCorrupt
	}
	r.b = nil
}

func (r *reader) uvarint(max uint64) uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > max {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if uint64(len(r.b)) < n {
		r.fail()
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}
