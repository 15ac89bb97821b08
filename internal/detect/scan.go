package detect

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/finding"
)

// Input is one stream of text to scan: UTF-8 (the extractors decode other
// encodings), with the location its findings will carry. Path is used by
// path-limited rules and file-type aware checks; it defaults to
// Location.Path.
type Input struct {
	Location finding.Location
	Path     string
	R        io.Reader
	// Slots, when it holds more than one, lets a long stream be scanned
	// on that many goroutines at once (parallel.go). Every scan of the
	// engine given the same Slots takes one while it scans, not while it
	// reads, so that the goroutines sharing them (a scan's workers) never
	// scan more streams, or stretches of streams, at once than there are
	// slots: each scan holds automaton state caches of its own.
	Slots Slots
}

// Slots bound the scans that run at once: NewSlots(n).
type Slots chan struct{}

// NewSlots returns n slots.
func NewSlots(n int) Slots { return make(Slots, n) }

// take waits for a slot, or for ctx to end.
func (sl Slots) take(ctx context.Context) error {
	select {
	case sl <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (sl Slots) give() { <-sl }

// lineSnap is how far a regex window is stretched to reach a line start or
// end, so that anchors and \b see the same text as a whole-text scan would.
const lineSnap = 256

// windowGap is the most text between two windows of a rule that the regex
// reads rather than being called twice.
const windowGap = 256

// Scan reads in to the end and calls emit for every finding, in order of
// offset (then rule id). It returns the scan's counts (bytes, suppressed
// candidates by reason) and the first error of the reader or emit.
func (e *Engine) Scan(ctx context.Context, in Input, emit func(finding.Finding) error) (finding.Stats, error) {
	if in.Path == "" {
		in.Path = in.Location.Path
	}
	if cap(in.Slots) > 1 {
		return e.scanParallel(ctx, in, emit)
	}
	in.Slots = nil // one slot: nothing to share
	return e.scanOne(ctx, in, emit)
}

// scanOne is Scan on the caller's goroutine, in a slot if there are slots.
// Then its text is in memory: a scan that holds a slot never waits for its
// text, which may come from an extractor whose other work (a mail's
// attachment, while its body is open) needs a slot too.
func (e *Engine) scanOne(ctx context.Context, in Input, emit func(finding.Finding) error) (finding.Stats, error) {
	if in.Slots != nil {
		if err := in.Slots.take(ctx); err != nil {
			return finding.Stats{}, err
		}
		defer in.Slots.give()
	}
	s := e.scanner()
	s.in, s.emit, s.pos = in, emit, position{line: 1}
	s.selection = e.selectionFor(in.Path)
	err := s.run(ctx)
	st := s.stats
	e.release(s)
	return st, err
}

// scanner returns a scanner for one Scan, recycled: its per-rule tables
// would otherwise be allocated for every file.
func (e *Engine) scanner() *scanner {
	if s, ok := e.scanPool.Get().(*scanner); ok {
		return s
	}
	return &scanner{e: e, wins: make([][]span, len(e.rules)), rareAt: make([]int, e.nRare), shapeRuns: make([]shapeRuns, e.nShapes), shapeNext: make([]int, e.nShaped), needHits: make([][]span, len(e.needs)), kwHits: make([][]span, e.nKwSlots)}
}

// release clears what a scan left and returns s to the pool.
func (e *Engine) release(s *scanner) {
	for _, i := range s.touched {
		s.wins[i] = s.wins[i][:0]
	}
	*s = scanner{e: e, wins: s.wins, touched: s.touched[:0], hits: s.hits[:0], cands: s.cands[:0], recent: s.recent[:0], specific: s.specific[:0], shapeRuns: s.shapeRuns, shapeNext: s.shapeNext, rareAt: s.rareAt, needHits: s.needHits, kwHits: s.kwHits, deferred: s.deferred[:0], lines: s.lines, allowHits: s.allowHits[:0]}
	e.scanPool.Put(s)
}

// scanner is the state of one Scan.
type scanner struct {
	e     *Engine
	in    Input
	emit  func(finding.Finding) error
	stats finding.Stats
	cand  Candidate // what the checks of the current match see (consider)

	*selection          // the rules for this input
	hits       []ctxHit // context words in this round's buffer

	buf  []byte
	base int64 // stream offset of buf[0]
	pos  position

	cands  []candidate // found, not yet emitted
	recent []candidate // specific ones emitted that may still overlap a pending one
	// specific are the candidates of specific rules, pending and recent,
	// in order of value start, once a round's specific rules have run.
	specific []candidate
	// wins[i] are the windows of e.rules[i] in this round; touched lists
	// the rules that have any, in first-hit order.
	wins    [][]span
	touched []int
	// shapeRuns are the runs tested per shape (shape.slot), shapeNext
	// per shaped rule (compiled.shapeSlot) the first without a window.
	shapeRuns []shapeRuns
	shapeNext []int
	digitBuf  []byte // scratch for shape.pieces
	// rareAt are where the rules' required texts next occur (required.go).
	rareAt []int
	// needHits[k] are the occurrences of the words of Engine.needs[k] in
	// this round's buffer; deferred the keyword windows waiting for them.
	needHits [][]span
	deferred []deferred
	// kwHits[k] are the keyword hits of the rule scheduled by its factors
	// with kwSlot k (need.go).
	kwHits [][]span
	lines  lineMemo // credential lines of this round's buffer
	// allowHits are where the allow marker starts, found by the scan
	// automaton from allowFrom on.
	allowHits []int
	allowFrom int

	// seg bounds the scan of one segment of a long stream (parallel.go).
	seg segment
	// at is the stream offset of the match or candidate a suppression
	// is counted for: a segment counts those of its own stretch only.
	at int64
}

type span struct{ start, end int }

// keep is the text a round leaves for the next: the longest match, the
// widest context window, and the stretch to a line's start.
func (e *Engine) keep() int { return e.maxLen + e.window + lineSnap }

func (s *scanner) run(ctx context.Context) error {
	e := s.e
	keep := e.keep()
	acceptFrom := 0 // index into buf
	if s.seg.on {
		acceptFrom = int(s.seg.acceptLo - s.base)
	}
	size := e.opts.chunkSize + keep // of buf
	// A stretch's text, made valid UTF-8 as it was read, is scanned where
	// it lies: buf is text[off:], in the rounds a stream's would be.
	text, off := s.seg.text, 0
	if text == nil {
		bufs := e.buffers(size)
		defer e.bufPool.Put(bufs)
		s.buf = bufs.buf[:0]
	}
	checked := 0 // buf[:checked] is valid UTF-8
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var eof bool
		if text != nil {
			end := min(off+size, len(text))
			s.stats.Bytes += int64(end - off - len(s.buf))
			s.buf = text[off:end:end]
			checked, eof = len(s.buf), end == len(text)
		} else {
			n, err := io.ReadFull(s.in.R, s.buf[len(s.buf):cap(s.buf)])
			eof = errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
			if err != nil && !eof {
				return err
			}
			s.buf = s.buf[:len(s.buf)+n]
			s.stats.Bytes += int64(n)
			checked += sanitizeUTF8(s.buf[checked:], eof)
		}
		// A segment's text ends before the stream does, unless it is
		// the last.
		end := eof && (!s.seg.on || s.seg.last)

		// A rune cut by the read waits for the next one: the regexes see
		// only buf[:checked], which RE2 needs to be valid UTF-8.
		full := len(s.buf)
		s.buf = s.buf[:checked]
		acceptTo := checked
		if !end {
			acceptTo -= e.maxLen
		}
		stop := end
		if s.seg.on && !s.seg.last {
			// A segment takes the matches that start before acceptHi;
			// its text reaches a longest match past that.
			if hi := int(s.seg.acceptHi - s.base); acceptTo >= hi || eof {
				acceptTo, stop = min(acceptTo, hi), true
			}
		}
		if acceptTo > acceptFrom {
			if err := s.round(acceptFrom, acceptTo, end); err != nil {
				return err
			}
		} else {
			acceptTo = acceptFrom
		}
		if stop {
			// Nothing new may come, but candidates may still wait: at a
			// segment's end everything goes, as at the stream's.
			s.buf = s.buf[:full]
			return s.finish(s.base+int64(acceptTo), true)
		}
		s.buf = s.buf[:full]
		// Keep the tail that later matches and context may still need;
		// count lines up to where the first waiting candidate starts.
		cut := max(acceptTo-keep, 0)
		counted := s.base + int64(acceptTo)
		if len(s.cands) > 0 {
			counted = min(counted, s.cands[0].vStart)
		}
		s.pos.advance(s.buf, s.base, counted)
		if text != nil {
			off += cut
			s.buf = text[off : off+len(s.buf)-cut]
		} else {
			copy(s.buf, s.buf[cut:])
			s.buf = s.buf[:len(s.buf)-cut]
		}
		s.base += int64(cut)
		acceptFrom = acceptTo - cut
		checked -= cut
	}
}

// subst replaces bytes that are not UTF-8: RE2 stops at invalid UTF-8, and
// one byte for one keeps every offset true. SUB is what it was made for.
const subst = 0x1A

// sanitizeUTF8 replaces invalid bytes in b with subst and returns how many
// bytes are now valid: all of b, or all but a rune cut at the end of b when
// more input may complete it (final false).
func sanitizeUTF8(b []byte, final bool) int {
	if utf8.Valid(b) {
		return len(b)
	}
	i := 0
	for i < len(b) {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			if !final && !utf8.FullRune(b[i:]) {
				return i
			}
			b[i] = subst
			size = 1
		}
		i += size
	}
	return i
}

// round finds, checks and emits the candidates that start in
// [acceptFrom, acceptTo) of the buffer.
func (s *scanner) round(acceptFrom, acceptTo int, eof bool) error {
	end := len(s.buf)
	for _, i := range s.touched {
		s.wins[i] = s.wins[i][:0]
	}
	s.touched = s.touched[:0]
	s.hits = s.hits[:0]
	s.resetShapes()
	for i := range s.rareAt {
		s.rareAt[i] = -1
	}
	for k := range s.needHits {
		s.needHits[k] = s.needHits[k][:0]
	}
	for k := range s.kwHits {
		s.kwHits[k] = s.kwHits[k][:0]
	}
	s.deferred = s.deferred[:0]
	s.lines.reset()
	s.allowHits, s.allowFrom = s.allowHits[:0], len(s.buf)+1
	// 1. one pass for keywords, context words and factors: windows around
	// keywords and factors; 2. around context words, for rules that need
	// them; everything, for rules with nothing to go by.
	s.scanWords(acceptFrom, eof)
	s.freeWindows(acceptFrom)
	// Rules run in the engine's order, specific ones first, so that the
	// work, and any error, is deterministic, and a generic rule's match
	// that a specific finding explains is known as such before its checks
	// run (explained).
	sort.Ints(s.touched)
	s.specific = s.specific[:0] // collected by matchRules, when a generic rule runs
	for _, generic := range [2]bool{false, true} {
		if err := s.matchRules(generic, acceptFrom, acceptTo); err != nil {
			return err
		}
	}
	// 3. the reference path: every rule over the whole buffer.
	for _, c := range s.refRules {
		all := span{0, end}
		if err := s.match(c, all, []span{all}, acceptFrom, acceptTo); err != nil {
			return err
		}
	}
	return s.finish(s.base+int64(acceptTo), eof)
}

