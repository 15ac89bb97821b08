package cursor

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

// TestRoundTrip reads back what encoding/binary wrote, values at the edges
// of each varint length included.
func TestRoundTrip(t *testing.T) {
	us := []uint64{0, 1, 0x7f, 0x80, 0x3fff, 0x4000, math.MaxUint32, math.MaxUint64}
	is := []int64{0, -1, 1, -64, 64, math.MinInt64, math.MaxInt64}
	var b []byte
	for _, u := range us {
		b = binary.AppendUvarint(b, u)
	}
	for _, i := range is {
		b = binary.AppendVarint(b, i)
	}
	b = binary.LittleEndian.AppendUint64(b, 0x0102030405060708)
	b = append(b, "tail"...)
	r := New(b)
	for _, want := range us {
		if got := r.Uvarint(); got != want {
			t.Errorf("Uvarint %d, want %d", got, want)
		}
	}
	for _, want := range is {
		if got := r.Varint(); got != want {
			t.Errorf("Varint %d, want %d", got, want)
		}
	}
	if got := r.U64(); got != 0x0102030405060708 {
		t.Errorf("U64 %#x", got)
	}
	if r.Left() != 4 || !bytes.Equal(r.Rest(), []byte("tail")) {
		t.Errorf("left %d %q", r.Left(), r.Rest())
	}
	p := r.Bytes(4)
	if string(p) != "tail" || cap(p) != 4 || r.Failed() || r.Left() != 0 {
		t.Errorf("Bytes %q cap %d, failed %v, left %d", p, cap(p), r.Failed(), r.Left())
	}
}

// TestFailureSticks checks that a bad read empties the reader and that
// every read after it returns zero, whatever bytes were left.
func TestFailureSticks(t *testing.T) {
	for name, read := range map[string]func(*Reader){
		"bytes past the end":   func(r *Reader) { r.Bytes(100) },
		"u64 past the end":     func(r *Reader) { r.Bytes(uint64(r.Left() - 3)); r.U64() },
		"varint over 64 bits":  func(r *Reader) { *r = New(append(bytes.Repeat([]byte{0xff}, 10), 1, 5, 5)); r.Uvarint() },
		"varint cut short":     func(r *Reader) { *r = New([]byte{0x80, 0x80}); r.Uvarint() },
		"fail after good read": func(r *Reader) { r.Uvarint(); r.Fail() },
	} {
		r := New([]byte{5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
		read(&r)
		if !r.Failed() || r.Left() != 0 {
			t.Errorf("%s: failed %v, %d bytes left", name, r.Failed(), r.Left())
		}
		if r.Uvarint() != 0 || r.Varint() != 0 || r.U64() != 0 || r.Bytes(1) != nil || !r.Failed() {
			t.Errorf("%s: a read after the failure returned a value", name)
		}
	}
}
