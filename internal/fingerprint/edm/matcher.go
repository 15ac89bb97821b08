package edm

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"slices"

	"github.com/leakguard/leakguard/internal/finding"
)

// MatchOptions tune a Matcher; the zero value gives the defaults.
type MatchOptions struct {
	// Window is how many characters may separate a supporting value from
	// the primary value (default 300, as Purview's exact data match).
	Window int
	// RowLimit is the longest line, in bytes, that counts as one table
	// row, so that a wide CSV row matches end to end (default 4096).
	RowLimit int
	// MaxRowsPerValue bounds the rows checked for one primary value that
	// many rows share (default 64): such a value identifies no one.
	MaxRowsPerValue int
}

func (o MatchOptions) withDefaults() MatchOptions {
	if o.Window <= 0 {
		o.Window = 300
	}
	if o.RowLimit <= 0 {
		o.RowLimit = 4096
	}
	if o.MaxRowsPerValue <= 0 {
		o.MaxRowsPerValue = 64
	}
	return o
}

// Match is one record of a set found in an item's text. It names the row
// and columns, never the values.
type Match struct {
	Set        string             `json:"set"`
	Row        int64              `json:"row"`     // 1-based record number in the registered table (header excluded)
	Columns    []string           `json:"columns"` // matched columns, in table order
	Primary    string             `json:"primary"` // the primary column the record was found by
	Confidence finding.Confidence `json:"confidence"`
	Start      int64              `json:"start"` // byte span of the item's text covering the matched values
	End        int64              `json:"end"`
	Spans      []Span             `json:"spans"` // where each matched column's value is
}

// Span is where one column's value was found.
type Span struct {
	Column string `json:"column"`
	Start  int64  `json:"start"`
	End    int64  `json:"end"`
}

// Matcher finds the records of one Index in the text of one item at a
// time. Feed the text with Write and end the item with Close; Reset makes
// the Matcher ready for the next item. Matches are passed to emit in order
// of their start. A Matcher is not safe for concurrent use; make one per
// worker. Its memory is bounded whatever the item's size.
type Matcher struct {
	ix      *Index
	opt     MatchOptions
	emit    func(Match) error
	prim    *tokenizer // finds primary values everywhere
	win     *tokenizer // finds any value near a primary one
	horizon int        // bytes a hit needs ahead and behind it

	buf     []byte
	base    int64 // item offset of buf[0]
	scanned int64 // the primary scan is done up to here
	cands   []cand
	pending []hit    // primary values waiting for their window's text, by start
	posts   []uint32 // lookup scratch
	arena   []uint32 // the pending hits' postings
	spare   []uint32 // the arena's other buffer, for compaction

	wc           []cand // window candidates: tokens starting in [wcFrom, wcTo)
	wcFrom, wcTo int64
	found        []cand // per column: the value found for the row being checked
	pairs        []pair // the window's values of the row being checked
	open         []openMatch
	sorted       bool     // m.open is in order
	free         [][]cand // spans of emitted matches, for reuse
	err          error
	closed       bool
}

type hit struct {
	start, end int64
	p0, p1     int  // postings in m.arena
	weak       bool // needs two other values
}

type openMatch struct {
	row        uint32
	primary    int
	start, end int64
	spans      []cand // per column; start < 0 when not found
}

// NewMatcher returns a Matcher that passes each record found to emit.
func (ix *Index) NewMatcher(opt MatchOptions, emit func(Match) error) *Matcher {
	opt = opt.withDefaults()
	h := newValueHasher(ix.setKey)
	s := ix.meta.Scan
	m := &Matcher{
		ix: ix, opt: opt, emit: emit,
		prim:    newTokenizer(h, s.PrimaryWant, s.PrimaryLens, s.PrimaryPhoneLens, s.PrimaryMaxWords),
		win:     newTokenizer(h, s.Want, s.Lens, s.PhoneLens, s.MaxWords),
		horizon: max(4*opt.Window, opt.RowLimit) + maxTok,
		found:   make([]cand, ix.ncols),
	}
	m.prim.delimited = true
	m.Reset()
	return m
}

