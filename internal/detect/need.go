package detect

import (
	"bytes"
	"regexp/syntax"
	"sort"
)

// Some checks need more than the match to accept it: connection_detail
// takes a detail only in a configuration file, and only where a credential
// is assigned within a few lines. What a check needs holds for every
// finding of every rule that names the check, so the engine can leave such
// a rule off where it cannot hold: off for a path the check turns down,
// and no window around a keyword with no credential word within reach. In
// logs, mail and prose, where "user", "host" and "url" are everywhere, the
// rule then never runs.

// need is what a check needs beyond the match.
type need struct {
	path  func(path string) bool // nil: any path
	words [][]byte               // lower case; nil: none
	// reach: one of the words lies whole within reach bytes before the
	// match's start or after its end (or inside the match), and, when
	// lines is not 0, within lines lines before the match's first line or
	// after its last.
	reach, lines int
	// bounds is a condition the check holds every candidate to that reads
	// only where the match lies (Candidate's text, path, line memo and the
	// match's bounds, not its groups); nil: none. RE2 finds a match's
	// bounds several times faster than its groups, so a rule whose first
	// check has one asks for the groups only of the matches that meet it
	// (scanner.matchBounds).
	bounds func(c *Candidate) bool
}

// needs returns the needs by check name.
func needs() map[string]need {
	return map[string]need{
		// In a configuration file with a credential word on most
		// lines, most details still have no credential assigned
		// within eight lines.
		"connection_detail": {path: detailPath, words: credentialWords, reach: besideReach, lines: besideLines, bounds: besideCredential},
	}
}

// needWords is one list of words that rules need near their matches.
type needWords struct {
	words [][]byte
}

// compileNeeds records the needs of each rule's checks: path gates as bits
// of e.gates, word lists in e.needs. The reference path has none.
func (e *Engine) compileNeeds() {
	if e.opts.reference {
		return
	}
	all := needs()
	gateOf := map[string]int{}
	wordsOf := map[string]int{}
	for _, c := range e.rules {
		if len(c.checks) > 0 && c.Entropy == 0 && c.valuesNonEmpty {
			// Only the first check, and only where consider would
			// reach it: a match it turns down is counted under its
			// name, as consider would count it (matchBounds).
			c.boundsNeed = all[c.checks[0].name].bounds
		}
		for _, ch := range c.checks {
			nd, ok := all[ch.name]
			if !ok {
				continue
			}
			if nd.path != nil {
				g, ok := gateOf[ch.name]
				if !ok && len(e.gates) < maxGates {
					g = len(e.gates)
					gateOf[ch.name] = g
					e.gates = append(e.gates, nd.path)
					ok = true
				}
				if ok {
					c.gates |= 1 << g
				}
			}
			if nd.words != nil && c.needSet < 0 && len(c.keywords) > 0 {
				k, ok := wordsOf[ch.name]
				if !ok && len(e.needs) == maxNeeds {
					continue // no room: the rule runs on every keyword
				}
				if !ok {
					k = len(e.needs)
					wordsOf[ch.name] = k
					e.needs = append(e.needs, needWords{words: nd.words})
				}
				c.needSet, c.needReach, c.needLines = k, nd.reach, nd.lines
				e.needBack = max(e.needBack, c.MaxLen+nd.reach+1)
			}
		}
		// A keyword rule that requires its context needs its context
		// words: one lies within the context's window of every match,
		// so within that much of the keyword's window. Common keywords
		// ("sess") then open no window where no context word ("cookie")
		// is near.
		if ctx := c.Context; ctx != nil && ctx.Required && c.needSet < 0 && len(c.keywords) > 0 &&
			len(c.ctxWords) > 0 && c.ctxEmpty&ctxPositive == 0 {
			key := "context:" + string(bytes.Join(c.ctxWords, []byte{0}))
			k, ok := wordsOf[key]
			if !ok && len(e.needs) == maxNeeds {
				continue // no room: the rule runs on every keyword
			}
			if !ok {
				k = len(e.needs)
				wordsOf[key] = k
				e.needs = append(e.needs, needWords{words: c.ctxWords})
			}
			c.needSet, c.needReach = k, ctx.Window
			e.needBack = max(e.needBack, c.MaxLen+ctx.Window+1)
		}
	}
}

// maxGates bounds the path gates: selections are kept for each
// combination. maxNeeds bounds the word lists: a word's lists are bits of
// a byte (Engine.needOf).
const (
	maxGates = 4
	maxNeeds = 8
)

// gateMask returns the gates that path passes.
func (e *Engine) gateMask(path string) uint8 {
	var m uint8
	for i, g := range e.gates {
		if g(path) {
			m |= 1 << i
		}
	}
	return m
}

// deferred is a window kept until the round's words are all found: a
// keyword window of a rule with a word need, or a factor window of a
// keyword rule scheduled by its factors, which its keywords must meet.
type deferred struct {
	c      *compiled
	lo, hi int
}

// needHit records an occurrence of a needed word at [start, end) for each
// list it is in.
func (s *scanner) needHit(sets uint8, start, end int) {
	for k := range s.needHits {
		if sets&(1<<k) != 0 {
			s.needHits[k] = append(s.needHits[k], span{start, end})
		}
	}
}

