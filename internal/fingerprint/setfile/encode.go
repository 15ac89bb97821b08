package setfile

import (
	"bufio"
	"encoding/binary"
	"hash/crc32"
	"io"
)

// crcTable is Castagnoli's polynomial, which processors compute in
// hardware. hash/crc32 builds that table once and hands back the same one,
// so asking each time costs nothing and the package keeps no state.
func crcTable() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// Encoder writes a set file's body. Integers are little-endian; lengths and
// counts are uvarints, as they are mostly small. Write errors are kept by
// the buffer and returned by Encode, so body functions need not check each
// write.
type Encoder struct {
	w   *bufio.Writer
	tmp [binary.MaxVarintLen64]byte
}

// Encode writes to w the magic, what body writes, and the CRC-32C of all
// of it (little-endian).
func (f Format) Encode(w io.Writer, body func(*Encoder)) error {
	crc := crc32.New(crcTable())
	e := &Encoder{w: bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16)}
	e.w.WriteString(f.Magic)
	body(e)
	if err := e.w.Flush(); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(e.tmp[:4], crc.Sum32())
	_, err := w.Write(e.tmp[:4])
	return err
}

// Uvarint writes v as an unsigned varint.
func (e *Encoder) Uvarint(v uint64) { e.w.Write(e.tmp[:binary.PutUvarint(e.tmp[:], v)]) }

// Varint writes v as a signed (zigzag) varint.
func (e *Encoder) Varint(v int64) { e.w.Write(e.tmp[:binary.PutVarint(e.tmp[:], v)]) }

// U64 writes v in 8 bytes: for hashes, which are pseudo-random, so a varint
// would only make them longer.
func (e *Encoder) U64(v uint64) {
	binary.LittleEndian.PutUint64(e.tmp[:8], v)
	e.w.Write(e.tmp[:8])
}

// String writes s as its length (a uvarint) then its bytes.
func (e *Encoder) String(s string) {
	e.Uvarint(uint64(len(s)))
	e.w.WriteString(s)
}
