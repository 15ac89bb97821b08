package main

import (
	"bytes"
	"math/rand/v2"
	"strconv"
)

// doc is one generated file being built in memory: its bytes, its own random
// source, and the planted values recorded as they are appended. Generators
// write whole lines; plant records where a value starts so that the manifest
// can name its line, column and byte range without a second pass.
type doc struct {
	path    string // slash-separated, relative to the output directory
	buf     []byte
	r       *rand.Rand
	planted []Planted

	// line counting is lazy: newlines between counted and len(buf) are not
	// yet added to line.
	line    int
	counted int
}

// newDoc starts a document in buf's storage, or in a new buffer when buf
// is too small for sizeHint.
func newDoc(path string, r *rand.Rand, sizeHint int, buf []byte) *doc {
	if cap(buf) < sizeHint+64<<10 {
		buf = make([]byte, 0, sizeHint+64<<10)
	}
	return &doc{path: path, r: r, buf: buf[:0], line: 1}
}

func (d *doc) s(v string) { d.buf = append(d.buf, v...) }

func (d *doc) b(c byte) { d.buf = append(d.buf, c) }

func (d *doc) nl() { d.buf = append(d.buf, '\n') }

func (d *doc) int(n int) { d.buf = strconv.AppendInt(d.buf, int64(n), 10) }

// pad writes n in decimal with at least width digits.
func (d *doc) pad(n, width int) {
	var tmp [20]byte
	t := strconv.AppendInt(tmp[:0], int64(n), 10)
	for i := len(t); i < width; i++ {
		d.buf = append(d.buf, '0')
	}
	d.buf = append(d.buf, t...)
}

// hex writes n random lower-case hexadecimal digits.
func (d *doc) hex(n int) {
	const digits = "0123456789abcdef"
	for n > 0 {
		x := d.r.Uint64()
		for i := 0; i < 16 && n > 0; i, n = i+1, n-1 {
			d.buf = append(d.buf, digits[x&15])
			x >>= 4
		}
	}
}

// uuid writes a random version-4 UUID.
func (d *doc) uuid() {
	d.hex(8)
	d.b('-')
	d.hex(4)
	d.s("-4")
	d.hex(3)
	d.b('-')
	d.b("89ab"[d.r.IntN(4)])
	d.hex(3)
	d.b('-')
	d.hex(12)
}

// money writes an amount with two decimals between lo and hi.
func (d *doc) money(lo, hi int) {
	d.int(lo + d.r.IntN(hi-lo+1))
	d.b('.')
	d.pad(d.r.IntN(100), 2)
}

// plant appends value and records it in the manifest under kind.
func (d *doc) plant(kind, value string) {
	off := len(d.buf)
	d.line += bytes.Count(d.buf[d.counted:off], []byte{'\n'})
	d.counted = off
	col := off - (bytes.LastIndexByte(d.buf[:off], '\n') + 1) + 1
	d.buf = append(d.buf, value...)
	d.planted = append(d.planted, Planted{
		File: d.path, Line: d.line, Col: col,
		Offset: off, End: off + len(value), Kind: kind, Value: value,
	})
}

// pick returns a random element of list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }
