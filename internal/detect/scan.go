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
}

// lineSnap is how far a regex window is stretched to reach a line start or
// end, so that anchors and \b see the same text as a whole-text scan would.
const lineSnap = 256

// Scan reads in to the end and calls emit for every finding, in order of
// offset (then rule id). It returns the scan's counts (bytes, suppressed
// candidates by reason) and the first error of the reader or emit.
func (e *Engine) Scan(ctx context.Context, in Input, emit func(finding.Finding) error) (finding.Stats, error) {
	if in.Path == "" {
		in.Path = in.Location.Path
	}
	s := &scanner{e: e, in: in, emit: emit, pos: position{line: 1}}
	s.selectRules()
	err := s.run(ctx)
	return s.stats, err
}

// scanner is the state of one Scan.
type scanner struct {
	e     *Engine
	in    Input
	emit  func(finding.Finding) error
	stats finding.Stats

	// keyword rules active for this input, indexed like e.byKeyword
	byKeyword [][]*compiled
	// freeOn[i] says whether e.free[i] applies to this input's path
	freeOn   []bool
	refRules []*compiled

	buf, low []byte
	base     int64 // stream offset of buf[0]
	pos      position

	cands  []candidate // found, not yet emitted
	recent []candidate // specific ones emitted that may still overlap a pending one
	// wins[i] are the windows of e.rules[i] in this round; touched lists
	// the rules that have any, in first-hit order.
	wins    [][]span
	touched []int
}

type span struct{ start, end int }

func (s *scanner) selectRules() {
	path := s.in.Path
	s.byKeyword = make([][]*compiled, len(s.e.byKeyword))
	for i, list := range s.e.byKeyword {
		for _, c := range list {
			if c.appliesTo(path) {
				s.byKeyword[i] = append(s.byKeyword[i], c)
			}
		}
	}
	s.freeOn = make([]bool, len(s.e.free))
	for i, c := range s.e.free {
		s.freeOn[i] = c.appliesTo(path)
	}
	for _, c := range s.e.refRules {
		if c.appliesTo(path) {
			s.refRules = append(s.refRules, c)
		}
	}
	s.wins = make([][]span, len(s.e.rules))
}

func (s *scanner) run(ctx context.Context) error {
	e := s.e
	chunk := e.opts.chunkSize
	keep := e.maxLen + e.window + lineSnap
	bufs := e.buffers(chunk + keep)
	defer e.bufPool.Put(bufs)
	s.buf, s.low = bufs.buf[:0], bufs.low[:0]
	acceptFrom := 0 // index into buf
	checked := 0    // buf[:checked] is valid UTF-8
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(s.in.R, s.buf[len(s.buf):cap(s.buf)])
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return err
		}
		old := len(s.buf)
		s.buf = s.buf[:old+n]
		s.low = s.low[:old+n]
		s.stats.Bytes += int64(n)
		checked += sanitizeUTF8(s.buf[checked:], eof)
		lowerASCII(s.low[old:], s.buf[old:])

		// A rune cut by the read waits for the next one: the regexes see
		// only buf[:checked], which RE2 needs to be valid UTF-8.
		full := len(s.buf)
		s.buf, s.low = s.buf[:checked], s.low[:checked]
		acceptTo := checked
		if !eof {
			acceptTo -= e.maxLen
		}
		if acceptTo > acceptFrom {
			if err := s.round(acceptFrom, acceptTo, eof); err != nil {
				return err
			}
		} else {
			acceptTo = acceptFrom
			if eof { // nothing new, but candidates may still wait
				if err := s.finish(s.base+int64(acceptTo), true); err != nil {
					return err
				}
			}
		}
		s.buf, s.low = s.buf[:full], s.low[:full]
		if eof {
			return nil
		}
		// Keep the tail that later matches and context may still need;
		// count lines up to where the first waiting candidate starts.
		cut := max(acceptTo-keep, 0)
		counted := s.base + int64(acceptTo)
		if len(s.cands) > 0 {
			counted = min(counted, s.cands[0].vStart)
		}
		s.pos.advance(s.buf, s.base, counted)
		copy(s.buf, s.buf[cut:])
		copy(s.low, s.low[cut:])
		s.buf = s.buf[:len(s.buf)-cut]
		s.low = s.low[:len(s.low)-cut]
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
	// 1. keyword rules: windows around every keyword occurrence.
	if s.e.keywords != nil {
		for _, i := range s.touched {
			s.wins[i] = s.wins[i][:0]
		}
		s.touched = s.touched[:0]
		for _, m := range s.e.keywords.FindAllOverlapping(s.low[acceptFrom:end]) {
			kStart, kEnd := acceptFrom+m.Start, acceptFrom+m.End
			for _, c := range s.byKeyword[m.PatternID] {
				if len(s.wins[c.idx]) == 0 {
					s.touched = append(s.touched, c.idx)
				}
				s.wins[c.idx] = addWindow(s.wins[c.idx], kStart-c.MaxLen, kEnd+c.MaxLen, end)
			}
		}
		// Rules run in the engine's order, so that the work, and
		// any error, is deterministic.
		sort.Ints(s.touched)
		for _, i := range s.touched {
			c := s.e.rules[i]
			for _, w := range s.wins[i] {
				if err := s.match(c, w, acceptFrom, acceptTo); err != nil {
					return err
				}
			}
		}
	}
	// 2. rules without keywords: block by block, those the set says match.
	if s.e.freeSet != nil {
		if err := s.freeRules(acceptFrom, acceptTo); err != nil {
			return err
		}
	}
	// 3. the reference path: every rule over the whole buffer.
	for _, c := range s.refRules {
		if err := s.match(c, span{0, end}, acceptFrom, acceptTo); err != nil {
			return err
		}
	}
	return s.finish(s.base+int64(acceptTo), eof)
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

