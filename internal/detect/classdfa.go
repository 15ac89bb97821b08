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
	maxLen int // the longest pattern's length

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
	for _, p := range pats {
		d.maxLen = max(d.maxLen, len(p))
	}
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
	held   []laneHit // scanPair's second lane's hits, reused
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

// trim drops the caches no scan holds (Engine.Trim); d may be nil.
func (d *classDFA) trim() {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	clear(d.free)
	d.free = nil
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
//
// A long text is scanned as two lanes at once, its first half and its
// second, the second held back and reported after the first. Each byte's
// lookup depends on the one before it, so one lane leaves the core
// waiting on every load; two independent lanes overlap those waits. The
// second lane needs no state from the first: a state is the set of
// partial matches, none longer than the longest pattern, so the lane
// starts that many bytes early from the empty state and is exact from the
// half on.
func scanPair(a, b *classDFA, offB int32, text []byte, start, end bool, found func(pat int32, end int)) {
	p := pairScan{a: a, b: b, ca: a.cache(), cb: b.cache(), offB: offB, found: found}
	defer a.release(p.ca)
	defer b.release(p.cb)
	var sa, sb uint32
	if start {
		sa, sb = p.edge(sa, sb, 0)
	}
	lag := max(a.maxLen, b.maxLen)
	if len(text) < laneMin+4*lag {
		sa, sb = p.run(text, 0, len(text), -1, sa, sb)
	} else {
		// Lane 0 takes text[:m], lane 1 text[m-lag:], which is as long
		// or a byte longer; lane 1 reports only what ends after m.
		m := (len(text) + lag) / 2
		off1 := m - lag
		k, sa1, sb1 := p.lanes(text[:m], text[off1:off1+m], off1, sa, sb)
		p.run(text, k, m, -1, p.sa0, p.sb0) // lane 0's end state is of no use
		for _, h := range p.ca.held {
			found(h.pat, h.end)
		}
		p.ca.held = p.ca.held[:0]
		from := off1 + k
		if k < m {
			// The lanes stopped early, before a cache would be emptied or
			// with many hits held: lane 0's steps since may have emptied
			// the cache, so lane 1 starts over, from the empty state a
			// pattern's length back.
			sa1, sb1 = p.run(text, from-lag, from, len(text), 0, 0)
		}
		sa, sb = p.run(text, from, len(text), m, sa1, sb1)
	}
	if end {
		p.edge(sa, sb, len(text)+1)
	}
}

// laneMin is the shortest text scanned as two lanes (with four patterns'
// lengths more for the second lane's start). 1 KiB ran the standard
// library file by file 1% faster than 4 KiB: most of its files are a few
// KiB, and the second lane's early start is some tens of bytes.
const laneMin = 1 << 10

// pairScan is one scan of scanPair's.
type pairScan struct {
	a, b     *classDFA
	ca, cb   *dfaCache
	offB     int32
	found    func(pat int32, end int)
	sa0, sb0 uint32 // lane 0's states where lanes stopped
}

// maxHeld is the most hits the second lane holds: past it the lanes stop
// and the rest of the text runs as one lane.
const maxHeld = 1 << 14

// laneHit is a hit of the second lane, held until the first lane's are out.
type laneHit struct {
	pat int32
	end int
}

// edge feeds vByte, reporting what ends at at.
func (p *pairScan) edge(sa, sb uint32, at int) (uint32, uint32) {
	na, nb := p.ca.trans[sa+uint32(p.a.sym[vByte])], p.cb.trans[sb+uint32(p.b.sym[vByte])]
	return p.take(sa, sb, na, nb, vByte, at, -1, false)
}

// run moves one lane over text[from:to] from the states sa, sb, reporting
// what ends after after.
func (p *pairScan) run(text []byte, from, to, after int, sa, sb uint32) (uint32, uint32) {
	symA, symB := &p.a.sym, &p.b.sym
	ta, tb := p.ca.trans, p.cb.trans
	for i := from; i < to; i++ {
		x := text[i]
		na := ta[sa+uint32(symA[x])]
		nb := tb[sb+uint32(symB[x])]
		if (na|nb)&matchBit == 0 {
			sa, sb = na, nb
			continue
		}
		sa, sb = p.take(sa, sb, na, nb, x, i+1, after, false)
		ta, tb = p.ca.trans, p.cb.trans // grown
	}
	return sa, sb
}

// lanes moves lane 0 over t0 from the states sa0, sb0 and lane 1 over t1
// (as long, at off1 in the text) from the empty state, byte for byte
// together. It stops early, before a step that could empty a cache (which
// would leave the other lane's state meaningless), and returns the bytes
// each lane took and lane 1's states; lane 0's are left in p.
func (p *pairScan) lanes(t0, t1 []byte, off1 int, sa0, sb0 uint32) (int, uint32, uint32) {
	symA, symB := &p.a.sym, &p.b.sym
	ta, tb := p.ca.trans, p.cb.trans
	t1 = t1[:len(t0)]
	after := len(t0) // lane 1 reports what ends after the halves meet, at m
	var sa1, sb1 uint32
	k := 0
	for ; k < len(t0); k++ {
		x0, x1 := t0[k], t1[k]
		na0 := ta[sa0+uint32(symA[x0])]
		nb0 := tb[sb0+uint32(symB[x0])]
		na1 := ta[sa1+uint32(symA[x1])]
		nb1 := tb[sb1+uint32(symB[x1])]
		if (na0|nb0|na1|nb1)&matchBit == 0 {
			sa0, sb0, sa1, sb1 = na0, nb0, na1, nb1
			continue
		}
		// Each step adds at most a state: with two left below the bound
		// neither lane's step empties a cache. The held hits are bounded
		// too: on a text where a word hits at every byte (a line of
		// "aaaa…" holds the context word "aaaaaaaaaa" everywhere) they
		// would take 16 bytes for each byte of lane 1, 28 MB more peak
		// memory on such a file of 200 MB.
		if len(p.ca.ps) > p.a.maxStates-2 || len(p.cb.ps) > p.b.maxStates-2 || len(p.ca.held) >= maxHeld {
			break
		}
		sa0, sb0 = p.take(sa0, sb0, na0, nb0, x0, k+1, -1, false)
		sa1, sb1 = p.take(sa1, sb1, na1, nb1, x1, off1+k+1, after, true)
		ta, tb = p.ca.trans, p.cb.trans
	}
	p.sa0, p.sb0 = sa0, sb0
	return k, sa1, sb1
}

// take moves a lane on byte x, given the transitions na, nb read for it
// (matchBit and unbuilt included), and reports or holds what ends at at
// when at > after.
func (p *pairScan) take(sa, sb, na, nb uint32, x byte, at, after int, hold bool) (uint32, uint32) {
	if na == unbuilt {
		na = p.ca.step(sa, int(p.a.sym[x]))
	}
	if nb == unbuilt {
		nb = p.cb.step(sb, int(p.b.sym[x]))
	}
	sa, sb = na&^matchBit, nb&^matchBit
	if at <= after {
		return sa, sb
	}
	if na&matchBit != 0 {
		for _, q := range p.ca.ends[int(sa)/p.a.stride] {
			p.hit(q, at, hold)
		}
	}
	if nb&matchBit != 0 {
		for _, q := range p.cb.ends[int(sb)/p.b.stride] {
			p.hit(q+p.offB, at, hold)
		}
	}
	return sa, sb
}

func (p *pairScan) hit(q int32, at int, hold bool) {
	if hold {
		p.ca.held = append(p.ca.held, laneHit{q, at})
		return
	}
	p.found(q, at)
}
