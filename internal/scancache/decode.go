package scancache

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

var errDamaged = errors.New("damaged record")

// The fewest bytes an encoded element can take, to bound a count read
// from the file by what is left of the record before allocating for it.
const (
	minFinding = 16 // flags, 6 fields, location (7), masked, fingerprint
	minError   = 10 // flags, location (7), reason, error
	minPair    = 2
	minCount   = 2 // a map entry: key, value
)

// A decoder reads one record. Errors are sticky: the first bad field
// empties what is left, every later read returns zero, and done reports
// errDamaged; so that no read needs its own check and no count read from
// a damaged record can drive a loop or an allocation.
type decoder struct {
	b    []byte
	bad  bool
	strs []string // the record's string table

	// in, when set, gives the table's strings one copy for the whole
	// cache; else the table is one allocation of the record's own.
	in *interner
	// dry checks findings without making them: a check before a replay
	// (see Replay). The hex digits of their fingerprints, though, go to
	// hexs if there is one, for the replay to take as hexed: made on the
	// worker that recalls, not on the one every finding waits for.
	dry bool
	// hexed, when useHexed, holds the hex digits of the fingerprints still
	// to come, in order.
	hexed    string
	useHexed bool
	// hexs holds the hex digits of the fingerprints that records hold
	// as bytes: each fingerprint is a slice of it. It only grows, so that
	// what it handed out stays valid; a full one is replaced.
	hexs *strings.Builder
}

// hexArena is how many bytes of hex digits a decoder allocates at a time:
// a thousand fingerprints, from as many records as it takes.
const hexArena = 32 << 10

func (d *decoder) fail() {
	d.bad, d.b = true, nil
}