// flushDeferred opens the deferred windows that have one of their rule's
// needed words within reach and, for a rule scheduled by its factors, one
// of its keywords inside: every match of the rule holds one (consider).
// Hits are in order of their end, windows in order of their start per
// rule.
func (s *scanner) flushDeferred(limit int) {
	for _, d := range s.deferred {
		c := d.c
		if c.needSet >= 0 {
			lo, hi := d.lo-c.needReach, d.hi+c.needReach
			if c.needLines > 0 {
				lo, hi = linesAround(s.buf, d.lo, d.hi, c.needLines, lo, hi)
			}
			if !anyWithin(s.needHits[c.needSet], lo, hi) {
				continue
			}
		}
		if c.byFactor && !anyWithin(s.kwHits[c.kwSlot], d.lo, d.hi) {
			continue
		}
		s.addWindow(c, d.lo, d.hi, limit)
	}
}

// linesAround narrows [lo, hi), which holds [from, to), to the n lines
// before from's line and the n after to's, as besideCredential counts
// them: back to the start of the line after the (n+1)th line break before
// from, on to the (n+1)th line break from to on. In a configuration file
// of short lines eight of them are a few hundred bytes, where besideReach
// is 1,024: a detail whose credential words all lie further than that
// cannot be beside a credential, and its window need not be searched.
func linesAround(buf []byte, from, to, n, lo, hi int) (int, int) {
	floor, ceil := max(lo, 0), min(hi, len(buf))
	for i, k := from, 0; i > floor; k++ {
		j := bytes.LastIndexByte(buf[floor:i], '\n')
		if j < 0 {
			break
		}
		if i = floor + j; k == n {
			lo = i + 1
			break
		}
	}
	for i, k := to, 0; i < ceil; k++ {
		j := bytes.IndexByte(buf[i:ceil], '\n')
		if j < 0 {
			break
		}
		if i += j; k == n {
			hi = i
			break
		}
		i++
	}
	return lo, hi
}

// anyWithin reports whether one of hits, in order of their end, lies
// whole within [lo, hi).
func anyWithin(hits []span, lo, hi int) bool {
	i := sort.Search(len(hits), func(i int) bool { return hits[i].end > lo })
	for ; i < len(hits) && hits[i].end <= hi; i++ {
		if hits[i].start >= lo {
			return true
		}
	}
	return false
}

// valuesNonEmpty reports whether each of the groups values of the parsed
// pattern re matches at least one byte whenever it takes part in a match.
func valuesNonEmpty(re *syntax.Regexp, values []int) bool {
	want := map[int]bool{}
	for _, v := range values {
		want[v] = true
	}
	ok := true
	var walk func(r *syntax.Regexp)
	walk = func(r *syntax.Regexp) {
		if r.Op == syntax.OpCapture && want[r.Cap] && minWidth(r.Sub[0]) == 0 {
			ok = false
		}
		for _, sub := range r.Sub {
			walk(sub)
		}
	}
	walk(re)
	return ok
}

// valueAtStart reports whether the value of every match of re starts
// where the match does: each capture of a value group lies at the start
// of the pattern (after empty-width assertions, in any branch, not under
// a repetition), so whichever value group a match takes part in, or the
// whole match when none does, begins at the match's start. A generic
// rule's match then overlaps a specific finding's value whenever that
// value holds the match's first byte, which is known before the groups
// are (scanner.matchBounds).
func valueAtStart(re *syntax.Regexp, values []int) bool {
	want := map[int]bool{}
	for _, v := range values {
		want[v] = true
	}
	atStart := map[*syntax.Regexp]bool{}
	var mark func(r *syntax.Regexp)
	mark = func(r *syntax.Regexp) {
		switch r.Op {
		case syntax.OpCapture:
			atStart[r] = true
			mark(r.Sub[0])
		case syntax.OpAlternate:
			for _, sub := range r.Sub {
				mark(sub)
			}
		case syntax.OpConcat:
			for _, sub := range r.Sub {
				if !emptyWidth(sub) {
					mark(sub)
					return
				}
			}
		}
	}
	mark(re)
	ok := true
	var walk func(r *syntax.Regexp)
	walk = func(r *syntax.Regexp) {
		if r.Op == syntax.OpCapture && want[r.Cap] && !atStart[r] {
			ok = false
		}
		for _, sub := range r.Sub {
			walk(sub)
		}
	}
	walk(re)
	return ok
}

// emptyWidth reports whether r is an assertion that matches no bytes.
func emptyWidth(r *syntax.Regexp) bool {
	switch r.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	return false
}

// minWidth is the fewest bytes a match of r spans.
func minWidth(r *syntax.Regexp) int {
	switch r.Op {
	case syntax.OpLiteral:
		return len(string(r.Rune))
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minWidth(r.Sub[0])
	case syntax.OpRepeat:
		return r.Min * minWidth(r.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range r.Sub {
			n += minWidth(sub)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, sub := range r.Sub {
			if w := minWidth(sub); n < 0 || w < n {
				n = w
			}
		}
		return max(n, 0)
	}
	return 0 // empty-width operators, ?, *, no match
}
