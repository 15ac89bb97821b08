package scancache

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"strings"

	"github.com/leakguard/leakguard/internal/cursor"
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

// A decoder reads one record. Its cursor's failure is sticky: the first
// bad field empties what is left, every later read returns zero, and the
// record reads as errDamaged; so no read needs its own check.
type decoder struct {
	cursor.Reader
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

// str reads a string written in place (not in the table), as its bytes.
func (d *decoder) str() []byte { return d.Bytes(d.Uvarint()) }

// count reads what encoder.count wrote: the length of a slice or map
// whose elements take at least min bytes each, and whether it is nil.
func (d *decoder) count(min int) (n int, isNil bool) {
	v := d.Uvarint()
	if v == 0 {
		return 0, true
	}
	if v-1 > uint64(d.Left()/min) {
		d.Fail()
		return 0, true
	}
	return int(v - 1), false
}

func (d *decoder) ref() string {
	i := d.Uvarint()
	if i >= uint64(len(d.strs)) {
		d.Fail()
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
	h.size = d.Varint()
	h.modNS = d.Varint()
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
	n := d.Uvarint()
	if n > uint64(d.Left()) { // each length takes a byte at least
		d.Fail()
		return
	}
	lens := d.Rest() // read twice: to bound the block, then to cut it
	total := uint64(0)
	for range n {
		l := d.Uvarint()
		if l > uint64(d.Left()) || total+l > uint64(d.Left()) { // total cannot wrap
			d.Fail()
			return
		}
		total += l
	}
	lens = lens[:len(lens)-d.Left()]
	tab := d.Bytes(total)
	if d.Failed() {
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
	if d.Failed() || d.Left() != 0 {
		return errDamaged
	}
	return nil
}

// finding reads a finding.
func (d *decoder) finding(f *finding.Finding, path string) {
	*f = finding.Finding{} // Replay decodes into one variable, again and again
	fl := d.Uvarint()
	if fl&^flagsKnown != 0 {
		d.Fail()
		return
	}
	f.Rule = d.ref()
	f.Name = d.ref()
	f.Kind = finding.Kind(d.ref())
	f.Entity = d.ref()
	f.Confidence = finding.Confidence(d.Varint())
	f.Severity = finding.Severity(d.ref())
	d.location(&f.Location, fl&flagSamePath != 0, path)
	f.Masked = d.ref()
	if fl&flagHexPrint == 0 {
		f.Fingerprint = d.ref()
	} else if raw := d.Bytes(16); len(raw) == 16 {
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
			d.Fail()
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
	l.Line = int(d.Varint())
	l.Column = int(d.Varint())
	l.EndLine = l.Line + int(d.Varint())
	l.EndColumn = int(d.Varint())
	l.Offset = d.Varint()
	l.EndOffset = l.Offset + d.Varint()
}

func (d *decoder) match() *finding.Match {
	m := &finding.Match{}
	m.Set = d.ref()
	m.Type = d.ref()
	m.Row = d.Varint()
	m.Columns = d.refs()
	m.Document = d.ref()
	m.Version = int(d.Varint())
	if f := d.Bytes(16); len(f) == 16 {
		m.Coverage = math.Float64frombits(binary.LittleEndian.Uint64(f))
		m.Share = math.Float64frombits(binary.LittleEndian.Uint64(f[8:]))
	}
	m.Spans = d.pairs()
	m.Parts = d.pairs()
	m.Words = d.Varint()
	m.Size = d.Varint()
	switch d.Uvarint() {
	case 0:
	case 1:
		m.Exact = true
	default:
		d.Fail()
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
		ps[i][0] = d.Varint()
		ps[i][1] = ps[i][0] + d.Varint()
	}
	return ps
}

func (d *decoder) itemError(ie *finding.ItemError, path string) {
	fl := d.Uvarint()
	if fl&^flagSamePath != 0 {
		d.Fail()
		return
	}
	d.location(&ie.Location, fl&flagSamePath != 0, path)
	ie.Reason = d.ref()
	ie.Error = d.ref()
}

func (d *decoder) stats(s *finding.Stats) {
	for _, v := range []*int64{&s.Items, &s.Bytes, &s.Findings, &s.Errors, &s.Deduped, &s.Cached, &s.DurationMS} {
		*v = d.Varint()
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
		m[k] = d.Varint()
	}
	return m
}