func (d *decoder) uvarint() uint64 {
	if len(d.b) > 0 && d.b[0] < 0x80 { // most are: table places, flags, short lengths
		v := d.b[0]
		d.b = d.b[1:]
		return uint64(v)
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// varint reads what binary.AppendVarint wrote: zig-zag over uvarint.
func (d *decoder) varint() int64 {
	u := d.uvarint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

// str reads a string written in place (not in the table), as its bytes.
func (d *decoder) str() []byte { return d.bytes(d.uvarint()) }

// count reads what encoder.count wrote: the length of a slice or map
// whose elements take at least min bytes each, and whether it is nil.
func (d *decoder) count(min int) (n int, isNil bool) {
	v := d.uvarint()
	if v == 0 {
		return 0, true
	}
	if v-1 > uint64(len(d.b)/min) {
		d.fail()
		return 0, true
	}
	return int(v - 1), false
}

func (d *decoder) ref() string {
	i := d.uvarint()
	if i >= uint64(len(d.strs)) {
		d.fail()
		return ""
	}
	return d.strs[i]
}

func (d *decoder) refs() []string {
	n, isNil := d.count(1)
	if isNil {
		return nil
	}
	if d.dry {
		for range n {
			d.ref()
		}
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.ref()
	}
	return ss
}

// head is the part of a record a lookup compares before it decodes the
// rest. Its byte slices point into the record.
type head struct {
	path, ident, hash []byte
	size, modNS       int64
}

// readHead reads a record's head and leaves the decoder at its table.
func (d *decoder) readHead() head {
	var h head
	h.path = d.str()
	h.size = d.varint()
	h.modNS = d.varint()
	h.ident = d.str()
	h.hash = d.str()
	return h
}

// readRest reads the rest of a record (after readHead) into r. Its
// strings come from the interner, or else are slices of one allocation
// of the table's bytes; fingerprints held as bytes are slices of the
// hex arena; path is the record's path, given by the caller so that
// Location.Path costs nothing.
func (d *decoder) readRest(path string, r *Record) error {
	d.readTable()
	if n, isNil := d.count(minFinding); !isNil {
		r.Findings = make([]finding.Finding, n)
		if d.hexs == nil {
			d.hexs = new(strings.Builder)
			d.hexs.Grow(32 * n)
		}
		for i := range r.Findings {
			d.finding(&r.Findings[i], path)
		}
	}
	return d.readEnd(path, r)
}

// readTable reads a record's string table (after readHead) into d.strs.
func (d *decoder) readTable() {
	n := d.uvarint()
	if n > uint64(len(d.b)) { // each length takes a byte at least
		d.fail()
		return
	}
	lens := d.b // read twice: to bound the block, then to cut it
	total := uint64(0)
	for range n {
		l := d.uvarint()
		if l > uint64(len(d.b)) || total+l > uint64(len(d.b)) { // total cannot wrap
			d.fail()
			return
		}
		total += l
	}
	lens = lens[:len(lens)-len(d.b)]
	tab := d.bytes(total)
	if d.bad {
		return
	}
	if uint64(cap(d.strs)) < n {
		d.strs = make([]string, n)
	}
	d.strs = d.strs[:n]
	if d.in != nil {
		d.in.table(d.strs, lens, tab)
		return
	}
	block := string(tab)
	at := uint64(0)
	for i := range d.strs {
		l, k := binary.Uvarint(lens)
		lens = lens[k:]
		d.strs[i] = block[at : at+l]
		at += l
	}
}

// readEnd reads what follows the findings, the item errors and the stats,
// into r, and tells whether the record was whole.
func (d *decoder) readEnd(path string, r *Record) error {
	if n, isNil := d.count(minError); !isNil {
		r.Errors = make([]finding.ItemError, n)
		for i := range r.Errors {
			d.itemError(&r.Errors[i], path)
		}
	}
	d.stats(&r.Stats)
	if d.bad || len(d.b) != 0 {
		return errDamaged
	}
	return nil
}

// finding reads a finding.
func (d *decoder) finding(f *finding.Finding, path string) {
	*f = finding.Finding{} // Replay decodes into one variable, again and again
	fl := d.uvarint()
	if fl&^flagsKnown != 0 {
		d.fail()
		return
	}
	f.Rule = d.ref()
	f.Name = d.ref()
	f.Kind = finding.Kind(d.ref())
	f.Entity = d.ref()
	f.Confidence = finding.Confidence(d.varint())
	f.Severity = finding.Severity(d.ref())
	d.location(&f.Location, fl&flagSamePath != 0, path)
	f.Masked = d.ref()
	if fl&flagHexPrint == 0 {
		f.Fingerprint = d.ref()
	} else if raw := d.bytes(16); len(raw) == 16 {
		f.Fingerprint = d.hexPrint(raw)
	}
	if fl&flagMatch != 0 {
		f.Match = d.match()
	}
}

// hexPrint returns the 32 hex digits of a fingerprint held as 16 bytes.
func (d *decoder) hexPrint(raw []byte) string {
	if d.useHexed {
		if len(d.hexed) < 32 {
			d.fail()
			return ""
		}
		s := d.hexed[:32]
		d.hexed = d.hexed[32:]
		return s
	}
	if d.dry && d.hexs == nil {
		return ""
	}
	if d.hexs == nil {
		d.hexs = new(strings.Builder)
	}
	if d.hexs.Cap()-d.hexs.Len() < 32 {
		d.hexs.Reset() // what it handed out stays valid
		d.hexs.Grow(hexArena)
	}
	var h [32]byte
	hex.Encode(h[:], raw)
	at := d.hexs.Len()
	d.hexs.Write(h[:])
	return d.hexs.String()[at:]
}

func (d *decoder) location(l *finding.Location, samePath bool, path string) {
	if samePath {
		l.Path = path
	} else {
		l.Path = d.ref()
	}
	l.Container = d.refs()
	l.Line = int(d.varint())
	l.Column = int(d.varint())
	l.EndLine = l.Line + int(d.varint())
	l.EndColumn = int(d.varint())
	l.Offset = d.varint()
	l.EndOffset = l.Offset + d.varint()
}

func (d *decoder) match() *finding.Match {
	m := &finding.Match{}
	m.Set = d.ref()
	m.Type = d.ref()
	m.Row = d.varint()
	m.Columns = d.refs()
	m.Document = d.ref()
	m.Version = int(d.varint())
	if f := d.bytes(16); len(f) == 16 {
		m.Coverage = math.Float64frombits(binary.LittleEndian.Uint64(f))
		m.Share = math.Float64frombits(binary.LittleEndian.Uint64(f[8:]))
	}
	m.Spans = d.pairs()
	m.Parts = d.pairs()
	m.Words = d.varint()
	m.Size = d.varint()
	switch d.uvarint() {
	case 0:
	case 1:
		m.Exact = true
	default:
		d.fail()
	}
	return m
}

func (d *decoder) pairs() [][2]int64 {
	n, isNil := d.count(minPair)
	if isNil {
		return nil
	}
	ps := make([][2]int64, n)
	for i := range ps {
		ps[i][0] = d.varint()
		ps[i][1] = ps[i][0] + d.varint()
	}
	return ps
}

func (d *decoder) itemError(ie *finding.ItemError, path string) {
	fl := d.uvarint()
	if fl&^flagSamePath != 0 {
		d.fail()
		return
	}
	d.location(&ie.Location, fl&flagSamePath != 0, path)
	ie.Reason = d.ref()
	ie.Error = d.ref()
}

func (d *decoder) stats(s *finding.Stats) {
	for _, v := range []*int64{&s.Items, &s.Bytes, &s.Findings, &s.Errors, &s.Deduped, &s.Cached, &s.DurationMS} {
		*v = d.varint()
	}
	s.Skipped = d.counts()
	s.Suppressed = d.counts()
}

func (d *decoder) counts() map[string]int64 {
	n, isNil := d.count(minCount)
	if isNil {
		return nil
	}
	m := make(map[string]int64, n)
	for range n {
		k := d.ref()
		m[k] = d.varint()
	}
	return m
}