// matchRules runs the touched rules that are generic, or those that are
// not, over their windows. Before the first generic one it collects the
// specific candidates (collectSpecific): a round without a generic rule,
// most of those of small files, does not copy and sort them.
func (s *scanner) matchRules(generic bool, acceptFrom, acceptTo int) error {
	collected := false
	for _, i := range s.touched {
		c, ws := s.e.rules[i], s.wins[i]
		if c.Generic != generic {
			continue
		}
		if generic && !collected {
			s.collectSpecific()
			collected = true
		}
		// Windows stretched to whole lines that overlap, or lie a few
		// lines apart, run as one: the regex reads each line once, and a
		// call to it costs as much as reading a few lines.
		for j := 0; j < len(ws); {
			w, k := s.snap(ws[j]), j+1
			for ; k < len(ws); k++ {
				next := s.snap(ws[k])
				if next.start > w.end+windowGap {
					break
				}
				w.end = max(w.end, next.end)
			}
			if err := s.match(c, w, ws[j:k], acceptFrom, acceptTo); err != nil {
				return err
			}
			j = k
		}
	}
	return nil
}

// addWindow appends [start, end) clipped to [0, limit), merging it with the
// last window when they touch (keyword hits arrive in ascending order).
func addWindow(ws []span, start, end, limit int) []span {
	start, end = max(start, 0), min(end, limit)
	if n := len(ws); n > 0 && start <= ws[n-1].end {
		ws[n-1].end = max(ws[n-1].end, end)
		return ws
	}
	return append(ws, span{start, end})
}

// snap widens a window to the nearest line start before it and line end
// after it, within lineSnap bytes.
func (s *scanner) snap(w span) span {
	if w.start > 0 {
		lo := max(w.start-lineSnap, 0)
		if i := bytes.LastIndexByte(s.buf[lo:w.start], '\n'); i >= 0 {
			w.start = lo + i + 1
		} else {
			w.start = lo // a long line: cut it far from the window
		}
	}
	if w.end < len(s.buf) {
		hi := min(w.end+lineSnap, len(s.buf))
		if i := bytes.IndexByte(s.buf[w.end:hi], '\n'); i >= 0 {
			w.end += i
		} else {
			w.end = hi
		}
	}
	return w
}

// match runs c's regex over w, windows stretched to whole lines, and
// collects candidates that start in [acceptFrom, acceptTo) and in one of
// the windows themselves (raw, in order): every match a window was opened
// for starts there, and one that starts in the stretch may be an artefact
// of where a long line was cut. The fast path finds the matches' bounds
// first (matchBounds); the reference path asks RE2 for every match with
// its groups, the straightforward way the fast one is held to.
func (s *scanner) match(c *compiled, w span, raw []span, acceptFrom, acceptTo int) error {
	acc := accepter{raw: raw, from: acceptFrom, to: acceptTo}
	text := s.buf[w.start:w.end]
	if !s.e.opts.reference {
		f, err := c.finder(len(text), s.e.opts.goBudget)
		if err != nil {
			return err
		}
		return s.matchBounds(c, f, text, w.start, &acc)
	}
	re, err := c.matcher()
	if err != nil {
		return err
	}
	for _, m := range re.FindAllSubmatchIndex(text, -1) {
		if m[0] == m[1] || !acc.ok(w.start+m[0]) {
			continue
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += w.start
			}
		}
		s.consider(c, m)
	}
	return nil
}

