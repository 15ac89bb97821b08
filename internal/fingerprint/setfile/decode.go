package setfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/leakguard/leakguard/internal/cursor"
)

// ErrCorrupt is the error for a set file that was damaged or truncated.
var ErrCorrupt = errors.New("corrupt set file")

// ErrOtherKey is the error for a set file made with another installation
// key: its hashes cannot match anything hashed with this one, so loading it
// would only hide the mistake.
var ErrOtherKey = errors.New("made with another installation key: its fingerprints cannot match (set LEAKGUARD_KEY or use the state directory it was registered with)")

// Decode checks b's magic and checksum and returns a Decoder over its body.
// A file of another kind or version is told apart from a damaged one, since
// the remedies differ.
func (f Format) Decode(b []byte) (*Decoder, error) {
	if len(b) < len(f.Magic)+4 || string(b[:len(f.Magic)]) != f.Magic {
		return nil, fmt.Errorf("not a %s set file (or an unsupported version)", f.What)
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crcTable()) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	return &Decoder{r: cursor.New(body[len(f.Magic):])}, nil
}

// Decoder reads a set file body. Every value read is checked against a
// bound and every length against the bytes left, so a damaged file (or one
// made to harm) gives ErrCorrupt, never a panic or a huge allocation. The
// first error sticks and later reads return zero values (cursor.Reader), so
// a parser can read a whole record and check Err once.
type Decoder struct {
	r cursor.Reader
}

// Err returns the first error met, or nil.
func (d *Decoder) Err() error {
	if d.r.Failed() {
		return ErrCorrupt
	}
	return nil
}

// Left returns the bytes not read yet: the bound for a count of records
// that each take at least some bytes, checked before allocating for them.
func (d *Decoder) Left() int { return d.r.Left() }

// Fail marks the body corrupt, for a value that decoded but makes no sense.
func (d *Decoder) Fail() { d.r.Fail() }

// Finish returns the first error, or ErrCorrupt if bytes are left over: a
// body longer than its counts say is damaged too.
func (d *Decoder) Finish() error {
	if d.r.Left() != 0 {
		d.r.Fail()
	}
	return d.Err()
}

// Uvarint reads an unsigned varint no greater than max.
func (d *Decoder) Uvarint(max uint64) uint64 {
	v := d.r.Uvarint()
	if v > max {
		d.r.Fail()
		return 0
	}
	return v
}

// Varint reads a signed varint.
func (d *Decoder) Varint() int64 { return d.r.Varint() }

// U64 reads 8 bytes, little-endian.
func (d *Decoder) U64() uint64 { return d.r.U64() }

// Bytes reads n bytes. The result aliases the file's bytes.
func (d *Decoder) Bytes(n uint64) []byte { return d.r.Bytes(n) }

// String reads what Encoder.String wrote, refusing a length over max.
func (d *Decoder) String(max uint64) string { return string(d.Bytes(d.Uvarint(max))) }
