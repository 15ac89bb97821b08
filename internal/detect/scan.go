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
	byKeyword            [][]*compiled
	digitRules, plainRts []*compiled

	buf, low []byte
	base     int64 // stream offset of buf[0]
	pos      position

	cands []candidate
	wins  map[*compiled][]span
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
	for _, c := range s.e.digitRules {
		if c.appliesTo(path) {
			s.digitRules = append(s.digitRules, c)
		}
	}
	for _, c := range s.e.plainRules {
		if c.appliesTo(path) {
			s.plainRts = append(s.plainRts, c)
		}
	}
	s.wins = map[*compiled][]span{}
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
		}
		s.buf, s.low = s.buf[:full], s.low[:full]
		if eof {
			return nil
		}
		// Keep the tail that later matches and context may still need.
		cut := max(acceptTo-keep, 0)
		s.pos.advance(s.buf, s.base, s.base+int64(acceptTo))
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
	s.cands = s.cands[:0]
	end := len(s.buf)
	// 1. keyword rules: windows around every keyword occurrence.
	if s.e.keywords != nil {
		for c := range s.wins {
			delete(s.wins, c)
		}
		for _, m := range s.e.keywords.FindAllOverlapping(s.low[acceptFrom:end]) {
			kStart, kEnd := acceptFrom+m.Start, acceptFrom+m.End
			for _, c := range s.byKeyword[m.PatternID] {
				s.wins[c] = addWindow(s.wins[c], kStart-c.MaxLen, kEnd+c.MaxLen, end)
			}
		}
		for _, c := range s.orderedWindowRules() {
			for _, w := range s.wins[c] {
				if err := s.match(c, w, acceptFrom, acceptTo); err != nil {
					return err
				}
			}
		}
	}
	// 2. rules that need a digit: windows around digits.
	if len(s.digitRules) > 0 {
		for _, w := range digitWindows(s.buf[acceptFrom:min(acceptTo+s.e.digitReach, end)], acceptFrom, s.e.digitReach, end) {
			for _, c := range s.digitRules {
				if err := s.match(c, w, acceptFrom, acceptTo); err != nil {
					return err
				}
			}
		}
	}
	// 3. everything else: the whole buffer.
	for _, c := range s.plainRts {
		if err := s.match(c, span{0, end}, acceptFrom, acceptTo); err != nil {
			return err
		}
	}
	return s.finish()
}

// orderedWindowRules lists the rules with windows in id order, so that the
// work (and thus any error) is deterministic.
func (s *scanner) orderedWindowRules() []*compiled {
	out := make([]*compiled, 0, len(s.wins))
	for c := range s.wins {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
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

// digitWindows returns merged windows of reach bytes around every digit in
// b (which starts at buffer index off), clipped to [0, limit).
func digitWindows(b []byte, off, reach, limit int) []span {
	var ws []span
	for i, c := range b {
		if c >= '0' && c <= '9' {
			ws = addWindow(ws, off+i-reach, off+i+1+reach, limit)
		}
	}
	return ws
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
