package detect

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
)

// byteSet is a set of bytes, one bit each.
type byteSet [4]uint64

func (s *byteSet) add(b byte)     { s[b>>6] |= 1 << (b & 63) }
func (s byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s byteSet) union(t byteSet) byteSet {
	return byteSet{s[0] | t[0], s[1] | t[1], s[2] | t[2], s[3] | t[3]}
}
func (s byteSet) count() int {
	return bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) + bits.OnesCount64(s[2]) + bits.OnesCount64(s[3])
}

// byteRange returns the set of bytes lo..hi.
func byteRange(lo, hi byte) byteSet {
	var s byteSet
	for c := int(lo); c <= int(hi); c++ {
		s.add(byte(c))
	}
	return s
}

// seq is a pattern of fixed length: one set of allowed bytes per position.
type seq []byteSet

// classDFA finds every occurrence, overlapping, of a list of fixed-length
// byte-class patterns in one pass, one table lookup per byte: the
// Aho-Corasick idea generalised from literal bytes to byte classes. Its
// states are sets of partial matches, built lazily as the text reaches
// them (as RE2 builds its DFA): the full automaton of many overlapping
// classes would be far too large, the part real text visits is small.
// Each scanning goroutine takes a cache of built states from a pool, so
// nothing is shared while scanning.
type classDFA struct {
	sym    [256]uint8 // byte → alphabet symbol
	nsym   int
	stride int // symbols per state: nsym
	patLen []int

	// Positions: pattern p having matched `at` classes is position
	// offset[p]+at.
	offset   []int32
	posPat   []int32
	posClass []int32
	memb     []bool    // memb[class*nsym+sym]: the class holds the symbol
	starts   [][]int32 // per symbol, the patterns whose first class holds it

	maxStates int // a cache is emptied when it grows past this
	// free are the caches no scan holds. Not a sync.Pool: a collection
	// would empty that, and a scan would rebuild its states (allocating,
	// which brings on the next collection); built states are the
	// automaton's working set, kept for the next scan. There are as many
	// as scans have run at once.
	mu   sync.Mutex
	free []*dfaCache
}

const (
	matchBit = 1 << 31
	unbuilt  = ^uint32(0) // a transition not computed yet
)

// newClassDFA prepares the automaton for pats (each non-empty); a cache of
// built states is emptied past maxStates states.
func newClassDFA(pats []seq, maxStates int) (*classDFA, error) {
	d := &classDFA{patLen: make([]int, len(pats)), maxStates: maxStates}
	// The alphabet: bytes that every class of every pattern treats alike
	// share a symbol.
	var classes []byteSet
	classIdx := map[byteSet]int{}
	for i, p := range pats {
		d.patLen[i] = len(p)
		for _, c := range p {
			if _, ok := classIdx[c]; !ok {
				classIdx[c] = len(classes)
				classes = append(classes, c)
			}
		}
	}
	sigs := map[string]uint8{}
	sig := make([]byte, (len(classes)+7)/8)
	var reps []byte // a representative byte per symbol
	for b := 0; b < 256; b++ {
		clear(sig)
		for i, c := range classes {
			if c.has(byte(b)) {
				sig[i/8] |= 1 << (i % 8)
			}
		}
		s, ok := sigs[string(sig)]
		if !ok {
			s = uint8(len(sigs))
			sigs[string(sig)] = s
			reps = append(reps, byte(b))
		}
		d.sym[b] = s
	}
	d.nsym = len(reps)
	d.stride = d.nsym
	d.offset = make([]int32, len(pats)+1)
	for i, p := range pats {
		d.offset[i+1] = d.offset[i] + int32(len(p))
	}
	d.posPat = make([]int32, d.offset[len(pats)])
	d.posClass = make([]int32, d.offset[len(pats)])
	for i, p := range pats {
		for at, c := range p {
			d.posPat[d.offset[i]+int32(at)] = int32(i)
			d.posClass[d.offset[i]+int32(at)] = int32(classIdx[c])
		}
	}
	d.memb = make([]bool, len(classes)*d.nsym)
	for ci, c := range classes {
		for sym := 0; sym < d.nsym; sym++ {
			d.memb[ci*d.nsym+sym] = c.has(reps[sym])
		}
	}
	d.starts = make([][]int32, d.nsym)
	for sym := 0; sym < d.nsym; sym++ {
		for i := range pats {
			if d.memb[int(d.posClass[d.offset[i]])*d.nsym+sym] {
				d.starts[sym] = append(d.starts[sym], int32(i))
			}
		}
	}
	return d, nil
}

// dfaCache holds the states one goroutine has built. A state is a sorted
// set of positions plus the patterns that ended on the byte that entered
// it; state 0, the start, is empty, since every byte may begin every
// pattern.
type dfaCache struct {
	d      *classDFA
	trans  []uint32 // trans[state*stride + sym]: premultiplied, with matchBit
	ps     [][]int32
	ends   [][]int32
	index  map[string]uint32
	kb     []byte
	adv    []int32
	fresh  []int32
	next   []int32
	ending []int32
}

