package docs

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// Index is every loaded document set, ready for matching. It is immutable
// and safe for concurrent use; each worker matches with its own Matcher.
type Index struct {
	keys   Keys
	params Params
	docs   []docRef

	// An open-addressing hash table from fingerprint hash to its
	// postings, a hash of 0 marking an empty slot (shingle hashes are
	// never 0). Hashes are uniformly spread, so their low bits are the
	// slot. A slot holds all a hit needs but the postings themselves, so
	// a hit costs two cache misses, not four.
	mask  uint64
	slots []slot

	// filter is a bit per slot's worth of hash bits: a scanned shingle
	// that is no fingerprint (almost all of them) is usually turned away
	// by one bit in a table small enough to stay in cache.
	filter     []uint64
	filterMask uint64

	post     []posting
	distinct int // fingerprints indexed
	dropped  int // fingerprints left out as boilerplate (MaxDocFreq)
}

// slot is a fingerprint in the table: its postings are
// post[start:start+count], and df registered documents hold it.
type slot struct {
	hash  uint64
	start uint32
	count uint16
	df    uint16
}

// docRef is one registered document version in the index.
type docRef struct {
	set, path    string
	version      int
	fingerprints int // indexed fingerprints: the denominator of coverage
}

type posting struct {
	doc uint32
	pos uint32
}

// IndexOptions tune how an index is built.
type IndexOptions struct {
	// MaxDocFreq leaves out fingerprints found in more than this many
	// registered documents (counting the versions of one path once):
	// pure boilerplate, which would weigh almost nothing and cost a
	// posting per document at every occurrence. 0 means 100; at most
	// 65535.
	MaxDocFreq int
}

