package scancache

import (
	"encoding/binary"
	"hash/crc32"
	"maps"
	"math"
	"slices"

	"github.com/leakguard/leakguard/internal/finding"
)

// Flags of an encoded finding or item error.
const (
	flagSamePath = 1 << iota // Location.Path is the record's path and is not stored
	flagHexPrint             // the fingerprint is 32 lowercase hex digits, stored as 16 bytes
	flagMatch                // a finding.Match follows
	flagsKnown   = flagSamePath | flagHexPrint | flagMatch
)

// An encoder turns records into frames. A goroutine uses one at a time
// (Cache keeps a pool of them); its buffers and its string table are
// reused from record to record, so that a scan storing hundreds of
// thousands of records does not allocate for each.
type encoder struct {
	rec    []byte            // the record: head, string table, rest
	rest   []byte            // findings, errors and stats, written before the table is complete
	index  map[string]uint64 // a string → its place in the table
	strs   []string          // the table, in order
	prefix [binary.MaxVarintLen64 + 4]byte
	crc    *crc32.Table
}

func newEncoder() *encoder {
	return &encoder{index: map[string]uint64{}, crc: crc32.MakeTable(crc32.Castagnoli)}
}

// encode returns the frame of path's record in two pieces, the prefix
// (length and checksum) and the record, both valid until the next call.
// r.Findings' Secret is never written.
func (e *encoder) encode(path string, r *Record) (prefix, rec []byte) {
	e.reset()
	for i := range r.Findings {
		e.finding(&r.Findings[i], path)
	}
	return e.frame(path, r, len(r.Findings), r.Findings == nil)
}

// reset empties the string table and the findings written.
func (e *encoder) reset() {
	clear(e.index)
	e.strs = e.strs[:0]
	e.rest = e.rest[:0]
}

// frame finishes a record whose n findings (none and nil when isNil) are
// written since reset: it writes r's errors and stats after them, and
// returns the frame as encode does. The findings' count leads them in the
// record, but is known only now: it is written in front of them as the
// record is put together, which costs nothing, as the table goes in
// front of them all the same.
func (e *encoder) frame(path string, r *Record, n int, isNil bool) (prefix, rec []byte) {
	e.count(len(r.Errors), r.Errors == nil)
	for i := range r.Errors {
		e.itemError(&r.Errors[i], path)
	}
	e.stats(&r.Stats)

	b := appendString(e.rec[:0], path)
	b = binary.AppendVarint(b, r.Size)
	b = binary.AppendVarint(b, r.ModNS)
	b = appendString(b, r.Ident)
	b = appendString(b, r.Hash)
	// The table's lengths first and then its bytes in one block: a
	// decoder makes one string of the block and slices it.
	b = binary.AppendUvarint(b, uint64(len(e.strs)))
	for _, s := range e.strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
	}
	for _, s := range e.strs {
		b = append(b, s...)
	}
	if isNil {
		b = binary.AppendUvarint(b, 0)
	} else {
		b = binary.AppendUvarint(b, uint64(n)+1) // as count writes it
	}
	b = append(b, e.rest...)
	e.rec = b

	p := binary.AppendUvarint(e.prefix[:0], uint64(len(b)))
	p = binary.LittleEndian.AppendUint32(p, crc32.Checksum(b, e.crc))
	return p, b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func (e *encoder) uvarint(v uint64) { e.rest = binary.AppendUvarint(e.rest, v) }
func (e *encoder) varint(v int64)   { e.rest = binary.AppendVarint(e.rest, v) }

// count writes a slice's or map's length so that nil and empty stay
// apart: 0 is nil, n+1 is n elements.
func (e *encoder) count(n int, isNil bool) {
	if isNil {
		e.uvarint(0)
		return
	}
	e.uvarint(uint64(n) + 1)
}

