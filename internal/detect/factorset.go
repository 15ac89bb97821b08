package detect

import "slices"

// Sets of byte-class sequences: union, trimming, scoring, and the choice of
// the few pieces the automaton looks for.

func union(a, b seqSet) seqSet {
	out := make(seqSet, 0, len(a)+len(b))
	if len(a)+len(b) <= 16 {
		for _, s := range append(a[:len(a):len(a)], b...) {
			if !slices.ContainsFunc(out, func(t seq) bool { return slices.Equal(s, t) }) {
				out = append(out, s)
			}
		}
		return out
	}
	seen := make(map[uint64][]int, len(a)+len(b)) // hash → indexes in out
	for _, s := range append(a[:len(a):len(a)], b...) {
		h := seqHash(s)
		if slices.ContainsFunc(seen[h], func(i int) bool { return slices.Equal(out[i], s) }) {
			continue
		}
		seen[h] = append(seen[h], len(out))
		out = append(out, s)
	}
	return out
}

// seqHash is an FNV-1a hash of a sequence's classes.
func seqHash(s seq) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range s {
		for _, w := range c {
			h ^= w
			h *= 1099511628211
		}
	}
	return h
}

// best returns the most selective window of n classes of s, whose classes
// have these group shares: any piece of a contained sequence is contained.
func best(s seq, shares [][nGroups]float64, n int) seq {
	at, score := 0, 2.0
	for i := 0; i+n <= len(s); i++ {
		if p := sharesScore(shares[i : i+n]); p < score {
			at, score = i, p
		}
	}
	return s[at : at+n]
}

// trimSet shortens the sequences of set to at most an.maxLen classes and
// then, while there are more than an.maxSet distinct ones, by one class
// more; a set of single classes too large becomes their union.
func (an analyser) trimSet(set seqSet) seqSet {
	n := 0
	for _, s := range set {
		n = max(n, len(s))
	}
	n = min(n, an.maxLen)
	// The shares of each class, computed once for every length tried.
	shares := make([][][nGroups]float64, len(set))
	for i, s := range set {
		shares[i] = make([][nGroups]float64, len(s))
		for j, c := range s {
			shares[i][j] = groupShares(c)
		}
	}
	for {
		trimmed := make(seqSet, len(set))
		for i, s := range set {
			if len(s) > n {
				s = best(s, shares[i], n)
			}
			trimmed[i] = s
		}
		out := union(nil, trimmed)
		if len(out) <= an.maxSet {
			return out
		}
		if n <= 1 {
			var c byteSet
			for _, s := range out {
				if len(s) == 0 {
					return seqSet{seq{}}
				}
				c = c.union(s[0])
			}
			return seqSet{seq{c}}
		}
		n--
	}
}

// bestSet returns the more selective of two sets.
func bestSet(a, b seqSet) seqSet {
	if setScore(b) < setScore(a) {
		return b
	}
	return a
}

// coarse widens the classes of set (widen) and then picks a few pieces, at
// most maxLen classes long, that together cover the set: each sequence
// contains one of them. Both steps only weaken the set, so it stays
// necessary; in exchange the factors of all rules are few and shared
// ("nine digits", "three digits, a dash, two digits, a dash, four
// digits") and the automaton that finds them all stays small.
func coarse(set seqSet, maxLen int) seqSet {
	return cover(widenSet(set), maxLen)
}

// widenSet widens every class of every sequence of set.
func widenSet(set seqSet) seqSet {
	var out seqSet
	for _, s := range set {
		c := make(seq, len(s))
		for i, cl := range s {
			c[i] = widen(cl)
		}
		out = union(out, seqSet{c})
	}
	return out
}

// pieceCost is what one more piece costs the automaton, in the units of
// seqScore: cover takes a piece that serves several sequences over one
// rarer piece each unless those are far rarer.
const pieceCost = 1e-6

// cover chooses, greedily, pieces of the sequences of set (at most maxLen
// classes) such that every sequence contains one: at each step the piece
// with the lowest cost (estimated frequency plus pieceCost) per sequence
// it newly covers.
func cover(set seqSet, maxLen int) seqSet {
	var cands seqSet
	var scores []float64
	for _, s := range set {
		if len(s) == 0 {
			return seqSet{seq{}}
		}
		for n := 1; n <= min(maxLen, len(s)); n++ {
			for i := 0; i+n <= len(s); i++ {
				if !slices.ContainsFunc(cands, func(t seq) bool { return slices.Equal(s[i:i+n], t) }) {
					cands = append(cands, s[i:i+n])
					scores = append(scores, seqScore(s[i:i+n])+pieceCost)
				}
			}
		}
	}
	covered := make([]bool, len(set))
	left := len(set)
	var out seqSet
	for left > 0 {
		bestAt, bestCost := -1, 0.0
		for ci, c := range cands {
			n := 0
			for i, s := range set {
				if !covered[i] && contains(s, c) {
					n++
				}
			}
			if n == 0 {
				continue
			}
			if cost := scores[ci] / float64(n); bestAt < 0 || cost < bestCost {
				bestAt, bestCost = ci, cost
			}
		}
		c := cands[bestAt]
		out = append(out, c)
		for i, s := range set {
			if !covered[i] && contains(s, c) {
				covered[i] = true
				left--
			}
		}
	}
	return out
}

// widen grows c: any digit to all digits, any byte of a UTF-8 sequence to
// all such bytes.
func widen(c byteSet) byteSet {
	w := c
	digits := byteRange('0', '9')
	// Digits, even one ("1" or "3" starting a Bitcoin address), become
	// all digits: rules spell dates and numbers with every digit range,
	// and an automaton that told them apart would have states for every
	// mix of them a run of digits reaches. Letters stay exact: a literal
	// selects, and a run of any letters is one class anyway.
	if popcount(c.and(digits)) > 0 {
		w = w.union(digits)
	}
	// The bytes of UTF-8 sequences always widen.
	for _, g := range [...]byteSet{byteRange(0x80, 0xBF), byteRange(0xC0, 0xFF)} {
		if popcount(c.and(g)) > 0 {
			w = w.union(g)
		}
	}
	return w
}

// contains reports whether every string of s has a string of t inside it:
// t matches s at some offset class by class (each class of s within t's).
func contains(s, t seq) bool {
	for off := 0; off+len(t) <= len(s); off++ {
		ok := true
		for i, c := range t {
			if c.union(s[off+i]) != c {
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