func (d *classDFA) cache() *dfaCache {
	d.mu.Lock()
	if n := len(d.free); n > 0 {
		c := d.free[n-1]
		d.free = d.free[:n-1]
		d.mu.Unlock()
		return c
	}
	d.mu.Unlock()
	c := &dfaCache{d: d}
	c.reset()
	return c
}

// release returns a cache taken by cache.
func (d *classDFA) release(c *dfaCache) {
	d.mu.Lock()
	d.free = append(d.free, c)
	d.mu.Unlock()
}

func (c *dfaCache) reset() {
	c.trans = c.trans[:0]
	c.ps, c.ends = c.ps[:0], c.ends[:0]
	c.index = map[string]uint32{}
	c.add(nil, nil)
}

// add returns the premultiplied id of the state (ps, ends), adding it.
func (c *dfaCache) add(ps, ends []int32) uint32 {
	c.kb = c.kb[:0]
	for _, p := range ps {
		c.kb = binary.LittleEndian.AppendUint32(c.kb, uint32(p))
	}
	c.kb = append(c.kb, 0xFF, 0xFF, 0xFF, 0xFF)
	for _, e := range ends {
		c.kb = binary.LittleEndian.AppendUint32(c.kb, uint32(e))
	}
	if id, ok := c.index[string(c.kb)]; ok {
		return id
	}
	id := uint32(len(c.ps) * c.d.stride)
	c.index[string(c.kb)] = id
	c.ps = append(c.ps, slices.Clone(ps))
	c.ends = append(c.ends, slices.Clone(ends))
	for range c.d.stride {
		c.trans = append(c.trans, unbuilt)
	}
	return id
}

// step computes the transition from state st (premultiplied) on sym.
func (c *dfaCache) step(st uint32, sym int) uint32 {
	d := c.d
	if len(c.ps) >= d.maxStates {
		// Too many states: start over from the state the scan is in.
		ps := slices.Clone(c.ps[int(st)/d.stride])
		c.reset()
		st = c.add(ps, nil)
	}
	c.adv, c.fresh, c.ending = c.adv[:0], c.fresh[:0], c.ending[:0]
	for _, p := range c.ps[int(st)/d.stride] {
		if !d.memb[int(d.posClass[p])*d.nsym+sym] {
			continue
		}
		if p+1 == d.offset[d.posPat[p]+1] {
			c.ending = append(c.ending, d.posPat[p])
		} else {
			c.adv = append(c.adv, p+1)
		}
	}
	for _, i := range d.starts[sym] {
		if d.offset[i]+1 == d.offset[i+1] {
			c.ending = append(c.ending, i)
		} else {
			c.fresh = append(c.fresh, d.offset[i]+1)
		}
	}
	// Both lists are sorted: merge them.
	c.next = c.next[:0]
	a, b := 0, 0
	for a < len(c.adv) || b < len(c.fresh) {
		if b == len(c.fresh) || a < len(c.adv) && c.adv[a] < c.fresh[b] {
			c.next = append(c.next, c.adv[a])
			a++
		} else {
			c.next = append(c.next, c.fresh[b])
			b++
		}
	}
	slices.Sort(c.ending)
	t := c.add(c.next, c.ending)
	if len(c.ending) > 0 {
		t |= matchBit
	}
	c.trans[st+uint32(sym)] = t
	return t
}

// scan reports every occurrence of every pattern in text, in order of its
// end: found(pattern, end) with the occurrence at text[end-len:end].
func (d *classDFA) scan(text []byte, found func(pat int32, end int)) {
	d.scanEdges(text, false, false, found)
}

// scanEdges is scan with vByte fed before text (start) and after it (end),
// where text is the start or the end of the stream: patterns may match
// them as the context of a match at the edge. An occurrence that takes in
// the virtual byte after text ends at len(text)+1.
func (d *classDFA) scanEdges(text []byte, start, end bool, found func(pat int32, end int)) {
	c := d.cache()
	defer d.release(c)
	var st uint32
	step := func(b byte, at int) {
		next := c.trans[st+uint32(d.sym[b])]
		if next == unbuilt {
			next = c.step(st, int(d.sym[b]))
		}
		st = next
		if st&matchBit != 0 {
			st &^= matchBit
			for _, p := range c.ends[int(st)/d.stride] {
				found(p, at)
			}
		}
	}
	if start {
		step(vByte, 0)
	}
	// unbuilt has matchBit set: the common byte, a built transition to a
	// state where nothing ends, takes one test.
	sym, stride, trans := &d.sym, d.stride, c.trans
	for i, b := range text {
		next := trans[st+uint32(sym[b])]
		if next&matchBit == 0 {
			st = next
			continue
		}
		if next == unbuilt {
			next = c.step(st, int(sym[b]))
			trans = c.trans // grown
			if next&matchBit == 0 {
				st = next
				continue
			}
		}
		st = next &^ matchBit
		for _, p := range c.ends[int(st)/stride] {
			found(p, i+1)
		}
	}
	if end {
		step(vByte, len(text)+1)
	}
}
