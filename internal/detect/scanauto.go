package detect

import "regexp/syntax"

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
				if c.lineLead >= 0 {
					lo, hi = lineAround(s.buf, kStart, kEnd, lo, hi, c.lineLead)
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
// which holds it, to the keyword's line (linesAround, no line either
// side): a match that holds the keyword and no line break lies there.
// With lead 1 the window keeps the line break before the line too, for a
// match that may hold one as its first byte (lineLead).
func lineAround(buf []byte, kStart, kEnd, lo, hi, lead int) (int, int) {
	lo, hi = max(lo, 0), min(hi, len(buf))
	start, end := linesAround(buf, kStart, kEnd, 0, lo, hi)
	if start != lo { // the line starts inside the window, after a line break
		start -= lead
	}
	return start, end
}

// lineLead says where a match of re can hold a line break: 0 nowhere, 1
// only as its first byte, -1 elsewhere too. Many keyword rules open with a
// class of the byte before their key, (?:^|[^a-z0-9_]), which takes the
// line break that ends the line before; past it their matches hold none,
// so their windows too can stop at the keyword's line.
func lineLead(re *syntax.Regexp) int {
	switch {
	case !holdsBreak(re):
		return 0
	case breakFirstOnly(re):
		return 1
	}
	return -1
}

// holdsBreak reports whether a match of one of res can hold a line break.
func holdsBreak(res ...*syntax.Regexp) bool {
	var held [256]bool
	for _, re := range res {
		heldBytes(re, &held)
	}
	return held['\n']
}

// breakFirstOnly reports whether a match of re holds a line break, if at
// all, only as its first byte.
func breakFirstOnly(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpCapture, syntax.OpQuest:
		return breakFirstOnly(re.Sub[0])
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !breakFirstOnly(sub) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		// What follows the first element that takes bytes holds none;
		// the element itself may open with one.
		for i, sub := range re.Sub {
			if !emptyWidth(sub) {
				return breakFirstOnly(sub) && !holdsBreak(re.Sub[i+1:]...)
			}
		}
		return true
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return true // one character
	case syntax.OpLiteral:
		for i, c := range re.Rune {
			if c == '\n' && i > 0 {
				return false
			}
		}
		return true
	}
	return !holdsBreak(re)
}