// ref writes a string as its place in the record's table.
func (e *encoder) ref(s string) {
	i, ok := e.index[s]
	if !ok {
		i = uint64(len(e.strs))
		e.index[s] = i
		e.strs = append(e.strs, s)
	}
	e.uvarint(i)
}

func (e *encoder) refs(ss []string) {
	e.count(len(ss), ss == nil)
	for _, s := range ss {
		e.ref(s)
	}
}

func (e *encoder) finding(f *finding.Finding, path string) {
	var fl uint64
	if f.Location.Path == path {
		fl |= flagSamePath
	}
	if isHexPrint(f.Fingerprint) {
		fl |= flagHexPrint
	}
	if f.Match != nil {
		fl |= flagMatch
	}
	e.uvarint(fl)
	e.ref(f.Rule)
	e.ref(f.Name)
	e.ref(string(f.Kind))
	e.ref(f.Entity)
	e.varint(int64(f.Confidence))
	e.ref(string(f.Severity))
	e.location(&f.Location, fl&flagSamePath != 0)
	e.ref(f.Masked)
	if fl&flagHexPrint != 0 {
		var raw [16]byte
		for i := range raw {
			raw[i] = unhex(f.Fingerprint[2*i])<<4 | unhex(f.Fingerprint[2*i+1])
		}
		e.rest = append(e.rest, raw[:]...)
	} else {
		e.ref(f.Fingerprint)
	}
	if f.Match != nil {
		e.match(f.Match)
	}
}

// location writes l, its path only when it is not the record's. Ends are
// written as distances from starts: small numbers, short varints.
func (e *encoder) location(l *finding.Location, samePath bool) {
	if !samePath {
		e.ref(l.Path)
	}
	e.refs(l.Container)
	e.varint(int64(l.Line))
	e.varint(int64(l.Column))
	e.varint(int64(l.EndLine - l.Line))
	e.varint(int64(l.EndColumn))
	e.varint(l.Offset)
	e.varint(l.EndOffset - l.Offset)
}

func (e *encoder) match(m *finding.Match) {
	e.ref(m.Set)
	e.ref(m.Type)
	e.varint(m.Row)
	e.refs(m.Columns)
	e.ref(m.Document)
	e.varint(int64(m.Version))
	e.rest = binary.LittleEndian.AppendUint64(e.rest, math.Float64bits(m.Coverage))
	e.rest = binary.LittleEndian.AppendUint64(e.rest, math.Float64bits(m.Share))
	e.pairs(m.Spans)
	e.pairs(m.Parts)
	e.varint(m.Words)
	e.varint(m.Size)
	if m.Exact {
		e.uvarint(1)
	} else {
		e.uvarint(0)
	}
}

func (e *encoder) pairs(ps [][2]int64) {
	e.count(len(ps), ps == nil)
	for _, p := range ps {
		e.varint(p[0])
		e.varint(p[1] - p[0])
	}
}

func (e *encoder) itemError(ie *finding.ItemError, path string) {
	var fl uint64
	if ie.Location.Path == path {
		fl |= flagSamePath
	}
	e.uvarint(fl)
	e.location(&ie.Location, fl&flagSamePath != 0)
	e.ref(ie.Reason)
	e.ref(ie.Error)
}

func (e *encoder) stats(s *finding.Stats) {
	for _, v := range []int64{s.Items, s.Bytes, s.Findings, s.Errors, s.Deduped, s.Cached, s.DurationMS} {
		e.varint(v)
	}
	e.counts(s.Skipped)
	e.counts(s.Suppressed)
}

// counts writes a map in the order of its keys, so that a record always
// encodes to the same bytes.
func (e *encoder) counts(m map[string]int64) {
	e.count(len(m), m == nil)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.ref(k)
		e.varint(m[k])
	}
}

// isHexPrint tells whether a fingerprint is the keyed hash's usual form,
// 32 lowercase hex digits, which 16 bytes hold exactly.
func isHexPrint(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}
