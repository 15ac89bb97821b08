package detect

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/finding"
)

// A long stream scanned by one goroutine holds up a scan of many files
// behind it (a 2 GB database dump among a share's documents), and runs at
// one core's speed when it is scanned alone. Scan with Input.Slots
// therefore cuts a stream longer than a segment into consecutive stretches
// and, while slots are free (other workers have nothing to scan), scans
// them at once, each on a goroutine of its own, while the caller's goes on
// reading; while the others are busy, it scans them itself, one after the
// other. The stream is still read once and in order, so whatever the
// reader does on the way (decoding, hashing for the scan cache, matching
// registered data) sees it as before.
//
// The findings are those of one scan of the whole stream, finding for
// finding and in the same order. A scan's decisions are local: a match
// needs the text a keep before it and a longest match after it, as at a
// chunk edge (run), and a candidate's fate depends on the candidates whose
// values overlap its own (finish). So each stretch's scanner reads its text
// from a keep and two longest matches before the stretch to two longest
// matches after it, takes the matches that start from two longest matches
// before it to one after it, and emits only the candidates whose values
// start in the stretch: every candidate it emits has met each candidate it
// could overlap. Line and column come from a position the reading
// goroutine carries along the stream.

// segmentSize is the length of a stretch: large beside the margins read
// twice (some 40 KB for the built-in rules, 1%), small enough that a few in
// flight cost little memory.
const segmentSize = 4 << 20

// segment bounds the scan of one stretch of a stream, in stream offsets.
type segment struct {
	on                 bool
	acceptLo, acceptHi int64 // matches that start here are taken
	lo, hi             int64 // candidates whose values start here are emitted
	last               bool  // the text runs to the end of the stream
	// text is the stretch's text, from the scan's base on, made valid
	// UTF-8: the scan reads no stream.
	text []byte
}

// owns reports whether the stretch emits or counts what starts at at.
func (g *segment) owns(at int64) bool { return at >= g.lo && at < g.hi }

// stretch is one segment in flight: its text, where it lies and what its
// scan found.
type stretch struct {
	store []byte // the stream from a margin before the stretch on
	base  int64  // stream offset of seg.text

	pos   position // at base
	seg   segment
	found findingList
	stats finding.Stats
	err   error
	// panicked is what a scan on a goroutine of its own panicked with:
	// raised again on the caller's, whose recovery a scan of one stream
	// would have met.
	panicked any
	done     chan struct{}
}