// LoadIndex loads every document set in dir. All must have been made with
// keys and p.
func LoadIndex(dir string, keys Keys, p Params, opt IndexOptions) (*Index, error) {
	names, err := ListSets(dir)
	if err != nil {
		return nil, err
	}
	sets := make([]*Set, 0, len(names))
	for _, n := range names {
		s, err := loadSet(dir, n, keys)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return NewIndex(sets, keys, p, opt)
}

// NewIndex builds an index over sets, which must share keys and p.
func NewIndex(sets []*Set, keys Keys, p Params, opt IndexOptions) (*Index, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if opt.MaxDocFreq <= 0 {
		opt.MaxDocFreq = 100
	}
	opt.MaxDocFreq = min(opt.MaxDocFreq, 1<<16-1)
	ix := &Index{keys: keys, params: p}
	var total int
	for _, s := range sets {
		if s.keys != keys {
			return nil, fmt.Errorf("docs: set %s was made with another key", s.name)
		}
		if s.params != p {
			return nil, fmt.Errorf("docs: set %s has K=%d W=%d, the index K=%d W=%d", s.name, s.params.K, s.params.W, p.K, p.W)
		}
		for _, d := range s.docs {
			total += len(d.fps)
		}
	}
	if total > 1<<30 {
		return nil, errors.New("docs: index too large")
	}
	// The documents, and which path each is a version of: a fingerprint's
	// document frequency counts paths, so versions of one document do not
	// make each other's text look like boilerplate.
	var pathOf []uint32
	paths := map[[2]string]uint32{}
	for _, s := range sets {
		for _, d := range s.docs {
			key := [2]string{s.name, d.path}
			pi, ok := paths[key]
			if !ok {
				pi = uint32(len(paths))
				paths[key] = pi
			}
			ix.docs = append(ix.docs, docRef{set: s.name, path: d.path, version: d.version})
			pathOf = append(pathOf, pi)
		}
	}
	each := func(fn func(doc uint32, f fp)) {
		doc := uint32(0)
		for _, s := range sets {
			for _, d := range s.docs {
				for _, f := range d.fps {
					fn(doc, f)
				}
				doc++
			}
		}
	}

	// The table is built in place, without sorting: one pass counts the
	// postings of each distinct hash, the postings are laid out slot by
	// slot, a second pass places them. It is sized for the total count,
	// an upper bound of the distinct one.
	size := uint64(16)
	for size < 2*uint64(total) { // load factor at most 1/2
		size <<= 1
	}
	ix.mask = size - 1
	ix.slots = make([]slot, size)
	fill := make([]uint32, size)
	each(func(_ uint32, f fp) { fill[ix.insert(f.hash)]++ })
	var n uint32
	for i := range ix.slots {
		ix.slots[i].start = n
		n += fill[i]
		fill[i] = ix.slots[i].start
	}
	ix.post = make([]posting, total)
	each(func(doc uint32, f fp) {
		i := ix.insert(f.hash)
		ix.post[fill[i]] = posting{doc: doc, pos: f.pos}
		fill[i]++
	})
	for i := range ix.slots {
		sl := &ix.slots[i]
		c := fill[i] - sl.start
		if c == 0 {
			continue
		}
		df := docFreq(ix.post[sl.start:fill[i]], pathOf, opt.MaxDocFreq)
		if df > opt.MaxDocFreq || c > 1<<16-1 {
			ix.dropped++ // its slot stays, with no postings, to keep probe chains whole
			continue
		}
		sl.count, sl.df = uint16(c), uint16(df)
		ix.distinct++
		for _, p := range ix.post[sl.start:fill[i]] {
			ix.docs[p.doc].fingerprints++
		}
	}
	ix.buildFilter()
	return ix, nil
}

// docFreq counts the distinct paths of ps, stopping past limit.
func docFreq(ps []posting, pathOf []uint32, limit int) int {
	if len(ps) <= 32 { // the usual case: a quadratic scan without allocation
		var buf [32]uint32
		seen := buf[:0]
		for _, p := range ps {
			if path := pathOf[p.doc]; !slices.Contains(seen, path) {
				seen = append(seen, path)
			}
		}
		return len(seen)
	}
	seen := make(map[uint32]struct{}, min(len(ps), limit+1))
	for _, p := range ps {
		seen[pathOf[p.doc]] = struct{}{}
		if len(seen) > limit {
			break
		}
	}
	return len(seen)
}

// insert returns the slot of h, taking an empty one if h is new.
func (ix *Index) insert(h uint64) uint64 {
	for i := h & ix.mask; ; i = (i + 1) & ix.mask {
		switch ix.slots[i].hash {
		case h:
			return i
		case 0:
			ix.slots[i].hash = h
			return i
		}
	}
}

// buildFilter sets the filter bit of every fingerprint with postings.
func (ix *Index) buildFilter() {
	// 16 to 32 filter bits per fingerprint: 3 to 6% of misses reach the
	// table.
	fbits := max(64, 16*uint64(1)<<bits.Len64(uint64(ix.distinct)))
	ix.filter = make([]uint64, fbits/64)
	ix.filterMask = fbits - 1
	for _, sl := range ix.slots {
		if sl.count > 0 {
			b := (sl.hash >> 32) & ix.filterMask
			ix.filter[b/64] |= 1 << (b % 64)
		}
	}
}

// mayHold returns 1 if h may be a fingerprint, 0 if it is certainly not.
func (ix *Index) mayHold(h uint64) uint64 {
	b := (h >> 32) & ix.filterMask
	return ix.filter[b/64] >> (b % 64) & 1
}

// find returns the table slot of hash h.
func (ix *Index) find(h uint64) (uint32, bool) {
	for i := h & ix.mask; ; i = (i + 1) & ix.mask {
		switch ix.slots[i].hash {
		case h:
			return uint32(i), true
		case 0:
			return 0, false
		}
	}
}

// IndexStats describes a loaded index.
type IndexStats struct {
	Documents    int // registered document versions
	Fingerprints int // distinct fingerprints indexed
	Postings     int // (fingerprint, document) pairs
	Dropped      int // fingerprints left out as boilerplate
}

// Stats describes the index.
func (ix *Index) Stats() IndexStats {
	return IndexStats{Documents: len(ix.docs), Fingerprints: ix.distinct, Postings: len(ix.post), Dropped: ix.dropped}
}

// Params returns the shingling parameters of the index.
func (ix *Index) Params() Params { return ix.params }
