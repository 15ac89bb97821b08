package media

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"

	"github.com/restic/chunker"
)

// chunk is one content-defined chunk: its keyed hash, where it starts in
// the stream, its length, and whether it is one byte repeated (flat).
type chunk struct {
	sum  sum
	off  int64
	n    uint32
	flat bool
}

// sum is a keyed 128-bit chunk hash; the first word is never 0, which
// marks an empty slot in the index's table.
type sum [2]uint64

// chunkReader cuts streams into chunks. It holds the chunker's buffers,
// so one is reused stream after stream; it is not safe for concurrent use.
type chunkReader struct {
	keys   Keys
	params Params
	c      *chunker.Chunker
	buf    []byte
	mac    hash.Hash
	tmp    [sha256.Size]byte
}

func newChunkReader(keys Keys, p Params) *chunkReader {
	return &chunkReader{keys: keys, params: p, mac: hmac.New(sha256.New, keys.hmac[:])}
}

// each cuts r into chunks, calling fn for each in order, and returns the
// number of bytes read.
func (cr *chunkReader) each(r io.Reader, fn func(chunk)) (int64, error) {
	if cr.c == nil {
		cr.c = chunker.NewWithBoundaries(r, cr.keys.pol, cr.params.MinSize, cr.params.MaxSize)
	} else {
		cr.c.ResetWithBoundaries(r, cr.keys.pol, cr.params.MinSize, cr.params.MaxSize)
	}
	cr.c.SetAverageBits(cr.params.AverageBits) // after Reset, which restores the default
	var total int64
	for {
		c, err := cr.c.Next(cr.buf)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		cr.buf = c.Data[:0]
		d := c.Data
		fn(chunk{sum: cr.hash(d), off: total, n: uint32(len(d)), flat: bytes.Equal(d[1:], d[:len(d)-1])})
		total += int64(len(d))
	}
}

func (cr *chunkReader) hash(d []byte) sum {
	cr.mac.Reset()
	cr.mac.Write(d)
	b := cr.mac.Sum(cr.tmp[:0])
	s := sum{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])}
	if s[0] == 0 {
		s[0] = 1
	}
	return s
}
