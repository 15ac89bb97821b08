package detect

import (
	"bytes"
	"regexp/syntax"
)

// One pass per round finds everything the scheduling of rules needs:
// keywords, context words and the factors of the rules without keywords
// (or with weak ones). The words are numbered first, then the factors;
// the words' automaton is shared, the factors' differ between source code
// and other text.

// scanAuto is the automaton of words and factors for one kind of input:
// two automata stepped together (scanPair), one for the words and one for
// the factors, or one when there is only one kind.
type scanAuto struct {
	words, facts *classDFA // either may be nil, not both
	nWords       int
	factors      *factorSet // may be nil
}

// autoStates bounds the states a scanning goroutine keeps per automaton:
// on the Go tree the words' automaton visits some 3,500 and the factors'
// some 11,600 (one automaton of both visited 45,600), and a cache emptied
// when full would rebuild them over and over.
const autoStates = 1 << 17

// newScanAuto pairs words, the automaton of ws's words (nil when there
// are none), with one of fs's factors.
func newScanAuto(words *classDFA, ws *wordSet, fs *factorSet) (*scanAuto, error) {
	a := &scanAuto{words: words, factors: fs}
	if words != nil {
		a.nWords = len(ws.pats)
	}
	if fs != nil && len(fs.pats) > 0 {
		var err error
		if a.facts, err = newClassDFA(fs.pats, autoStates); err != nil {
			return nil, err
		}
	}
	if a.words == nil && a.facts == nil {
		return nil, nil
	}
	return a, nil
}

// scan reports the words and factors in text, in order of their end, the
// words first at one end: found(p, end) with p a word's index or nWords
// plus a factor's.
func (a *scanAuto) scan(text []byte, start, end bool, found func(p int32, end int)) {
	switch {
	case a.facts == nil:
		a.words.scanEdges(text, start, end, found)
	case a.words == nil:
		off := int32(a.nWords)
		a.facts.scanEdges(text, start, end, func(p int32, e int) { found(p+off, e) })
	default:
		scanPair(a.words, a.facts, int32(a.nWords), text, start, end, found)
	}
}

// scanWords runs the automaton over the round's text and turns what it
// finds into windows and context hits: keyword windows for matches that
// start in [acceptFrom, end), context words from acceptFrom-window on,
// factor windows.
func (s *scanner) scanWords(acceptFrom int, eof bool) {
	a := s.auto
	if a == nil {
		return
	}
	e := s.e
	end := len(s.buf)
	// A factor may take in the byte before a match (or the virtual byte
	// before the stream) and the byte after it; a context word counts up
	// to a window before a match.
	// A word a check needs, or a keyword of a rule scheduled by its
	// factors, may lie further back (need.go).
	ctxFrom := acceptFrom - max(e.window, 1)
	from := max(min(ctxFrom, acceptFrom-e.needBack, acceptFrom-e.kwBack), 0)
	atStart := s.base == 0 && from == 0
	text := s.buf[from:]
	s.allowFrom = from
	a.scan(text, atStart, eof, func(p int32, pe int) {
		if int(p) < a.nWords {
			if pe > len(text) || pe < len(e.words.words[p]) || !e.words.confirmed(text, p, pe) {
				return
			}
			kEnd := from + pe
			kStart := kEnd - len(e.words.words[p])
			if sets := e.needOf[p]; sets != 0 {
				s.needHit(sets, kStart, kEnd)
			}
			if p == e.allowID {
				s.allowHits = append(s.allowHits, kStart)
			}
			for _, c := range s.byKeywordFactor[p] {
				s.kwHits[c.kwSlot] = append(s.kwHits[c.kwSlot], span{kStart, kEnd})
			}
			if w := e.ctxOf[p]; w >= 0 && kStart >= ctxFrom {
				s.contextHit(w, kStart, kEnd)
			}
			if kStart < acceptFrom {
				return
			}
			for _, c := range s.byKeyword[p] {
				if c.kwGate != nil && !c.kwGate(e.words.words[p], s.buf, kEnd) {
					continue
				}
				// Keywords of one rule differ in length: the window's
				// start bound kEnd-MaxLen-maxKw grows with each hit.
				if c.hasRare && !s.hasRequired(c, kEnd-c.MaxLen-c.maxKw, kEnd+c.MaxLen) {
					continue
				}
				lo, hi := kStart-c.MaxLen, kEnd+c.MaxLen
				if c.lineBound {
					lo, hi = lineAround(s.buf, kStart, kEnd, lo, hi)
				}
				if c.needSet >= 0 {
					s.deferred = append(s.deferred, deferred{c, lo, hi})
					continue
				}
				s.addWindow(c, lo, hi, end)
			}
			return
		}
		if !s.anyFactored {
			return
		}
		fs := a.factors
		f := int(p) - a.nWords
		fe := from + pe // the virtual bytes are at from-1 and len(s.buf)
		fStart := fe - fs.lens[f]
		if fStart < acceptFrom-1 {
			return // belongs to matches that start before this round's
		}
		for _, c := range fs.rules[f] {
			switch {
			case !s.factorOn[c.idx]:
			case c.exact && !s.confirmed(fs, f, c, fStart, eof):
			case c.shape != nil:
				s.shapedWindow(c, fe-c.MaxLen-1, fStart+c.MaxLen+1, fe-c.shape.reach, end)
			case c.hasRare && !s.hasRequired(c, fe-c.MaxLen-1, fStart+c.MaxLen+1):
			case c.byFactor:
				s.deferred = append(s.deferred, deferred{c, fe - c.MaxLen - 1, fStart + c.MaxLen + 1})
			default:
				s.addWindow(c, fe-c.MaxLen-1, fStart+c.MaxLen+1, end)
			}
		}
	})
	s.flushDeferred(end)
}

// lineAround narrows the window [lo, hi) of a keyword at [kStart, kEnd),
// which holds it, to the keyword's line: a match that holds no line break
// and holds the keyword lies there.
func lineAround(buf []byte, kStart, kEnd, lo, hi int) (int, int) {
	lo = max(lo, 0)
	if i := bytes.LastIndexByte(buf[lo:kStart], '\n'); i >= 0 {
		lo += i + 1
	}
	hi = min(hi, len(buf))
	if i := bytes.IndexByte(buf[kEnd:hi], '\n'); i >= 0 {
		hi = kEnd + i
	}
	return lo, hi
}

// lineBound reports whether no match of re can hold a line break.
func lineBound(re *syntax.Regexp) bool {
	var held [256]bool
	heldBytes(re, &held)
	return !held['\n']
}
