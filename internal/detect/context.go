package detect

import (
	"sort"
	"strings"
)

// Context words do two jobs. They move a candidate's confidence, and a rule
// that requires them (a passport number is only one beside the word
// "passport"; in source code every national-number rule needs its label)
// runs only near them at all. Both need to know where the words are: one
// pass of an automaton over every rule's words finds them all, and the
// candidate checks and the scheduling of rules read that list.

// ctxWords is the vocabulary of every rule's context words. The words are
// found by the keyword automaton, in the same pass as the keywords.
type ctxWords struct {
	words []string
	// gates[w] lists the rules for which word w is a positive context word.
	gates [][]*compiled
}

// ctxHit is one occurrence of a context word standing as a whole word: not
// preceded or followed by an ASCII letter.
type ctxHit struct {
	start, end int
	word       int32
}

// Membership of a word in a rule's lists (compiled.ctxKind).
const (
	ctxPositive = 1 << iota
	ctxNegative
)

// compileContext collects the (lower-case) context words of rules and gives
// each rule its table of which words are its own.
func compileContext(rs []*compiled) (*ctxWords, error) {
	index := map[string]int{}
	var words []string
	id := func(w string) int {
		i, ok := index[w]
		if !ok {
			i = len(words)
			index[w] = i
			words = append(words, w)
		}
		return i
	}
	for _, c := range rs {
		for _, w := range c.ctxWords {
			if len(w) == 0 {
				c.ctxEmpty |= ctxPositive
				continue
			}
			id(string(w))
		}
		for _, w := range c.ctxNeg {
			if len(w) == 0 {
				c.ctxEmpty |= ctxNegative
				continue
			}
			id(string(w))
		}
	}
	if len(words) == 0 {
		return nil, nil
	}
	cw := &ctxWords{words: words, gates: make([][]*compiled, len(words))}
	for _, c := range rs {
		if len(c.ctxWords) == 0 && len(c.ctxNeg) == 0 {
			continue
		}
		c.ctxKind = make([]uint8, len(words))
		for _, w := range c.ctxWords {
			if i, ok := index[string(w)]; ok {
				c.ctxKind[i] |= ctxPositive
				cw.gates[i] = appendOnce(cw.gates[i], c)
			}
		}
		for _, w := range c.ctxNeg {
			if i, ok := index[string(w)]; ok {
				c.ctxKind[i] |= ctxNegative
			}
		}
	}
	return cw, nil
}

// contextHit records an occurrence of context word w at [start, end) of
// the buffer if it stands as a whole word. Occurrences arrive in order of
// their end.
func (s *scanner) contextHit(w int32, start, end int) {
	if start > 0 && isLetter(s.buf[start-1]) || end < len(s.buf) && isLetter(s.buf[end]) {
		return
	}
	s.hits = append(s.hits, ctxHit{start, end, w})
}

// near reports whether a context word of kind (ctxPositive or ctxNegative)
// of rule c lies whole within one of the spans.
func (s *scanner) near(c *compiled, kind uint8, spans ...span) bool {
	if c.ctxEmpty&kind != 0 {
		return true // the empty word is everywhere
	}
	if c.ctxKind == nil {
		return false
	}
	for _, sp := range spans {
		if sp.end <= sp.start {
			continue
		}
		// Hits are ordered by end: find the first that ends inside the span.
		i := sort.Search(len(s.hits), func(i int) bool { return s.hits[i].end > sp.start })
		for ; i < len(s.hits) && s.hits[i].end <= sp.end; i++ {
			h := s.hits[i]
			if h.start >= sp.start && c.ctxKind[h.word]&kind != 0 {
				return true
			}
		}
	}
	return false
}

// lowerAll lower-cases context words, as the text is matched without case.
func lowerAll(ws []string) [][]byte {
	out := make([][]byte, 0, len(ws))
	for _, w := range ws {
		out = append(out, []byte(strings.ToLower(w)))
	}
	return out
}
