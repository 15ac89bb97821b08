// Package bzip2 decompresses bzip2 streams, concatenated streams included,
// two to three times as fast as the standard library's compress/bzip2 on
// text, and an eighth faster on highly repetitive text, whose table loads
// already hit the cache.
//
// Almost all of a bzip2 decoder's time goes to undoing the block's
// Burrows-Wheeler transform: each output byte is found by following a
// pointer through a table of up to 900,000 entries (3.6 MB), so each
// step waits on a load that misses the core's caches, and the next load
// depends on it. This decoder follows six stretches of the table's cycle
// at once and joins them afterwards (walk), so the core overlaps six
// chains' misses. The final run-length decoding and the CRC then run over
// the block as plain loops over bytes, not inside the pointer chase.
//
// Bad input is an error, never a panic or a read past a table: every count,
// index and length the stream gives is checked against its bound.
package bzip2

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Error is a structural fault in the compressed data.
type Error string

func (e Error) Error() string { return "bzip2: invalid data: " + string(e) }

const (
	blockMagic = 0x314159265359 // a block follows
	endMagic   = 0x177245385090 // the stream's end follows
	maxGroups  = 6
	maxCodeLen = 20
	groupSize  = 50 // symbols coded with one table before the next selector
	// tableBits is the width of the Huffman lookup table: codes up to
	// this long decode with one lookup, longer ones bit by bit.
	tableBits = 10
)

// Reader decompresses a bzip2 stream.
type Reader struct {
	br  bitReader
	err error

	level    int    // the stream's block size, in 100,000 bytes
	combined uint32 // the stream CRC computed over the blocks read
	blockCRC uint32 // the CRC the current block says it has
	crc      uint32 // the CRC of the current block's output so far
	inBlock  bool

	// The current block after the inverse transform, before the final
	// run-length decoding: block[pos:] is still to be decoded.
	block []byte
	pos   int
	// Run-length state: the last byte, how many times in a row it has
	// come (a fifth byte after four is a count), and copies still owed.
	last   int
	run    int
	repeat int

	t   *tables // taken from tablePool at the first block
	dec blockDecoder
}

// tables are a Reader's buffers for a block: its last column (lf), the
// forward mapping (tt), the walk's pieces and the block itself. They grow
// to the blocks read, up to 10 MB for the largest, and go back to tablePool at
// the end of the data: a scan of many small bzip2 files would otherwise
// allocate (and clear) megabytes for each.
type tables struct {
	lf, tt []uint32
	block  []byte
	walk   walk
}

var tablePool = sync.Pool{New: func() any { return new(tables) }}