// Reset forgets the current item.
func (m *Matcher) Reset() {
	m.buf, m.base, m.scanned = m.buf[:0], 0, 0
	m.pending, m.open, m.wc, m.arena = m.pending[:0], m.open[:0], m.wc[:0], m.arena[:0]
	m.wcFrom, m.wcTo = -1, -1
	m.prim.reset()
	m.win.reset()
	m.err, m.closed = nil, false
}

// writePiece bounds how much text is appended before it is processed.
const writePiece = 64 << 10

// Write adds text of the current item. It returns the error of emit, if
// emit failed; the Matcher then ignores the rest of the item.
func (m *Matcher) Write(p []byte) (int, error) {
	if m.closed {
		return 0, errors.New("edm: write after Close")
	}
	n := len(p)
	for len(p) > 0 && m.err == nil {
		k := min(len(p), writePiece)
		m.buf = append(m.buf, p[:k]...)
		p = p[k:]
		m.process(false)
	}
	if m.err != nil {
		return 0, m.err
	}
	return n, nil
}

// Close ends the item: the records still pending are checked and emitted.
func (m *Matcher) Close() error {
	if m.closed {
		return m.err
	}
	if m.err == nil {
		m.process(true)
	}
	m.closed = true
	return m.err
}

func (m *Matcher) process(final bool) {
	to := len(m.buf) - maxTok
	if final {
		to = len(m.buf)
	}
	if from := int(m.scanned - m.base); from < to {
		var next int
		m.cands, next = m.prim.scan(m.buf, m.base, from, to, m.cands[:0])
		m.scanned = m.base + int64(next)
		for _, c := range m.cands {
			m.lookup(c)
		}
	}
	avail := m.base + int64(len(m.buf))
	k := 0
	for ; k < len(m.pending) && m.err == nil; k++ {
		h := &m.pending[k]
		if !final && h.end+int64(m.horizon) > avail {
			break
		}
		m.check(h, final)
	}
	m.pending = m.pending[:copy(m.pending, m.pending[k:])]
	if len(m.arena) > 4096 { // keep only the postings of hits still pending
		kept := m.spare[:0]
		for i := range m.pending {
			h := &m.pending[i]
			n0 := len(kept)
			kept = append(kept, m.arena[h.p0:h.p1]...)
			h.p0, h.p1 = n0, len(kept)
		}
		m.arena, m.spare = kept, m.arena
	}
	m.flush(final)
	m.compact()
}

// lookup turns a candidate whose hash is a registered primary value into a
// pending hit.
func (m *Matcher) lookup(c cand) {
	m.posts = m.ix.lookup(c.key, m.posts[:0])
	if len(m.posts) == 0 {
		return
	}
	p0 := len(m.arena)
	for _, p := range m.posts {
		if len(m.arena)-p0 == m.opt.MaxRowsPerValue {
			break
		}
		if !c.phone || m.ix.phone[p&m.ix.colMask] {
			m.arena = append(m.arena, p)
		}
	}
	if len(m.arena) == p0 {
		return
	}
	h := hit{c.start, c.end, p0, len(m.arena), c.weak}
	i := len(m.pending)
	m.pending = append(m.pending, h)
	for i > 0 && m.pending[i-1].start > h.start {
		m.pending[i] = m.pending[i-1]
		i--
	}
	m.pending[i] = h
}