// accepter says which match starts a round takes: those in [from, to)
// and in one of the windows raw, asked in ascending order.
type accepter struct {
	raw      []span
	from, to int
	next     int // raw[:next] end before the last start asked
}

func (a *accepter) ok(start int) bool {
	if start < a.from || start >= a.to {
		return false
	}
	for a.next < len(a.raw) && a.raw[a.next].end <= start {
		a.next++
	}
	return a.next < len(a.raw) && a.raw[a.next].start <= start
}

// matchBounds is match on the fast path. RE2 finds where a regex
// matches several times faster than it finds the groups inside the match
// (groups.go): it finds the bounds of c's matches in text (at offset base
// of the buffer), drops those the first check would turn down whatever
// their groups, counted under its name as consider would count them (too
// few digits for minDigits, a condition on the bounds (boundsNeed) not
// met, no run of the check's shape, a consuming alternative), and finds
// the groups of the others one by one (a native finder gives them with
// the bounds).
func (s *scanner) matchBounds(c *compiled, re finder, text []byte, base int, acc *accepter) error {
	var all [][]int // every match with groups, if an anchored search fails
	next := 0       // all[:next] start before the match at hand
	// A native finder gives the groups with the bounds, for nothing.
	withGroups := c.native != nil
	var ls [][]int
	if withGroups {
		ls = re.FindAllSubmatchIndex(text, -1)
	} else {
		ls = re.FindAllIndex(text, -1)
	}
	for _, l := range ls {
		if l[0] == l[1] || !acc.ok(base+l[0]) {
			continue
		}
		s.at = s.base + int64(base+l[0])
		if c.minDigits > 0 && l[1]-l[0] <= c.MaxLen && countDigits(text[l[0]:l[1]]) < c.minDigits {
			if len(c.keywords) == 0 || containsAny(text[l[0]:l[1]], c.keywords) {
				s.suppress(suppressCheck + c.checks[0].name)
			}
			continue
		}
		if c.boundsNeed != nil && l[1]-l[0] <= c.MaxLen && (len(c.keywords) == 0 || containsAny(text[l[0]:l[1]], c.keywords)) &&
			!c.boundsNeed(&Candidate{Path: s.in.Path, text: s.buf, match: []int{base + l[0], base + l[1]}, lines: &s.lines}) {
			s.suppress(suppressCheck + c.checks[0].name)
			continue
		}
		// A match of a consuming alternative has a value the first check
		// turns down, whatever its groups (branches.go). Asked before the
		// shape: mostly one look at the match's first byte.
		if doomed, err := c.consumed(text, l[0], l[1]); err != nil {
			return err
		} else if doomed {
			s.suppress(suppressCheck + c.checks[0].name)
			continue
		}
		if c.shape != nil && l[1]-l[0] <= c.MaxLen && !c.shape.any(s.buf, base+l[0], base+l[1], &s.digitBuf, c.digitBounded) {
			// No value the shaped check could pass lies in the match:
			// counted as that check's.
			s.suppress(suppressCheck + c.shapeName)
			continue
		}
		// A generic match whose value starts at the match, where a
		// specific finding of its kind holds that first byte, would be
		// superseded in consider (explained): its groups need not be
		// found either.
		if c.Generic && c.valueAtStart && c.valuesNonEmpty && len(s.specific) > 0 && l[1]-l[0] <= c.MaxLen &&
			(len(c.keywords) == 0 || containsAny(text[l[0]:l[1]], c.keywords)) {
			if at := s.base + int64(base+l[0]); s.explained(c, at, at+1) {
				s.suppress(SuppressSuperseded)
				continue
			}
		}
		m := l
		if !withGroups {
			var err error
			if m, err = c.groupsAt(text, l[0], l[1]); err != nil {
				return err
			}
		}
		if m == nil {
			if all == nil {
				all = re.FindAllSubmatchIndex(text, -1)
			}
			// Both searches list the matches in order.
			for next < len(all) && all[next][0] < l[0] {
				next++
			}
			if next < len(all) && all[next][0] == l[0] {
				m = all[next] // shifted below: taken once
				next++
			}
		}
		if m == nil {
			continue // the two searches disagree; cannot happen
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += base
			}
		}
		s.consider(c, m)
	}
	return nil
}

func countDigits(b []byte) int {
	n := 0
	for _, c := range b {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}
