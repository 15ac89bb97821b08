package docs

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

// MatchOptions are the attribution thresholds. The zero value means the
// defaults.
type MatchOptions struct {
	// MinSpanScore is the evidence a passage must carry to count at all:
	// the sum, over the document's fingerprints found in one stretch of
	// the scanned text (hits at most K+W words apart), of 1/(documents
	// holding each). Stock phrases ("the report of the Secretary of the
	// Navy") give passages of one or two fingerprints scattered over a
	// text, which this leaves out. 0 means 3 (about 12 words in a row).
	//
	// No higher value separates quotations from leaks: of the 29
	// held-back State of the Union addresses (TestSOTUEval), 14 are
	// attributed to registered ones whose passages they truly repeat,
	// 11 to 710 words in a row (McKinley 1897 quotes 710 words of Grant
	// 1875), while a 500-character excerpt with 10% of its words changed
	// keeps a longest unchanged run of 14 words or fewer one time in
	// twenty. At 8, 10 of the 14 remain attributed and recall on such
	// excerpts falls from 0.997 to 0.960; at 12, 6 remain and recall is
	// 0.797.
	MinSpanScore float64
	// MinScore is the evidence needed to attribute a text to a document,
	// summed over its passages that count. A fingerprint unique to the
	// document counts 1. 0 means 6: about 20 distinctive words copied in
	// a row, more than one ordinary shared sentence.
	MinScore float64
	// MaxSpans caps the spans reported per document and item, so a huge
	// item stays bounded; passages beyond it still count. 0 means 1000.
	MaxSpans int
	// AllVersions reports every version of a document that matches, not
	// only the best-matching one of each path.
	AllVersions bool
}

func (o MatchOptions) withDefaults() MatchOptions {
	if o.MinSpanScore <= 0 {
		o.MinSpanScore = 3
	}
	if o.MinScore <= 0 {
		o.MinScore = 6
	}
	if o.MaxSpans <= 0 {
		o.MaxSpans = 1000
	}
	return o
}

// Span is a byte range [Start, End) of the scanned text.
type Span struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// WordRange is a range of words [First, Last] of a registered document,
// counted from 0, as it was registered.
type WordRange struct {
	First int64 `json:"first"`
	Last  int64 `json:"last"`
}

// DocMatch says how much of one registered document a scanned text holds.
type DocMatch struct {
	Set     string `json:"set"`
	Path    string `json:"document"`
	Version int    `json:"version"`
	// Fingerprints is the document's indexed fingerprint count, Matched
	// how many of them the text holds (in passages that count), Coverage
	// their ratio: the share of the registered document present.
	Fingerprints int     `json:"fingerprints"`
	Matched      int     `json:"matched"`
	Coverage     float64 `json:"coverage"`
	// Score is the evidence: matched fingerprints, each weighted by
	// 1/(registered documents holding it).
	Score float64 `json:"score"`
	// Share is the part of the scanned text (in bytes) in the passages
	// that come from the document.
	Share float64 `json:"share"`
	// Spans are those passages, ascending (at most MaxSpans).
	Spans []Span `json:"spans"`
	// DocRanges are the parts of the registered document that were
	// found, in its own word numbers.
	DocRanges  []WordRange        `json:"doc_ranges"`
	Confidence finding.Confidence `json:"confidence"`

	doc uint32 // index in Index.docs
}

// Matcher matches one scanned item at a time against an Index: Write the
// item's text (in pieces of any size, split anywhere), then End. Its memory
// is bounded by the index, not by the item. A Matcher is not safe for
// concurrent use; make one per worker.
type Matcher struct {
	ix  *Index
	opt MatchOptions
	tok tokenizer
	sh  shingler
	gap int64 // words between hits still in one passage
	// hits is indexed by document; touched lists those with hits in this
	// item, so that ending an item costs what it found, not the index.
	hits    []*docHits
	touched []uint32
	// seen has a bit per posting counted in this item; counted lists
	// them for clearing, until it would be longer than seen itself.
	seen     []uint64
	counted  []uint32
	clearAll bool

	// Shingles are looked up in batches: the table lookups of a batch are
	// independent, so the processor overlaps their cache misses instead
	// of waiting for each in turn.
	batch  [lookupBatch]shingle
	nbatch int
}