// NewReader returns a Reader decompressing r. Errors in the stream surface
// on Read.
func NewReader(r io.Reader) *Reader {
	br, ok := r.(io.ByteReader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &Reader{br: bitReader{r: br}}
}

// Read implements io.Reader.
func (z *Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && z.err == nil {
		if !z.inBlock {
			z.err = z.nextBlock()
			continue
		}
		k := z.emit(p[n:])
		z.crc = crcUpdate(z.crc, p[n:n+k])
		n += k
		if z.pos == len(z.block) && z.repeat == 0 {
			z.inBlock = false
			if crc := ^z.crc; crc != z.blockCRC {
				z.err = Error(fmt.Sprintf("block checksum %08x, computed %08x", z.blockCRC, crc))
				break
			}
			z.combined = (z.combined<<1 | z.combined>>31) ^ z.blockCRC
		}
	}
	if z.err != nil && z.t != nil {
		// The data has ended (or failed): nothing reads the tables again.
		z.block = nil
		tablePool.Put(z.t)
		z.t = nil
	}
	if n > 0 {
		return n, nil
	}
	return 0, z.err
}

// emit undoes the final run-length coding of the block into p: four equal
// bytes are followed by a count of further copies. The state lives in
// locals while it runs: kept in z, each byte cost five loads and stores
// through it (a seventh of a decode of re2-exhaustive.txt.bz2).
func (z *Reader) emit(p []byte) int {
	block, pos, last, run, repeat := z.block, z.pos, z.last, z.run, z.repeat
	n := 0
	for n < len(p) {
		if repeat > 0 {
			k := min(repeat, len(p)-n)
			fill := p[n : n+k]
			for i := range fill {
				fill[i] = byte(last)
			}
			n += k
			repeat -= k
			continue
		}
		if pos == len(block) {
			break
		}
		b := block[pos]
		pos++
		if run == 4 {
			repeat, run = int(b), 0
			continue
		}
		if int(b) == last {
			run++
		} else {
			last, run = int(b), 1
		}
		p[n] = b
		n++
	}
	z.pos, z.last, z.run, z.repeat = pos, last, run, repeat
	return n
}

// nextBlock reads the stream header when one is due, then the next block;
// io.EOF after the last stream.
func (z *Reader) nextBlock() error {
	if z.level == 0 {
		if err := z.streamHeader(true); err != nil {
			return err
		}
	}
	for {
		magic := z.br.bits(48)
		if z.br.err != nil {
			return z.br.err
		}
		switch magic {
		case blockMagic:
			return z.readBlock()
		case endMagic:
		default:
			return Error("bad block magic")
		}
		want := uint32(z.br.bits(32))
		if z.br.err != nil {
			return z.br.err
		}
		if want != z.combined {
			return Error(fmt.Sprintf("stream checksum %08x, computed %08x", want, z.combined))
		}
		// Another stream may follow, from the next byte.
		z.br.align()
		if err := z.streamHeader(false); err != nil {
			return err
		}
	}
}

// streamHeader reads "BZh" and the block size. At the first stream the
// input must hold one; after a stream, the end of input ends the data.
func (z *Reader) streamHeader(first bool) error {
	b, err := z.br.r.ReadByte()
	if err != nil {
		if err == io.EOF && !first {
			return io.EOF
		}
		return unexpected(err)
	}
	var h [3]byte
	h[0] = b
	for i := 1; i < 3; i++ {
		if h[i], err = z.br.r.ReadByte(); err != nil {
			return unexpected(err)
		}
	}
	if h[0] != 'B' || h[1] != 'Z' || h[2] != 'h' {
		return Error("bad stream magic")
	}
	level, err := z.br.r.ReadByte()
	if err != nil {
		return unexpected(err)
	}
	if level < '1' || level > '9' {
		return Error("bad block size")
	}
	z.level, z.combined = int(level-'0'), 0
	return nil
}

// readBlock decodes one block up to its inverse transform.
func (z *Reader) readBlock() error {
	z.blockCRC = uint32(z.br.bits(32))
	if z.br.bits(1) != 0 {
		return Error("randomised blocks are not supported")
	}
	origPtr := int(z.br.bits(24))
	if z.br.err != nil {
		return z.br.err
	}
	if z.t == nil {
		z.t = tablePool.Get().(*tables)
	}
	n, counts, err := z.dec.decode(&z.br, &z.t.lf, z.level*100000)
	if err != nil {
		return err
	}
	if origPtr >= n {
		return Error("origin pointer past the block")
	}
	t := z.t
	if cap(t.tt) < n {
		t.tt, t.block = make([]uint32, n), make([]byte, n)
	}
	z.block = t.block[:n]
	unBWT(z.block, t.tt[:n], t.lf[:n], &counts, origPtr, &t.walk)
	z.pos, z.last, z.run, z.repeat = 0, -1, 0, 0
	z.crc = ^uint32(0)
	z.inBlock = true
	return nil
}

// unBWT undoes the Burrows-Wheeler transform of the block whose last
// column the low bytes of lf hold, writing the block to out. counts holds
// how often each byte occurs. It builds tt, where tt[j] holds the row of
// the byte that follows row j's above row j's byte (the forward mapping),
// and follows it from the block's first byte, through w's chains.
func unBWT(out []byte, tt, lf []uint32, counts *[256]int, origPtr int, w *walk) {
	n := len(out)
	var next [256]int // where the rows starting with each byte begin
	sum := 0
	for b, c := range counts {
		next[b] = sum
		sum += c
	}
	for i := range n {
		b := byte(lf[i])
		j := next[b]
		next[b]++
		tt[j] = uint32(i) << 8
	}
	for j := range n {
		tt[j] |= lf[j] & 0xff
	}
	w.follow(out, tt, tt[origPtr]>>8)
}

// The forward mapping is a permutation of the block's rows, and the block
// is the bytes of the rows on the cycle through its first byte's row, in
// cycle order. Following it one row at a time waits on a load that misses
// the caches at every step: one chain of dependent loads, some 37 ns a byte
// on this project's machine, where a load missing all caches takes 170.
// walk follows several stretches of the cycle at once, so that the core
// overlaps their misses: a chain from the first row, and chains from
// other rows not yet read, each writing its bytes into pieces of its own
// and marking the rows it reads in tt. A chain ends where it reaches a
// marked row, which is always the start of another chain (a row has one
// predecessor, and a chain that had come through it would have marked
// that too); a new chain then starts at the next unmarked row. At the
// end the pieces are copied out in cycle order, chain after chain.
//
// The design before this one followed two chains, forwards from the
// block's start and backwards from its end through a second table (the
// last-to-first mapping). Six chains decode re2-exhaustive.txt.bz2 (64 MB
// out) in 1.62-2.18 s against 2.73-3.18 s for the two (BenchmarkDecode,
// 5 alternating runs each); 4, 8 and 10 chains ran the same as 6 there.
type walk struct {
	chains []chain
	bytes  []byte  // the pieces, pieceSize bytes each
	link   []int32 // link[p] is the piece after piece p in its chain
	pieces int32   // pieces handed out
}

type chain struct {
	row         uint32 // the next row to read
	first, last int32  // its first and current piece
	fill        int32  // bytes in the last piece
	next        int32  // the chain whose start it reached, once it has
}

const (
	// walkers is how many chains run at once: 6 overlapped the misses
	// best in a first prototype's walks of a random cycle of 900,000
	// rows (2 chains: 88 ms, 4: 61, 6: 49, 8: 52, 12: 70 ms), and ran as
	// fast as 4, 8 and 10 on re2-exhaustive.txt.bz2. This walk takes
	// 13.6-14.7 ms over such a cycle (BenchmarkFollow).
	walkers = 6
	// maxChains bounds the chains started for one block. A normal block
	// takes some seventy; a periodic one (abab…) has a cycle per phase
	// and a block of one byte repeated one per row, so chains past this
	// are not started and the running ones finish the cycle alone.
	maxChains = 256
	pieceSize = 512
	marked    = 1 << 31 // in tt: the row was read; below it the chain that started there
)

// follow writes to out the bytes of the cycle of tt through row first,
// repeated if the cycle is shorter than out (a periodic block). tt[j]
// holds the row after j above j's byte, rows below 2^23; follow marks
// every row it reads.
func (w *walk) follow(out []byte, tt []uint32, first uint32) {
	n := len(out)
	if cap(w.link) < n/pieceSize+maxChains+walkers+1 {
		w.link = make([]int32, n/pieceSize+maxChains+walkers+1)
		w.bytes = make([]byte, len(w.link)*pieceSize)
	}
	w.chains, w.pieces = w.chains[:0], 0
	var live [walkers]int32
	nlive := 1
	live[0] = w.start(tt, first)
	cursor := 0           // rows below it are marked
	more := func() bool { // moves cursor to an unmarked row, if a chain may start there
		for cursor < n && tt[cursor]&marked != 0 {
			cursor++
		}
		return cursor < n && len(w.chains) < maxChains
	}
	for nlive < walkers && more() {
		live[nlive] = w.start(tt, uint32(cursor))
		nlive++
	}
	for nlive > 0 {
		for k := 0; k < nlive; {
			c := &w.chains[live[k]]
			x := tt[c.row]
			if x&marked != 0 {
				c.next = int32(x &^ marked)
				if more() {
					live[k] = w.start(tt, uint32(cursor))
				} else {
					nlive--
					live[k] = live[nlive]
				}
				continue
			}
			tt[c.row] = marked | maxChains // read, not a start
			c.row = x >> 8
			w.put(c, byte(x))
			k++
		}
	}
	k := 0
	for id := int32(0); ; {
		c := &w.chains[id]
		for p := c.first; ; p = w.link[p] {
			size := int32(pieceSize)
			if p == c.last {
				size = c.fill
			}
			at := int(p) * pieceSize
			k += copy(out[k:], w.bytes[at:at+int(size)])
			if p == c.last {
				break
			}
		}
		if id = c.next; id == 0 {
			break
		}
	}
	for k > 0 && k < n {
		k += copy(out[k:], out[:k])
	}
}

// start starts a chain at unmarked row, reading it, and returns its index.
func (w *walk) start(tt []uint32, row uint32) int32 {
	id := int32(len(w.chains))
	x := tt[row]
	tt[row] = marked | uint32(id)
	p := w.piece()
	w.chains = append(w.chains, chain{row: x >> 8, first: p, last: p, next: -1})
	w.put(&w.chains[id], byte(x))
	return id
}

func (w *walk) piece() int32 {
	p := w.pieces
	w.pieces++
	return p
}

// put appends b to c's bytes.
func (w *walk) put(c *chain, b byte) {
	if c.fill == pieceSize {
		p := w.piece()
		w.link[c.last] = p
		c.last, c.fill = p, 0
	}
	w.bytes[int(c.last)*pieceSize+int(c.fill)] = b
	c.fill++
}

// blockDecoder decodes a block's Huffman-coded, move-to-front and
// zero-run coded symbols; its tables are kept between blocks.
type blockDecoder struct {
	used      [256]byte // the bytes the block uses, in order
	selectors []uint8
	tables    [maxGroups]huffman
}

// decode reads a block's symbols from its symbol map on, writing the
// last column of the transform into the low bytes of *col, which it grows
// as the block needs up to size entries. It returns the block's length
// and each byte's count.
func (d *blockDecoder) decode(br *bitReader, col *[]uint32, size int) (int, [256]int, error) {
	out := (*col)[:cap(*col)]
	defer func() { *col = out }()
	// room makes out hold at least k entries; false past size.
	room := func(k int) bool {
		if k <= len(out) {
			return true
		}
		if k > size {
			return false
		}
		grown := make([]uint32, min(max(2*len(out), k, 64<<10), size))
		copy(grown, out)
		out = grown
		return true
	}
	var counts [256]int
	// The symbol map: sixteen ranges of sixteen bytes, each range's bits
	// present when it holds a used byte.
	nUsed := 0
	ranges := br.bits(16)
	for r := range 16 {
		if ranges&(0x8000>>r) == 0 {
			continue
		}
		bits := br.bits(16)
		for i := range 16 {
			if bits&(0x8000>>i) != 0 {
				d.used[nUsed] = byte(r*16 + i)
				nUsed++
			}
		}
	}
	if br.err != nil {
		return 0, counts, br.err
	}
	if nUsed == 0 {
		return 0, counts, Error("no symbols in use")
	}
	alpha := nUsed + 2 // RUNA, RUNB, the move-to-front values 1..nUsed-1, end of block
	nGroups := int(br.bits(3))
	nSelectors := int(br.bits(15))
	if br.err != nil {
		return 0, counts, br.err
	}
	if nGroups < 2 || nGroups > maxGroups {
		return 0, counts, Error("bad number of Huffman tables")
	}
	if nSelectors == 0 {
		return 0, counts, Error("no selectors")
	}
	// Selectors: unary indexes into a move-to-front list of the tables.
	if cap(d.selectors) < nSelectors {
		d.selectors = make([]uint8, nSelectors)
	}
	d.selectors = d.selectors[:nSelectors]
	mtfGroups := [maxGroups]uint8{0, 1, 2, 3, 4, 5}
	for i := range nSelectors {
		j := 0
		for br.bits(1) == 1 {
			if j++; j >= nGroups {
				return 0, counts, Error("bad selector")
			}
		}
		if br.err != nil {
			return 0, counts, br.err
		}
		v := mtfGroups[j]
		copy(mtfGroups[1:j+1], mtfGroups[:j])
		mtfGroups[0] = v
		d.selectors[i] = v
	}
	// Code lengths, each table's as deltas from a 5-bit start.
	var lens [258]uint8
	for t := range nGroups {
		cur := int(br.bits(5))
		for s := range alpha {
			for {
				if cur < 1 || cur > maxCodeLen {
					return 0, counts, Error("bad code length")
				}
				if br.bits(1) == 0 {
					break
				}
				if br.bits(1) == 0 {
					cur++
				} else {
					cur--
				}
			}
			if br.err != nil {
				return 0, counts, br.err
			}
			lens[s] = uint8(cur)
		}
		if err := d.tables[t].init(lens[:alpha]); err != nil {
			return 0, counts, err
		}
	}

	// The symbols: runs of the front byte (RUNA and RUNB digits of a
	// bijective base-2 count), move-to-front indexes, end of block.
	var mtf [256]uint8
	for i := range mtf {
		mtf[i] = uint8(i)
	}
	eob := uint16(alpha - 1)
	n, run, digit := 0, 0, 1
	sel, left := 0, 0
	var h *huffman
	for {
		if left == 0 {
			if sel >= nSelectors {
				return 0, counts, Error("more symbols than selectors")
			}
			h, left = &d.tables[d.selectors[sel]], groupSize
			sel++
		}
		left--
		sym, err := h.decode(br)
		if err != nil {
			return 0, counts, err
		}
		if sym <= 1 { // RUNA, RUNB
			run += digit << sym
			digit <<= 1
			if run > size {
				return 0, counts, Error("run past the block size")
			}
			continue
		}
		if run > 0 {
			if !room(n + run) {
				return 0, counts, Error("block larger than its size")
			}
			b := d.used[mtf[0]]
			for i := n; i < n+run; i++ {
				out[i] = uint32(b)
			}
			counts[b] += run
			n += run
			run, digit = 0, 1
		}
		if sym == eob {
			return n, counts, nil
		}
		idx := int(sym - 1)
		if idx >= nUsed {
			return 0, counts, Error("move-to-front index past the symbols in use")
		}
		if !room(n + 1) {
			return 0, counts, Error("block larger than its size")
		}
		v := mtf[idx]
		copy(mtf[1:idx+1], mtf[:idx])
		mtf[0] = v
		b := d.used[v]
		out[n] = uint32(b)
		counts[b]++
		n++
	}
}

// huffman is one canonical Huffman code of a block.
type huffman struct {
	// table maps the next tableBits bits to a symbol and its code length
	// (symbol<<8 | length), 0 when the code is longer.
	table [1 << tableBits]uint32
	// For longer codes, canonical decoding by length: first[l] is the
	// first code of length l, count[l] how many there are, and
	// offset[l] where their symbols start in syms.
	first, count, offset [maxCodeLen + 1]int
	syms                 [258]uint16
}

// init builds the code from its symbols' lengths: codes are given in order
// of length, and within a length in order of symbol.
func (h *huffman) init(lens []uint8) error {
	h.count = [maxCodeLen + 1]int{}
	for _, l := range lens {
		h.count[l]++
	}
	code, k := 0, 0
	for l := 1; l <= maxCodeLen; l++ {
		h.first[l], h.offset[l] = code, k
		k += h.count[l]
		code += h.count[l]
		if code > 1<<l {
			return Error("oversubscribed Huffman code")
		}
		code <<= 1
	}
	next := h.offset
	for s, l := range lens {
		h.syms[next[l]] = uint16(s)
		next[l]++
	}
	h.table = [1 << tableBits]uint32{}
	for l := 1; l <= tableBits; l++ {
		for i := range h.count[l] {
			s := h.syms[h.offset[l]+i]
			c := (h.first[l] + i) << (tableBits - l)
			for j := range 1 << (tableBits - l) {
				h.table[c+j] = uint32(s)<<8 | uint32(l)
			}
		}
	}
	return nil
}

// decode reads one symbol.
func (h *huffman) decode(br *bitReader) (uint16, error) {
	if br.fill(tableBits) {
		e := h.table[br.peek(tableBits)]
		if e != 0 {
			br.n -= uint(e & 0xff)
			return uint16(e >> 8), nil
		}
	}
	// A longer code, or the input's last bits: bit by bit.
	code := 0
	for l := 1; l <= maxCodeLen; l++ {
		code = code<<1 | int(br.bits(1))
		if br.err != nil {
			return 0, br.err
		}
		if i := code - h.first[l]; i >= 0 && i < h.count[l] {
			return h.syms[h.offset[l]+i], nil
		}
	}
	return 0, errBadCode
}

// errBadCode is a bit sequence that is no code of the block's Huffman code
// (which damaged code lengths leave incomplete).
var errBadCode = Error("bad Huffman code")

// bitReader reads bits most significant first. v holds n bits not yet
// read, in its low bits; past the end of input bits reads zeros and err
// says why.
type bitReader struct {
	r   io.ByteReader
	v   uint64
	n   uint
	err error
}

// fill tries to hold at least k bits (k ≤ 56), reporting whether it does.
func (b *bitReader) fill(k uint) bool {
	for b.n < k {
		c, err := b.r.ReadByte()
		if err != nil {
			return false
		}
		b.v = b.v<<8 | uint64(c)
		b.n += 8
	}
	return true
}

// peek returns the next k bits, which fill has made sure of.
func (b *bitReader) peek(k uint) uint64 { return b.v >> (b.n - k) & (1<<k - 1) }

// bits reads k bits (k ≤ 48).
func (b *bitReader) bits(k uint) uint64 {
	if !b.fill(k) {
		if b.err == nil {
			b.err = io.ErrUnexpectedEOF
		}
		b.n = 0
		return 0
	}
	b.n -= k
	return b.v >> b.n & (1<<k - 1)
}

// align drops the bits left of the current byte.
func (b *bitReader) align() { b.n -= b.n % 8 }

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