// scanParallel is Scan on as many goroutines as in.Slots has slots (see
// above); the caller's reads the stream, and takes a slot only to scan a
// stretch itself.
func (e *Engine) scanParallel(ctx context.Context, in Input, emit func(finding.Finding) error) (finding.Stats, error) {
	m := e.margins()
	size := e.segmentLen()
	width := m.before + size + m.after

	// Most streams are short: a first chunk, as a scan of one would read,
	// tells them apart; they are scanned as usual, from memory.
	peek := e.buffers(e.opts.chunkSize + e.keep())
	defer e.bufPool.Put(peek)
	n, err := io.ReadFull(in.R, peek.buf[:cap(peek.buf)])
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		in.R = bytes.NewReader(peek.buf[:n])
		return e.scanOne(ctx, in, emit)
	}
	if err != nil {
		return finding.Stats{Bytes: int64(n)}, err
	}
	mine := 0 // stores taken and not given back
	take := func() []byte { mine++; return e.stores.take(width) }
	budget := storeBudget(cap(in.Slots))
	give := func(b []byte) { mine--; e.stores.give(b, budget) }
	// Stores a panic or a failed read left behind are the collector's.
	defer func() { e.stores.forget(mine) }()
	first := take()
	copy(first[m.before:], peek.buf[:n])
	k, err := io.ReadFull(in.R, first[m.before+n:m.before+size])
	n += k
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		in.R = bytes.NewReader(first[m.before : m.before+n])
		st, err := e.scanOne(ctx, in, emit)
		give(first)
		return st, err
	}
	if err != nil {
		give(first)
		return finding.Stats{Bytes: int64(n)}, err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sel := e.selectionFor(in.Path)
	var (
		total    = int64(n)
		stats    finding.Stats
		inflight []*stretch
		cp       = position{line: 1} // the position at cur's base
		firstErr error
		panicked any // raised once every stretch is done
	)
	// drain waits for the oldest stretch in flight and passes on what it
	// found, in order.
	drain := func() {
		st := inflight[0]
		inflight[0] = nil // its findings and store go with it
		inflight = inflight[1:]
		<-st.done
		stats.Add(st.stats)
		if st.panicked != nil && panicked == nil {
			panicked, st.err = st.panicked, errPanicked
		}
		if firstErr == nil {
			firstErr = st.err
		}
		if firstErr == nil {
			firstErr = st.found.each(emit)
		}
		if firstErr != nil {
			cancel()
		}
		give(st.store)
	}
	// scan scans st, and emits its findings when direct, else keeps them
	// for drain.
	scan := func(st *stretch, direct bool) {
		s := e.scanner()
		s.in = Input{Location: in.Location, Path: in.Path}
		s.emit = func(f finding.Finding) error { st.found.add(f); return nil }
		if direct {
			s.emit = emit
		}
		s.selection, s.base, s.pos, s.seg = sel, st.base, st.pos, st.seg
		st.err = s.run(ctx)
		st.stats = s.stats
		e.release(s)
	}
	// dispatch has st scanned by a goroutine of its own, in a slot: at
	// once when one is free (a worker has nothing else to scan), else
	// when one frees. Then, when the stretches before st are done, the
	// slot was another worker's, which is busy: this goroutine scans st
	// itself and emits its findings as it finds them, as a scan of one
	// stream does. A scan whose workers are all busy cuts its long
	// streams but does not spread them.
	dispatch := func(st *stretch) {
		st.done = make(chan struct{})
		helped := true
		select {
		case in.Slots <- struct{}{}:
		default:
			if st.err = in.Slots.take(ctx); st.err != nil {
				inflight = append(inflight, st)
				close(st.done)
				return
			}
			for len(inflight) > 0 && firstErr == nil && closed(inflight[0].done) {
				drain()
			}
			helped = len(inflight) > 0
		}
		inflight = append(inflight, st)
		if helped {
			go func() {
				defer close(st.done)
				defer in.Slots.give()
				defer func() { st.panicked = recover() }()
				scan(st, false)
			}()
		} else {
			func() {
				defer close(st.done)
				defer in.Slots.give() // a panic must not keep it
				if firstErr == nil {
					scan(st, true)
				}
			}()
		}
		// Besides those scanning, one stretch may wait for its turn,
		// and one is being read into. Those done go at once: their
		// stores are free for the next.
		for len(inflight) > 0 && firstErr == nil && (len(inflight) > cap(in.Slots)+1 || closed(inflight[0].done)) {
			drain()
		}
	}

	// cur is the stretch being read: its store holds the stream from
	// cur.seg.lo-m.before on, the stretch itself from store[m.before].
	cur := &stretch{store: first, seg: segment{on: true}}
	e.open(cur, m)
	for firstErr == nil {
		// Read the next stretch: its first bytes are the text cur's
		// scanner reads past cur.
		// The stores of all long streams in flight at once are bounded,
		// whatever the number of workers: past the budget a stream
		// waits for its own oldest stretch before it reads on.
		for len(inflight) > 0 && firstErr == nil && e.stores.out.Load() >= int64(budget) {
			drain()
		}
		next := &stretch{store: take(), seg: segment{on: true, lo: cur.seg.lo + int64(n)}}
		k, err := io.ReadFull(in.R, next.store[m.before:m.before+size])
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			firstErr = err
			break
		}
		total += int64(k)
		tail := m.before + n
		if end && k <= m.after {
			// What is left fits in cur's margin: cur runs to the end.
			copy(cur.store[tail:], next.store[m.before:m.before+k])
			cur.seg.hi, cur.seg.last = next.seg.lo+int64(k), true
			e.close(cur, tail+k)
			cur.pos = cp
			dispatch(cur)
			give(next.store)
			break
		}
		copy(cur.store[tail:], next.store[m.before:m.before+m.after])
		cur.seg.hi = next.seg.lo
		e.close(cur, tail+m.after)
		// next's margin before its stretch lies in cur's store.
		copy(next.store[:m.before], cur.store[n:n+m.before])
		e.open(next, m)
		cur.pos = cp
		cp.advance(cur.seg.text, cur.base, next.base)
		dispatch(cur)
		cur, n = next, k
		if end {
			cur.seg.hi, cur.seg.last = cur.seg.lo+int64(k), true
			e.close(cur, m.before+k)
			cur.pos = cp
			dispatch(cur)
			break
		}
	}
	for len(inflight) > 0 {
		drain()
	}
	if panicked != nil {
		panic(panicked)
	}
	stats.Bytes = total
	return stats, firstErr
}

// errPanicked stops a scan whose stretch panicked, until the panic is
// raised again.
var errPanicked = errors.New("detect: a stretch's scan panicked")

// closed reports whether c is closed, without waiting.
func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// findingList holds a stretch's findings until it is their turn, in
// blocks: a slice doubled as it grows copied its findings over and over
// (a stretch of logs holds thousands), some 7% of such a scan's CPU.
type findingList struct{ blocks [][]finding.Finding }

const findingBlock = 512

func (l *findingList) add(f finding.Finding) {
	if k := len(l.blocks); k == 0 || len(l.blocks[k-1]) == findingBlock {
		l.blocks = append(l.blocks, make([]finding.Finding, 0, findingBlock))
	}
	k := len(l.blocks) - 1
	l.blocks[k] = append(l.blocks[k], f)
}