const lookupBatch = 128

// docHits is what one item holds of one document so far: the passages
// that count, and the open one, still growing.
type docHits struct {
	matched int
	score   float64
	inside  int64 // bytes of the passages that count
	spans   []Span
	pos     []uint32 // registered positions found; the open passage's last

	live      bool // holds hits of the current item
	open      bool
	cur       wordSpan
	curScore  float64
	curPosted []uint32 // postings first counted in the open passage
}

type wordSpan struct {
	first, last int64 // word numbers in the scanned text
	start, end  int64 // byte offsets
}

// NewMatcher returns a Matcher over ix.
func (ix *Index) NewMatcher(opt MatchOptions) *Matcher {
	m := &Matcher{
		ix:   ix,
		opt:  opt.withDefaults(),
		gap:  int64(ix.params.K + ix.params.W),
		hits: make([]*docHits, len(ix.docs)),
		seen: make([]uint64, (len(ix.post)+63)/64),
	}
	m.sh = shingler{k: ix.params.K, seed: ix.keys.seed, emit: m.queue}
	m.tok = tokenizer{key: ix.keys.word, emit: m.sh.word}
	return m
}

// Write adds the next piece of the item's text. It never fails.
func (m *Matcher) Write(p []byte) (int, error) {
	m.tok.write(p)
	return len(p), nil
}

// WriteString adds the next piece of the item's text.
func (m *Matcher) WriteString(s string) (int, error) {
	return m.Write([]byte(s))
}

// queue adds one shingle of the scanned text to the lookup batch.
func (m *Matcher) queue(s shingle) {
	m.batch[m.nbatch] = s
	m.nbatch++
	if m.nbatch == lookupBatch {
		m.lookup()
	}
}

// lookup looks up the batch of shingles.
func (m *Matcher) lookup() {
	b := m.batch[:m.nbatch]
	m.nbatch = 0
	// First the filter for all, keeping only the candidates...
	var cand [lookupBatch]uint8
	n := 0
	for i := range b {
		cand[n] = uint8(i)
		n += int(m.ix.mayHold(b[i].hash))
	}
	// ...then the table for them, still independent of each other...
	var slots [lookupBatch]uint32
	found := 0
	for _, i := range cand[:n] {
		if sl, ok := m.ix.find(b[i].hash); ok {
			cand[found], slots[found] = i, sl
			found++
		}
	}
	// ...and the hits, in text order.
	for j := range found {
		m.hit(b[cand[j]], &m.ix.slots[slots[j]])
	}
}

// hit records that shingle s is the registered fingerprint in sl.
func (m *Matcher) hit(s shingle, sl *slot) {
	w := 1 / float64(sl.df)
	last := s.index + int64(m.ix.params.K) - 1
	for pi := sl.start; pi < sl.start+uint32(sl.count); pi++ {
		p := m.ix.post[pi]
		h := m.hits[p.doc]
		if h == nil {
			h = &docHits{}
			m.hits[p.doc] = h
		}
		if !h.live {
			// Kept from item to item, for its slices' capacity.
			h.live, h.matched, h.score, h.inside, h.spans, h.pos, h.open = true, 0, 0, 0, h.spans[:0], h.pos[:0], false
			m.touched = append(m.touched, p.doc)
		}
		if h.open && s.index > h.cur.last+1+m.gap {
			m.closePassage(h)
		}
		if h.open {
			h.cur.last, h.cur.end = max(h.cur.last, last), max(h.cur.end, s.end)
		} else {
			h.open, h.cur, h.curScore, h.curPosted = true, wordSpan{s.index, last, s.start, s.end}, 0, h.curPosted[:0]
		}
		if word, bit := pi/64, uint64(1)<<(pi%64); m.seen[word]&bit == 0 {
			m.seen[word] |= bit
			if !m.clearAll {
				m.counted = append(m.counted, pi)
				m.clearAll = len(m.counted) > len(m.seen)
			}
			h.curScore += w
			h.curPosted = append(h.curPosted, pi)
			h.pos = append(h.pos, p.pos)
		}
	}
}

