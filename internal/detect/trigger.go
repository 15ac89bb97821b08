package detect

// Rules without keywords are scheduled by what their matches cannot do
// without. Where a rule requires its context (always, or in source code),
// it runs only around its context words. Elsewhere it runs around the
// occurrences of its factors (factor.go): digit groups with their
// separators, letter and digit shapes. A rule whose pattern yields no
// selective factor runs over all text, as every rule does on the reference
// path.

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// freeMode is how a keyword-less rule is scheduled for one input.
type freeMode uint8

const (
	freeOff    freeMode = iota // does not apply to the input's path, or can never be reported
	freeGated                  // around its context words
	freeFactor                 // around its factors
	freeShape                  // around the runs of its shape that pass
	freeAll                    // over all text
)

// shapeOverFactors is the estimated hits per byte of a shaped rule's
// factors above which the rule is scheduled by its shape alone: its
// shape's runs are found by a look for their key bytes (digits, a colon)
// over the round, where the automaton would stop at each factor hit and
// look for runs around it. On the benchmark corpus the national phone
// number's factors (two digits, a hyphen, two digits: every date) hit
// 3.3 M times and IPv6's (digits and dots: every IPv4 address and
// version) 2.2 M times, a quarter of all hits; the next shaped rule's
// estimate is a fifth of theirs.
const shapeOverFactors = 5e-3

// factorSet is the factors of the rules scheduled by them.
type factorSet struct {
	pats  []seq // the pieces, patterns of the scan automaton
	lens  []int
	rules [][]*compiled // per factor: the rules it stands for
	// confirm lists, per piece, where it lies in the exact factors of
	// the rules that have them (confirm.go).
	confirm [][]confirmRef
}

// factorLen is the length factor pieces are cut to.
const factorLen = 12

// Keyword rules whose keywords are short and common ("su", "pat", "wx")
// are scheduled by their factors instead, when those are far more
// selective: the keywords stay a condition on every match (consider), only
// the windows come from the factors.
const (
	weakKeywords  = 1e-6 // estimated hits per byte of a rule's keywords
	factorAdvance = 4    // how much rarer the factors must be
)

// compileFactors derives the factors of the free rules and of the keyword
// rules with weak keywords, in two sets: one for text and one for source
// code, where most personal-data rules run only beside their context words
// and need no factors (each becomes part of a scan automaton, scanauto.go).
func (e *Engine) compileFactors() error {
	file := e.analysisFile()
	if file == "" || !e.loadAnalysis(file) {
		e.analyseRules()
		if file != "" {
			e.saveAnalysis(file)
		}
	}
	return e.scheduleFactors()
}

// analyseRules finds each rule's factors and how it is scheduled. The
// analysis of each rule's pattern stands alone and is most of the time
// Compile takes: it runs on every core, and its results are gathered in
// the rules' order.
func (e *Engine) analyseRules() {
	eachParallel(len(e.free), func(i int) {
		c := e.free[i]
		if len(c.paths) > 0 {
			return // runs on the few files it is for: no automaton for them all
		}
		if re, err := reportingPattern(c); err == nil {
			c.factorSet = factorsOf(re)
			// A shaped rule has its prefilter already; the exact
			// analysis of its (long) pattern costs more than it saves.
			if c.factorSet != nil && c.shape == nil {
				if exact := exactFactors(re, c.factorSet); exact != nil {
					c.factorSet, c.exact = exact, true
				}
			}
		}
		c.factored = c.factorSet != nil
		if c.factored {
			c.pieces = coarse(c.factorSet, factorLen)
		}
	})
	eachParallel(len(e.rules), func(i int) {
		c := e.rules[i]
		if c.freeIdx >= 0 || len(c.keywords) == 0 || c.recognise != nil || len(c.paths) > 0 || e.opts.reference {
			return
		}
		kw := keywordScore(c.keywords)
		if kw < weakKeywords {
			return
		}
		if set := factors(c.Pattern); set != nil {
			if pieces := coarse(set, factorLen); setScore(pieces) < kw/factorAdvance {
				c.factorSet, c.pieces, c.byFactor = set, pieces, true
			}
		}
	})
}

// scheduleFactors builds the factor sets of text and code from the rules'
// analysis.
func (e *Engine) scheduleFactors() error {
	e.scheduleShapes()
	var cands []*compiled
	for _, c := range e.free {
		if c.factored && !c.byShape {
			cands = append(cands, c)
		}
	}
	for _, c := range e.rules {
		if c.byFactor {
			cands = append(cands, c)
		}
	}
	var text, code []*compiled
	for _, c := range cands {
		if c.freeIdx < 0 || c.Context == nil || !c.Context.Required {
			text = append(text, c)
			if c.freeIdx < 0 || c.Context == nil || !c.Context.RequiredInCode {
				code = append(code, c)
			}
		}
	}
	var err error
	if e.factorsText, err = buildFactors(text); err != nil {
		return err
	}
	e.factorsCode, err = buildFactors(code)
	return err
}

