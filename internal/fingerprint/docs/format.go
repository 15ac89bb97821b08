package docs

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
//	magic "LGDOCS01"
//	uvarint K, uvarint W, uint64 key check (little-endian), uvarint #docs
//	per document: uvarint len + path, uvarint version,
//	    varint registration time (Unix seconds), uvarint words,
//	    uvarint #fingerprints, then per fingerprint, in position order:
//	    uint64 hash (little-endian), uvarint position delta
//	uint32 CRC-32C of everything before it (little-endian)
//
// Hashes are pseudo-random so they are stored whole; positions ascend, so
// their deltas are one or two bytes. About 9.5 bytes per fingerprint.
const magic = "LGDOCS01"

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// limits on what a set file may claim, so a corrupt file fails cleanly.
const (
	maxPathLen = 1 << 16
	maxDocs    = 1 << 24
)

func encodeSet(w io.Writer, s *Set) error {
	crc := crc32.New(crcTable)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16)
	var tmp [binary.MaxVarintLen64]byte
	uv := func(v uint64) { bw.Write(tmp[:binary.PutUvarint(tmp[:], v)]) }
	u64 := func(v uint64) { binary.LittleEndian.PutUint64(tmp[:8], v); bw.Write(tmp[:8]) }
	bw.WriteString(magic)
	uv(uint64(s.params.K))
	uv(uint64(s.params.W))
	u64(s.keys.check)
	uv(uint64(len(s.docs)))
	for _, d := range s.docs {
		uv(uint64(len(d.path)))
		bw.WriteString(d.path)
		uv(uint64(d.version))
		bw.Write(tmp[:binary.PutVarint(tmp[:], d.registered.Unix())])
		uv(uint64(d.words))
		uv(uint64(len(d.fps)))
		prev := uint32(0)
		for _, f := range d.fps {
			u64(f.hash)
			uv(uint64(f.pos - prev))
			prev = f.pos
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(tmp[:4], crc.Sum32())
	_, err := w.Write(tmp[:4])
	return err
}

// loadSet reads the set name from dir.
func loadSet(dir, name string, keys Keys) (*Set, error) {
	b, err := os.ReadFile(setPath(dir, name))
	if err != nil {
		return nil, err
	}
	s, err := decodeSet(b, keys)
	if err != nil {
		return nil, fmt.Errorf("docs: set %s: %w", name, err)
	}
	s.dir, s.name = dir, name
	return s, nil
}

var errCorrupt = errors.New("corrupt set file")

// decodeSet parses a set file. Every count is checked against the bytes
// left, so a damaged file is an error, never a huge allocation or a panic.
func decodeSet(b []byte, keys Keys) (*Set, error) {
	if len(b) < len(magic)+4 || string(b[:len(magic)]) != magic {
		return nil, errors.New("not a document set file (or an unsupported version)")
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errCorrupt)
	}
	r := reader{b: body[len(magic):]}
	s := &Set{keys: keys}
	s.params.K = int(r.uvarint(maxK))
	s.params.W = int(r.uvarint(maxW))
	check := r.u64()
	n := r.uvarint(maxDocs)
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
		d := &document{}
		d.path = string(r.bytes(r.uvarint(maxPathLen)))
		d.version = int(r.uvarint(1 << 31))
		d.registered = time.Unix(r.varint(), 0).UTC()
		d.words = int64(r.uvarint(1 << 62))
		nf := r.uvarint(uint64(len(r.b)) / 9) // each fingerprint takes at least 9 bytes
		d.fps = make([]fp, 0, nf)
		pos := uint64(0)
		for j := uint64(0); j < nf && r.err == nil; j++ {
			h := r.u64()
			pos += r.uvarint(1 << 32)
			if pos > 1<<32-1 {
				r.fail()
			}
			d.fps = append(d.fps, fp{hash: h, pos: uint32(pos)})
		}
		s.docs = append(s.docs, d)
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
