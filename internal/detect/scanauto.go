package detect

// One pass of one automaton per round finds everything the scheduling of
// rules needs: keywords, context words and the factors of the rules
// without keywords (or with weak ones). The automaton's patterns are the
// words first, then the factors; there is one for source code and one for
// other text, as their factors differ.

// scanAuto is the automaton of words and factors for one kind of input.
type scanAuto struct {
	dfa     *classDFA
	nWords  int
	factors *factorSet // may be nil
}

// autoStates bounds the states a scanning goroutine keeps: some 25,000 are
// visited on a mix of logs, exports and mail (9 MiB of transitions), and a
// cache emptied when full would rebuild them over and over.
const autoStates = 1 << 17

func newScanAuto(ws *wordSet, fs *factorSet) (*scanAuto, error) {
	a := &scanAuto{factors: fs}
	var pats []seq
	if ws != nil {
		pats = append(pats, ws.pats...)
		a.nWords = len(ws.pats)
	}
	if fs != nil {
		pats = append(pats, fs.pats...)
	}
	if len(pats) == 0 {
		return nil, nil
	}
	d, err := newClassDFA(pats, autoStates)
	if err != nil {
		return nil, err
	}
	a.dfa = d
	return a, nil
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
	a.dfa.scanEdges(text, atStart, eof, func(p int32, pe int) {
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
				// Keywords of one rule differ in length: the window's
				// start bound kEnd-MaxLen-maxKw grows with each hit.
				if c.hasRare && !s.hasRequired(c, kEnd-c.MaxLen-c.maxKw, kEnd+c.MaxLen) {
					continue
				}
				if c.needSet >= 0 {
					s.deferred = append(s.deferred, deferred{c, kStart - c.MaxLen, kEnd + c.MaxLen})
					continue
				}
				s.addWindow(c, kStart-c.MaxLen, kEnd+c.MaxLen, end)
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
