package detect

import "regexp/syntax"

// The factors of the scan automaton are short and their digits widened,
// so that all rules share a few and the automaton stays small: a Bitcoin
// address becomes "a digit after punctuation, then ten base58 letters",
// which every hexadecimal id in a log that starts with a digit holds. A
// rule whose pattern says much more ("1" or "3" after punctuation, then
// twenty-five base58 letters) keeps that too: its exact factors, up to
// confirmLen classes, from which its pieces of the automaton are cut. At
// each hit of a piece the engine checks the exact factors the piece was
// cut from, in place, and opens a window only where one holds. Every match
// holds one of them, and each of them holds a piece, so nothing is lost.

const (
	confirmLen  = 40 // classes per exact factor
	confirmGain = 4  // how much rarer the exact factors must be
)

// exactFactors returns the exact factors of re when they are far more
// selective than the standard ones (std), and their automaton pieces no
// worse; else nil.
func exactFactors(re *syntax.Regexp, std seqSet) seqSet {
	set := analyser{confirmLen, factorMaxSet, false}.analyse(re).mat
	for _, s := range set {
		if len(s) == 0 {
			return nil
		}
	}
	if len(set) == 0 || setScore(set)*confirmGain > setScore(std) {
		return nil
	}
	if setScore(coarse(set, factorLen)) > 2*setScore(coarse(std, factorLen)) {
		return nil
	}
	return set
}

// confirmRef says that a piece of the automaton lies at offset off of
// exact factor si of rule c.
type confirmRef struct {
	c   *compiled
	si  int
	off int
}

// linkPieces records, for a rule with exact factors, where each of its
// pieces lies in them.
func (fs *factorSet) linkPieces(c *compiled, pieces seqSet, ids []int) {
	for k, p := range pieces {
		for si, s := range c.factorSet {
			w := make(seq, len(s))
			for i, cl := range s {
				w[i] = widen(cl)
			}
			for off := 0; off+len(p) <= len(w); off++ {
				if covers(p, w[off:off+len(p)]) {
					fs.confirm[ids[k]] = append(fs.confirm[ids[k]], confirmRef{c, si, off})
				}
			}
		}
	}
}

// covers reports whether each class of p holds the class of s at its place.
func covers(p, s seq) bool {
	for i, c := range p {
		if c.union(s[i]) != c {
			return false
		}
	}
	return true
}

// confirmed reports whether one of the exact factors of rule c that piece
// f was cut from holds where f was found, at [fStart, ...) of the buffer.
// Bytes before the buffer or after it are the edge of the stream (vByte)
// when they are, and unknown otherwise: then it answers yes.
func (s *scanner) confirmed(fs *factorSet, f int, c *compiled, fStart int, eof bool) bool {
	for _, r := range fs.confirm[f] {
		if r.c != c {
			continue
		}
		ok := true
		for i, cl := range c.factorSet[r.si] {
			q := fStart - r.off + i
			var b byte
			switch {
			case q >= 0 && q < len(s.buf):
				b = s.buf[q]
			case q == -1 && s.base == 0, q == len(s.buf) && eof:
				b = vByte
			default:
				return true
			}
			if !cl.has(b) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
