// Package cursor reads the compact binary encodings of leakguard's state
// files (varints, little-endian words, length-prefixed bytes) from memory.
// The scan cache and the registered sets' files are both read with it.
//
// A Reader's failure is sticky: the first bad read empties what is left,
// and every later read returns zero. A parser reads a whole record and
// checks Failed once, and no count read from damaged bytes can drive a
// loop or an allocation.
package cursor

import "encoding/binary"

// Reader reads b from the start.
type Reader struct {
	b   []byte
	bad bool
}

// New returns a Reader over b; what it returns aliases b.
func New(b []byte) Reader { return Reader{b: b} }

// Fail marks the bytes bad, for a value that decoded but makes no sense.
func (r *Reader) Fail() { r.bad, r.b = true, nil }

// Failed reports whether a read failed or Fail was called.
func (r *Reader) Failed() bool { return r.bad }

// Left returns how many bytes are not read yet: the bound for a count of
// elements that each take at least a byte, checked before allocating.
func (r *Reader) Left() int { return len(r.b) }

// Rest returns the bytes not read yet.
func (r *Reader) Rest() []byte { return r.b }

// Uvarint reads what binary.AppendUvarint wrote.
func (r *Reader) Uvarint() uint64 {
	if len(r.b) > 0 && r.b[0] < 0x80 { // most are: small counts, flags, lengths
		v := r.b[0]
		r.b = r.b[1:]
		return uint64(v)
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Varint reads what binary.AppendVarint wrote: zig-zag over a uvarint.
func (r *Reader) Varint() int64 {
	u := r.Uvarint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

// U64 reads 8 bytes, little-endian.
func (r *Reader) U64() uint64 {
	if len(r.b) < 8 {
		r.Fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

// Bytes reads n bytes. The result aliases the Reader's bytes, with no
// room past its end: appending to it copies.
func (r *Reader) Bytes(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.Fail()
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}