// check looks for the other values of the hit's rows around it: within the
// proximity window, or on the same line if that line is a table row.
func (m *Matcher) check(h *hit, final bool) {
	s, e := int(h.start-m.base), int(h.end-m.base)
	a, b := backRunes(m.buf, s, m.opt.Window), forwardRunes(m.buf, e, m.opt.Window)
	lo := max(0, s-m.opt.RowLimit)
	if nl := bytes.LastIndexByte(m.buf[lo:s], '\n'); nl >= 0 {
		a = min(a, lo+nl+1)
	} else if m.base+int64(lo) == 0 {
		a = 0 // the item's first line
	}
	hi := min(len(m.buf), e+m.opt.RowLimit)
	if nl := bytes.IndexByte(m.buf[e:hi], '\n'); nl >= 0 {
		b = max(b, e+nl)
	} else if final && hi == len(m.buf) {
		b = hi // the item's last line
	}
	windowDone := false
	A, B := m.base+int64(a), m.base+int64(b)
	for _, p := range m.arena[h.p0:h.p1] {
		row, col := p>>m.ix.colBits, int(p&m.ix.colMask)
		if m.covered(row, col, h) {
			continue
		}
		if !windowDone {
			m.window(a, b)
			windowDone = true
		}
		fps := m.ix.row(row)
		var bloom uint64 // a quick "no" for most candidates
		for _, x := range fps {
			bloom |= 1 << (x & 63)
		}
		for j := range m.found {
			m.found[j].start = -1
		}
		m.found[col] = cand{start: h.start, end: h.end}
		m.pairs = m.pairs[:0]
		for _, c := range m.wc {
			f := fp32(c.key)
			if bloom>>(f&63)&1 == 0 || c.start < A || c.end > B || (c.start < h.end && c.end > h.start) {
				continue
			}
			for j, x := range fps {
				if x == f && j != col && (!c.phone || m.ix.phone[j]) && len(m.pairs) < maxPairs {
					m.pairs = append(m.pairs, pair{j, c})
				}
			}
		}
		// Per column, the occurrence nearest the primary value, leaving
		// out values inside another one found ("john.smith" in the
		// e-mail address is not more evidence).
		support := 0
		for _, p := range m.pairs {
			if m.inside(p) {
				continue
			}
			if m.found[p.col].start < 0 {
				support++
				m.found[p.col] = p.c
			} else if dist(p.c, h) < dist(m.found[p.col], h) {
				m.found[p.col] = p.c
			}
		}
		if support > 1 || support == 1 && !h.weak {
			m.record(row, col)
		}
	}
}

// maxPairs bounds the values of one row looked at around one primary
// value, against text that repeats them.
const maxPairs = 256

type pair struct {
	col int
	c   cand
}

// inside says whether p's value lies within a longer value of another
// column found in the same window.
func (m *Matcher) inside(p pair) bool {
	for _, o := range m.pairs {
		if o.col != p.col && o.c.start <= p.c.start && p.c.end <= o.c.end && o.c.end-o.c.start > p.c.end-p.c.start {
			return true
		}
	}
	return false
}

// covered says whether this occurrence of the row's primary value is
// already part of an open match (found as the other primary value of the
// same record): the record is reported there.
func (m *Matcher) covered(row uint32, col int, h *hit) bool {
	for i := range m.open {
		o := &m.open[i]
		if o.row == row && o.spans[col].start == h.start && o.spans[col].end == h.end {
			return true
		}
	}
	return false
}

func dist(c cand, h *hit) int64 {
	if c.end <= h.start {
		return h.start - c.end
	}
	return c.start - h.end
}

// window makes m.wc hold the candidates of buf[a:b]. Consecutive windows
// overlap in a dense dump, so the text already tokenised is kept.
func (m *Matcher) window(a, b int) {
	A, B := m.base+int64(a), m.base+int64(b)
	if A < m.wcFrom || A > m.wcTo {
		st := a // start at a token boundary
		for st > 0 && a-st < 64 && isWordByte(m.buf[st-1]) {
			st--
		}
		m.wc = m.wc[:0]
		m.win.reset()
		m.wcTo = m.base + int64(st)
	} else {
		k := 0
		for _, c := range m.wc {
			if c.start >= A {
				m.wc[k] = c
				k++
			}
		}
		m.wc = m.wc[:k]
	}
	m.wcFrom = A
	if B > m.wcTo {
		var next int
		m.wc, next = m.win.scan(m.buf, m.base, int(m.wcTo-m.base), b, m.wc)
		m.wcTo = m.base + int64(next)
	}
}

func isWordByte(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80 }

