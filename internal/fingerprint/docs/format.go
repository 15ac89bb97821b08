package docs

import (
	"fmt"
	"os"
	"time"

	"github.com/leakguard/leakguard/internal/fingerprint/setfile"
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
// their deltas are one or two bytes. About 9.5 bytes per fingerprint. The
// framing (magic, checksum, atomic save) is setfile's.
var format = setfile.Format{Ext: ".docs", Magic: "LGDOCS01", What: "document"}

// limits on what a set file may claim, so a corrupt file fails cleanly.
const (
	maxPathLen = 1 << 16
	maxDocs    = 1 << 24
)

func setPath(dir, name string) string { return format.Path(dir, name) }

// encode writes the set's body, after the magic.
func (s *Set) encode(e *setfile.Encoder) {
	e.Uvarint(uint64(s.params.K))
	e.Uvarint(uint64(s.params.W))
	e.U64(s.keys.check)
	e.Uvarint(uint64(len(s.docs)))
	for _, d := range s.docs {
		e.String(d.path)
		e.Uvarint(uint64(d.version))
		e.Varint(d.registered.Unix())
		e.Uvarint(uint64(d.words))
		e.Uvarint(uint64(len(d.fps)))
		prev := uint32(0)
		for _, f := range d.fps {
			e.U64(f.hash)
			e.Uvarint(uint64(f.pos - prev))
			prev = f.pos
		}
	}
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

// decodeSet parses a set file. setfile.Decoder checks every count against
// the bytes left, so a damaged file is an error, never a huge allocation or
// a panic.
func decodeSet(b []byte, keys Keys) (*Set, error) {
	r, err := format.Decode(b)
	if err != nil {
		return nil, err
	}
	s := &Set{keys: keys}
	s.params.K = int(r.Uvarint(maxK))
	s.params.W = int(r.Uvarint(maxW))
	check := r.U64()
	n := r.Uvarint(maxDocs)
	if r.Err() != nil {
		return nil, r.Err()
	}
	if err := s.params.validate(); err != nil {
		return nil, err
	}
	if check != keys.check {
		return nil, setfile.ErrOtherKey
	}
	for i := uint64(0); i < n && r.Err() == nil; i++ {
		d := &document{}
		d.path = r.String(maxPathLen)
		d.version = int(r.Uvarint(1 << 31))
		d.registered = time.Unix(r.Varint(), 0).UTC()
		d.words = int64(r.Uvarint(1 << 62))
		nf := r.Uvarint(uint64(r.Left()) / 9) // each fingerprint takes at least 9 bytes
		d.fps = make([]fp, 0, nf)
		pos := uint64(0)
		for j := uint64(0); j < nf && r.Err() == nil; j++ {
			h := r.U64()
			pos += r.Uvarint(1 << 32)
			if pos > 1<<32-1 {
				r.Fail()
			}
			d.fps = append(d.fps, fp{hash: h, pos: uint32(pos)})
		}
		s.docs = append(s.docs, d)
	}
	if err := r.Finish(); err != nil {
		return nil, err
	}
	return s, nil
}