// closePassage ends h's open passage: it counts if its evidence reaches
// MinSpanScore; if not, its fingerprints are forgotten, free to count in
// a later passage.
func (m *Matcher) closePassage(h *docHits) {
	h.open = false
	if h.curScore < m.opt.MinSpanScore {
		for _, pi := range h.curPosted {
			m.seen[pi/64] &^= 1 << (pi % 64)
		}
		h.pos = h.pos[:len(h.pos)-len(h.curPosted)]
		return
	}
	h.matched += len(h.curPosted)
	h.score += h.curScore
	h.inside += h.cur.end - h.cur.start
	if len(h.spans) < m.opt.MaxSpans {
		h.spans = append(h.spans, Span{Start: h.cur.start, End: h.cur.end})
	}
}

// End finishes the item and returns the documents it is attributed to,
// best first, then makes the Matcher ready for the next item.
func (m *Matcher) End() []DocMatch {
	m.tok.close()
	m.lookup()
	size := m.tok.off
	var out []DocMatch
	for _, doc := range m.touched {
		h := m.hits[doc]
		if h.open {
			m.closePassage(h)
		}
		if h.matched == 0 {
			continue
		}
		ref := m.ix.docs[doc]
		out = append(out, DocMatch{
			Set: ref.set, Path: ref.path, Version: ref.version,
			Fingerprints: ref.fingerprints, Matched: h.matched,
			Coverage: float64(h.matched) / float64(max(1, ref.fingerprints)),
			Score:    h.score,
			doc:      doc,
		})
	}
	if !m.opt.AllVersions {
		out = bestVersions(out)
	}
	out = slices.DeleteFunc(out, func(d DocMatch) bool { return d.Score < m.opt.MinScore })
	for i := range out {
		d := &out[i]
		h := m.hits[d.doc]
		d.Spans = slices.Clone(h.spans) // h is reused by the next item
		if size > 0 {
			d.Share = float64(h.inside) / float64(size)
		}
		d.DocRanges = m.docRanges(h.pos)
		d.Confidence = m.confidence(*d)
	}
	slices.SortFunc(out, func(a, b DocMatch) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Set, b.Set),
			strings.Compare(a.Path, b.Path), cmp.Compare(b.Version, a.Version))
	})
	m.Reset()
	return out
}

// Reset discards the current item.
func (m *Matcher) Reset() {
	m.tok.reset()
	m.sh.reset()
	m.nbatch = 0
	for _, doc := range m.touched {
		m.hits[doc].live = false
	}
	m.touched = m.touched[:0]
	if m.clearAll {
		clear(m.seen)
	} else {
		for _, pi := range m.counted {
			m.seen[pi/64] = 0
		}
	}
	m.counted, m.clearAll = m.counted[:0], false
}

// confidence grades an attribution: high when a large part of the
// document is present or the evidence is four times the threshold (a
// paragraph or more of distinctive text), medium at twice the threshold.
func (m *Matcher) confidence(d DocMatch) finding.Confidence {
	switch {
	case d.Coverage >= 0.5 || d.Score >= 4*m.opt.MinScore:
		return finding.High
	case d.Score >= 2*m.opt.MinScore:
		return finding.Medium
	}
	return finding.Low
}

// docRanges merges the registered positions found into word ranges.
func (m *Matcher) docRanges(pos []uint32) []WordRange {
	slices.Sort(pos)
	k := int64(m.ix.params.K)
	var out []WordRange
	for _, p := range pos {
		first, last := int64(p), int64(p)+k-1
		if n := len(out); n > 0 && first <= out[n-1].Last+1+m.gap {
			out[n-1].Last = max(out[n-1].Last, last)
			continue
		}
		out = append(out, WordRange{First: first, Last: last})
	}
	return out
}

// bestVersions keeps, of each (set, path), the version with the most
// evidence, then the highest coverage: a text that holds version 3 holds
// its new passages too, and one that holds version 1 covers more of it.
func bestVersions(ms []DocMatch) []DocMatch {
	slices.SortFunc(ms, func(a, b DocMatch) int {
		return cmp.Or(strings.Compare(a.Set, b.Set), strings.Compare(a.Path, b.Path),
			cmp.Compare(b.Score, a.Score), cmp.Compare(b.Coverage, a.Coverage), cmp.Compare(b.Version, a.Version))
	})
	return slices.CompactFunc(ms, func(a, b DocMatch) bool { return a.Set == b.Set && a.Path == b.Path })
}