// scheduleShapes marks the shaped free rules whose factors hit more often
// than shapeOverFactors to be scheduled by their shapes. A slot's runs are
// found once for all its rules, in order of their windows: all of them
// must be, or none.
func (e *Engine) scheduleShapes() {
	mixed := map[int]bool{}
	for _, c := range e.free {
		if c.shape == nil || !c.factored {
			continue
		}
		score := 0.0
		for _, p := range c.pieces {
			score += seqScore(p)
		}
		c.byShape = score >= shapeOverFactors
	}
	for _, c := range e.rules {
		if c.shape != nil && !c.byShape {
			mixed[c.shape.slot] = true
		}
	}
	for _, c := range e.free {
		if c.byShape && mixed[c.shape.slot] {
			c.byShape = false
		}
	}
}

// keywordScore estimates how often one of the keywords occurs per byte.
func keywordScore(kws [][]byte) float64 {
	total := 0.0
	for _, k := range kws {
		s := make(seq, len(k))
		for i, b := range k {
			s[i].add(b)
			if b >= 'a' && b <= 'z' {
				s[i].add(b - 'a' + 'A')
			}
		}
		total += seqScore(s)
	}
	return total
}

// buildFactors collects the rules' factors, each piece once.
func buildFactors(rs []*compiled) (*factorSet, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	fs := &factorSet{}
	index := map[string]int{}
	var pats []seq
	for _, c := range rs {
		ids := make([]int, len(c.pieces))
		for i, s := range c.pieces {
			k := seqKey(s)
			id, ok := index[k]
			if !ok {
				id = len(pats)
				index[k] = id
				pats = append(pats, s)
				fs.lens = append(fs.lens, len(s))
				fs.rules = append(fs.rules, nil)
				fs.confirm = append(fs.confirm, nil)
			}
			fs.rules[id] = appendOnce(fs.rules[id], c)
			ids[i] = id
		}
		if c.exact {
			fs.linkPieces(c, c.pieces, ids)
		}
	}
	fs.pats = pats
	return fs, nil
}

func seqKey(s seq) string {
	b := make([]byte, 0, 32*len(s))
	for _, c := range s {
		for _, w := range c {
			for k := 0; k < 8; k++ {
				b = append(b, byte(w>>(8*k)))
			}
		}
	}
	return string(b)
}

// freeWindows adds the windows of the keyword-less rules for this round
// that the scan automaton did not: around context words for gated rules,
// or everything. Windows are in buffer offsets; matches must start in
// [acceptFrom, end).
func (s *scanner) freeWindows(acceptFrom int) {
	e := s.e
	end := len(s.buf)
	// A rule scheduled by its shape has a window around each run that
	// passes and ends after acceptFrom (a match this round takes holds its
	// value in such a run); runs are cut where a window reaching back from
	// acceptFrom would begin, as a factor there would cut them.
	for _, c := range s.shapeFree {
		s.shapedWindow(c, acceptFrom, end, acceptFrom-c.shape.reach, end)
	}
	s.resetShapes()
	if e.ctx != nil {
		for _, h := range s.hits {
			for _, c := range e.ctx.gates[h.word] {
				if c.freeIdx < 0 || s.freeMode[c.freeIdx] != freeGated {
					continue
				}
				// A match whose context window [start-w, end+w] holds
				// the word starts within w of it and ends within w.
				w := c.Context.Window
				if c.shape != nil {
					s.shapedWindow(c, h.end-c.MaxLen-w, h.start+w+c.MaxLen, h.end-c.shape.gatedReach, end)
				} else {
					s.addWindow(c, h.end-c.MaxLen-w, h.start+w+c.MaxLen, end)
				}
			}
		}
	}
	for _, c := range s.allFree {
		s.addWindow(c, acceptFrom, end, end)
	}
}

// addWindow records [start, end) as a window of rule c.
func (s *scanner) addWindow(c *compiled, start, end, limit int) {
	if len(s.wins[c.idx]) == 0 {
		s.touched = append(s.touched, c.idx)
	}
	s.wins[c.idx] = addWindow(s.wins[c.idx], start, end, limit)
}

// eachParallel calls f(0) … f(n-1) on as many goroutines as there are
// cores and returns when all have returned. Calls must not share state.
func eachParallel(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}
