package media

import (
	"fmt"
	"os"
	"time"

	"github.com/leakguard/leakguard/internal/fingerprint/setfile"
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
// About 19 bytes per chunk: 0.02% of the registered bytes by default. The
// framing (magic, checksum, atomic save) is setfile's.
var format = setfile.Format{Ext: ".media", Magic: "LGMEDIA1", What: "media"}

const (
	maxNameLen = 1 << 16
	maxFiles   = 1 << 24
)

func setPath(dir, name string) string { return format.Path(dir, name) }

// encode writes the set's body, after the magic.
func (s *Set) encode(e *setfile.Encoder) {
	e.Uvarint(uint64(s.params.MinSize))
	e.Uvarint(uint64(s.params.MaxSize))
	e.Uvarint(uint64(s.params.AverageBits))
	e.U64(s.keys.check)
	e.Uvarint(uint64(len(s.files)))
	for _, f := range s.files {
		e.String(f.name)
		e.Uvarint(uint64(f.version))
		e.Varint(f.registered.Unix())
		e.Uvarint(uint64(f.size))
		e.Uvarint(uint64(f.nchunks))
		e.Uvarint(uint64(f.flat))
		e.Uvarint(uint64(len(f.chunks)))
		for _, c := range f.chunks {
			e.U64(c.sum[0])
			e.U64(c.sum[1])
			e.Uvarint(uint64(c.n))
		}
	}
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

// decodeSet parses a set file; setfile.Decoder checks every count against
// the bytes left, so damage is an error, never a panic or a huge
// allocation.
func decodeSet(b []byte, keys Keys) (*Set, error) {
	r, err := format.Decode(b)
	if err != nil {
		return nil, err
	}
	s := &Set{keys: keys}
	s.params.MinSize = uint(r.Uvarint(1 << 32))
	s.params.MaxSize = uint(r.Uvarint(1 << 32))
	s.params.AverageBits = int(r.Uvarint(64))
	check := r.U64()
	n := r.Uvarint(maxFiles)
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
		f := &file{}
		f.name = r.String(maxNameLen)
		f.version = int(r.Uvarint(1 << 31))
		f.registered = time.Unix(r.Varint(), 0).UTC()
		f.size = int64(r.Uvarint(1 << 62))
		f.nchunks = int(r.Uvarint(1 << 40))
		f.flat = int64(r.Uvarint(uint64(f.size)))
		nc := r.Uvarint(uint64(r.Left()) / 17) // each chunk takes at least 17 bytes
		f.chunks = make([]chunkRec, 0, nc)
		for j := uint64(0); j < nc && r.Err() == nil; j++ {
			c := chunkRec{sum: sum{r.U64(), r.U64()}, n: uint32(r.Uvarint(1 << 32))}
			if c.sum[0] == 0 || c.n == 0 {
				r.Fail()
			}
			f.chunks = append(f.chunks, c)
		}
		s.files = append(s.files, f)
	}
	if err := r.Finish(); err != nil {
		return nil, err
	}
	return s, nil
}
