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
//
// A partial match is a node of the patterns' trie: patterns that begin
// with the same classes (the keywords "pass", "passwd", "password"; the
// digit factors) share the nodes of that beginning, so a state holds one
// node where it would hold a position in each of those patterns, and a
// transition is computed from fewer.
type classDFA struct {
	sym    [256]uint8 // byte → alphabet symbol
	nsym   int
	stride int // symbols per state: nsym

	// The trie: node 0 is the root. kids[kidOff[n]:kidOff[n+1]] are the
	// children of node n, kidClass[i] the class kids[i] is entered on;
	// ends[n] the patterns that end at node n, in order.
	kidOff   []int32
	kids     []int32
	kidClass []int32
	ends     [][]int32
	memb     []bool    // memb[class*nsym+sym]: the class holds the symbol
	starts   [][]int32 // per symbol, the root's children entered on it

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
	d := &classDFA{maxStates: maxStates}
	// The alphabet: bytes that every class of every pattern treats alike
	// share a symbol.
	var classes []byteSet
	classIdx := map[byteSet]int{}
	for _, p := range pats {
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
	d.memb = make([]bool, len(classes)*d.nsym)
	for ci, c := range classes {
		for sym := 0; sym < d.nsym; sym++ {
			d.memb[ci*d.nsym+sym] = c.has(reps[sym])
		}
	}
	d.buildTrie(pats, classIdx)
	d.starts = make([][]int32, d.nsym)
	for sym := 0; sym < d.nsym; sym++ {
		for k := d.kidOff[0]; k < d.kidOff[1]; k++ {
			if d.memb[int(d.kidClass[k])*d.nsym+sym] {
				d.starts[sym] = append(d.starts[sym], d.kids[k])
			}
		}
	}
	return d, nil
}

// buildTrie lays out the trie of pats: a child per distinct class after a
// node, the children of a node contiguous.
func (d *classDFA) buildTrie(pats []seq, classIdx map[byteSet]int) {
	type edge struct {
		node  int32
		class int32
	}
	child := map[edge]int32{}
	var kidsOf [][]edge // per node: (child, class) in order of creation
	kidsOf = append(kidsOf, nil)
	d.ends = append(d.ends[:0], nil)
	for pi, p := range pats {
		n := int32(0)
		for _, c := range p {
			e := edge{n, int32(classIdx[c])}
			k, ok := child[e]
			if !ok {
				k = int32(len(kidsOf))
				child[e] = k
				kidsOf = append(kidsOf, nil)
				d.ends = append(d.ends, nil)
				kidsOf[n] = append(kidsOf[n], edge{k, e.class})
			}
			n = k
		}
		d.ends[n] = append(d.ends[n], int32(pi))
	}
	d.kidOff = make([]int32, len(kidsOf)+1)
	for n, ks := range kidsOf {
		d.kidOff[n+1] = d.kidOff[n] + int32(len(ks))
		for _, k := range ks {
			d.kids = append(d.kids, k.node)
			d.kidClass = append(d.kidClass, k.class)
		}
	}
}

// dfaCache holds the states one goroutine has built. A state is a sorted
// set of trie nodes (partial matches that can go on) plus the patterns
// that ended on the byte that entered it; state 0, the start, is empty,
// since every byte may begin every pattern.
type dfaCache struct {
	d      *classDFA
	trans  []uint32 // trans[state*stride + sym]: premultiplied, with matchBit
	ps     [][]int32
	ends   [][]int32
	index  map[string]uint32
	kb     []byte
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
	if len(c.trans)+c.d.stride > cap(c.trans) {
		// A scan visits thousands of states: start with room for 1024
		// and double, rather than grow a row at a time.
		c.trans = slices.Grow(c.trans, max(len(c.trans), 1024*c.d.stride))
	}
	n := len(c.trans)
	c.trans = c.trans[:n+c.d.stride]
	for i := n; i < len(c.trans); i++ {
		c.trans[i] = unbuilt
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
	c.next, c.ending = c.next[:0], c.ending[:0]
	reach := func(k int32) {
		if ends := d.ends[k]; len(ends) > 0 {
			c.ending = append(c.ending, ends...)
		}
		if d.kidOff[k] < d.kidOff[k+1] {
			c.next = append(c.next, k)
		}
	}
	for _, n := range c.ps[int(st)/d.stride] {
		for i := d.kidOff[n]; i < d.kidOff[n+1]; i++ {
			if d.memb[int(d.kidClass[i])*d.nsym+sym] {
				reach(d.kids[i])
			}
		}
	}
	for _, k := range d.starts[sym] {
		reach(k)
	}
	// Each node has one parent, and the root is in no state: the nodes
	// reached are distinct, as are the patterns ending.
	slices.Sort(c.next)
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

// scanPair is scanEdges for two automata at once, stepped together byte by
// byte: a's patterns are reported as they are, b's shifted by offB, and at
// each end a's before b's, so the order is that of one automaton of a's
// patterns followed by b's. Two automata of disjoint kinds of pattern
// (words, and the digit and character-class factors) have as many states
// as both together, where one automaton of all of them has about as many
// as their product: fewer states to build in each scanning goroutine, and
// smaller tables for the lookups of every byte.
func scanPair(a, b *classDFA, offB int32, text []byte, start, end bool, found func(pat int32, end int)) {
	ca, cb := a.cache(), b.cache()
	defer a.release(ca)
	defer b.release(cb)
	var sa, sb uint32
	// report takes the transitions on byte x (matchBit and unbuilt
	// included) to the states after it, reporting what ends at at.
	report := func(na, nb uint32, x byte, at int) {
		if na == unbuilt {
			na = ca.step(sa, int(a.sym[x]))
		}
		if nb == unbuilt {
			nb = cb.step(sb, int(b.sym[x]))
		}
		sa, sb = na&^matchBit, nb&^matchBit
		if na&matchBit != 0 {
			for _, p := range ca.ends[int(sa)/a.stride] {
				found(p, at)
			}
		}
		if nb&matchBit != 0 {
			for _, p := range cb.ends[int(sb)/b.stride] {
				found(p+offB, at)
			}
		}
	}
	if start {
		report(ca.trans[sa+uint32(a.sym[vByte])], cb.trans[sb+uint32(b.sym[vByte])], vByte, 0)
	}
	symA, symB := &a.sym, &b.sym
	for i, x := range text {
		na := ca.trans[sa+uint32(symA[x])]
		nb := cb.trans[sb+uint32(symB[x])]
		if (na|nb)&matchBit == 0 {
			sa, sb = na, nb
			continue
		}
		report(na, nb, x, i+1)
	}
	if end {
		report(ca.trans[sa+uint32(a.sym[vByte])], cb.trans[sb+uint32(b.sym[vByte])], vByte, len(text)+1)
	}
}