// freeBlock is the size of the blocks the rule set looks at: small enough
// that few rules match in one (2.5 of 67 on average in Go source), large
// enough that the set's pass dominates its per-call cost (measured: 16 KiB
// blocks run the set at ~240 MB/s, 4 KiB ones at a tenth of that).
const freeBlock = 16 << 10

// freeRules runs the keyword-less rules over [acceptFrom, acceptTo) block by
// block. Each block is widened by the longest match on both sides, so every
// match that starts in the block lies whole in what the set sees; the set
// may name rules that then find nothing, never miss one that would.
func (s *scanner) freeRules(acceptFrom, acceptTo int) error {
	end := len(s.buf)
	for core := acceptFrom; core < acceptTo; core += freeBlock {
		coreEnd := min(core+freeBlock, acceptTo)
		w := s.snap(span{max(core-s.e.freeMax, 0), min(coreEnd+s.e.freeMax, end)})
		hits, err := s.e.freeSet.FindAllWithError(s.buf[w.start:w.end], -1)
		if err != nil { // the set ran out of memory on this block: run all
			hits = hits[:0]
			for i := range s.e.free {
				hits = append(hits, i)
			}
		}
		sort.Ints(hits)
		for _, i := range hits {
			if !s.freeOn[i] {
				continue
			}
			if err := s.match(s.e.free[i], w, core, coreEnd); err != nil {
				return err
			}
		}
	}
	return nil
}

// snap widens a window to the nearest line start before it and line end
// after it, within lineSnap bytes.
func (s *scanner) snap(w span) span {
	if w.start > 0 {
		lo := max(w.start-lineSnap, 0)
		if i := bytes.LastIndexByte(s.buf[lo:w.start], '\n'); i >= 0 {
			w.start = lo + i + 1
		}
	}
	if w.end < len(s.buf) {
		hi := min(w.end+lineSnap, len(s.buf))
		if i := bytes.IndexByte(s.buf[w.end:hi], '\n'); i >= 0 {
			w.end += i
		}
	}
	return w
}

// match runs c's regex over window w and collects candidates starting in
// [acceptFrom, acceptTo).
func (s *scanner) match(c *compiled, w span, acceptFrom, acceptTo int) error {
	re, err := c.matcher()
	if err != nil {
		return err
	}
	w = s.snap(w)
	for _, m := range re.FindAllSubmatchIndex(s.buf[w.start:w.end], -1) {
		start, end := w.start+m[0], w.start+m[1]
		if start < acceptFrom || start >= acceptTo || start == end {
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

func lowerASCII(dst, src []byte) {
	for i, c := range src {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
}