// each calls fn for each finding in order, up to the first error.
func (l *findingList) each(fn func(finding.Finding) error) error {
	for _, b := range l.blocks {
		for _, f := range b {
			if err := fn(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// storeList keeps the stores of stretches for the next ones, and one
// between long streams: not a sync.Pool, which a collection empties, and a
// store of megabytes allocated anew is megabytes of page faults. It counts
// the stores out, which storeBudget bounds.
type storeList struct {
	mu   sync.Mutex
	free [][]byte
	out  atomic.Int64
}

// maxStores is how many stores the list keeps while no long stream is in
// flight. A stream that ends gives back the stores it cycled through (four
// of 4 MiB in a 2-worker scan of the benchmark corpus), and kept they stayed
// live through the rest of the scan: 16 MB, which raised the heap the
// collector allows by half again as much. A stream that starts allocates
// the one or two more it needs: a millisecond of page faults.
const maxStores = 1

// storeBudget is how many stores the long streams of a scan with slots
// slots may hold at once before they wait for their stretches: as many as
// one stream uses with every slot helping it (one being read, one being
// scanned per slot, one waiting), and one more per slot. Each stream holds
// two at least, the one read and the one before.
func storeBudget(slots int) int { return 2*slots + 2 }

func (l *storeList) take(width int) []byte {
	l.out.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := len(l.free); k > 0; k = len(l.free) {
		b := l.free[k-1]
		l.free = l.free[:k-1]
		if len(b) == width {
			return b
		}
	}
	return make([]byte, width)
}

// give takes b back, and keeps it while fewer than keep are kept: a long
// stream cycles through its stores. When it is the last out, no stream is
// in flight and the list keeps maxStores at most.
func (l *storeList) give(b []byte, keep int) {
	out := l.out.Add(-1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.free) < keep {
		l.free = append(l.free, b)
	}
	if out == 0 && len(l.free) > maxStores {
		clear(l.free[maxStores:])
		l.free = l.free[:maxStores]
	}
}

// trim drops the stores kept (Engine.Trim).
func (l *storeList) trim() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.free)
	l.free = nil
}

// forget counts n stores out as back, left to the collector.
func (l *storeList) forget(n int) { l.out.Add(-int64(n)) }

// margins are the text a stretch's scanner reads before the stretch and
// after it.
type margins struct{ before, after int }

// slack lets a stretch's text start and end at a rune.
const slack = utf8.UTFMax + 1

func (e *Engine) margins() margins {
	return margins{before: e.keep() + 2*e.maxLen + slack, after: 2*e.maxLen + slack}
}

// segmentLen is the length of a stretch: segmentSize, and at least twice
// the margins, so that the next stretch's margin before it lies in the
// stretch, and at least the first chunk read to tell a short stream.
func (e *Engine) segmentLen() int {
	m := e.margins()
	return max(e.opts.segmentSize, 2*(m.before+m.after), e.opts.chunkSize+e.keep())
}

// open sets where stretch st's text starts, from the stream's start or a
// keep before the first match it takes, at a rune, and the first match it
// takes. Its store must hold the stream from there.
func (e *Engine) open(st *stretch, m margins) {
	keep := int64(e.keep())
	storeBase := st.seg.lo - int64(m.before)
	st.seg.acceptLo = max(st.seg.lo-2*int64(e.maxLen), 0)
	at := max(st.seg.acceptLo-keep-slack, 0)
	from := int(at - storeBase)
	for n := 0; at > 0 && n < utf8.UTFMax-1 && !utf8.RuneStart(st.store[from]); n++ {
		from++
	}
	st.base = storeBase + int64(from)
	st.seg.text = st.store[from:from]
}

// close sets where stretch st's text ends, its store being filled to
// fill, and the last match it takes: one that starts a longest match past
// the stretch, unless it is the last. A text that stops before the stream
// does ends after a whole rune: its scanner, which sees its reader end,
// would take a cut one for a broken one.
func (e *Engine) close(st *stretch, fill int) {
	from := int(st.base - (st.seg.lo - int64(e.margins().before)))
	to := fill
	st.seg.acceptHi = st.seg.hi
	if !st.seg.last {
		st.seg.acceptHi += int64(e.maxLen)
		j := to - 1 // where the last rune starts
		for n := 0; n < utf8.UTFMax-1 && j > from && !utf8.RuneStart(st.store[j]); n++ {
			j--
		}
		if !utf8.FullRune(st.store[j:to]) {
			to = j
		}
	}
	st.seg.text = st.store[from:to]
	// Made valid as a scan of the whole stream would make it (run): the
	// text starts and ends at a rune, and a rune is valid or not by its
	// own bytes. The next stretch's margin is copied from it, and the
	// position is carried over it, afterwards.
	sanitizeUTF8(st.seg.text, true)
}