// record adds the row found by m.found to the open matches. If an open
// match of the row holds one of the same occurrences (the record found
// again by its other primary value), the two are one match; a record
// repeated further on is another match.
func (m *Matcher) record(row uint32, primary int) {
	start, end := int64(-1), int64(-1)
	for _, c := range m.found {
		if c.start >= 0 {
			if start < 0 || c.start < start {
				start = c.start
			}
			end = max(end, c.end)
		}
	}
	for i := range m.open {
		o := &m.open[i]
		if o.row != row || start > o.end || end < o.start || !sharesOccurrence(o.spans, m.found) {
			continue
		}
		for j, c := range m.found {
			if c.start >= 0 && o.spans[j].start < 0 {
				o.spans[j] = c
			}
		}
		o.start, o.end = min(o.start, start), max(o.end, end)
		return
	}
	var spans []cand
	if n := len(m.free); n > 0 {
		spans, m.free = m.free[n-1], m.free[:n-1]
	}
	m.open = append(m.open, openMatch{row: row, primary: primary, start: start, end: end,
		spans: append(spans[:0], m.found...)})
	m.sorted = false
}

func sharesOccurrence(a, b []cand) bool {
	for j := range a {
		if a[j].start >= 0 && a[j].start == b[j].start && a[j].end == b[j].end {
			return true
		}
	}
	return false
}

// flush emits, in order of start, the open matches that no later hit can
// extend: those ending before any text a later hit can look at.
func (m *Matcher) flush(final bool) {
	if len(m.open) == 0 {
		return
	}
	if !m.sorted {
		slices.SortFunc(m.open, func(x, y openMatch) int {
			return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.row, y.row))
		})
		m.sorted = true
	}
	limit := m.scanned - maxTok
	if len(m.pending) > 0 {
		limit = min(limit, m.pending[0].start)
	}
	limit -= int64(m.horizon + 2*maxTok)
	k := 0
	for ; k < len(m.open) && m.err == nil; k++ {
		o := &m.open[k]
		if !final && o.end >= limit {
			break
		}
		m.err = m.emit(m.match(o))
		m.free = append(m.free, o.spans)
	}
	m.open = m.open[:copy(m.open, m.open[k:])]
}

func (m *Matcher) match(o *openMatch) Match {
	cols := m.ix.meta.Columns
	mt := Match{Set: m.ix.meta.Name, Row: int64(o.row) + 1, Primary: cols[o.primary].Name, Start: o.start, End: o.end}
	n := 0
	for _, c := range o.spans {
		if c.start >= 0 {
			n++
		}
	}
	mt.Columns, mt.Spans = make([]string, 0, n), make([]Span, 0, n)
	for j, c := range o.spans {
		if c.start >= 0 {
			mt.Columns = append(mt.Columns, cols[j].Name)
			mt.Spans = append(mt.Spans, Span{Column: cols[j].Name, Start: c.start, End: c.end})
		}
	}
	mt.Confidence = finding.Medium
	if len(mt.Columns) >= 3 {
		mt.Confidence = finding.High
	}
	return mt
}

// compact drops the text no pending or future hit can look at.
func (m *Matcher) compact() {
	keep := m.scanned - maxTok
	if len(m.pending) > 0 {
		keep = min(keep, m.pending[0].start)
	}
	drop := int(keep - int64(m.horizon+2*maxTok) - m.base)
	if drop < 64<<10 || drop < len(m.buf)/2 {
		return
	}
	m.buf = m.buf[:copy(m.buf, m.buf[drop:])]
	m.base += int64(drop)
}

// backRunes returns the offset n characters before i.
func backRunes(b []byte, i, n int) int {
	if i >= n && isASCII(b[i-n:i]) {
		return i - n
	}
	for ; i > 0 && n > 0; n-- {
		i--
		for i > 0 && b[i]&0xc0 == 0x80 {
			i--
		}
	}
	return i
}

// forwardRunes returns the offset n characters after i.
func forwardRunes(b []byte, i, n int) int {
	if i+n <= len(b) && isASCII(b[i:i+n]) {
		return i + n
	}
	for ; i < len(b) && n > 0; n-- {
		i++
		for i < len(b) && b[i]&0xc0 == 0x80 {
			i++
		}
	}
	return i
}

func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
