package detect

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestClassDFA holds the automaton against a naive search: random patterns
// over a small alphabet, random text, every overlapping occurrence.
func TestClassDFA(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alpha := []byte("ab1-9 ")
	for round := range 200 {
		pats := randomPatterns(r, alpha, 8)
		text := make([]byte, 300)
		for i := range text {
			text[i] = alpha[r.IntN(len(alpha))]
		}
		d, err := newClassDFA(pats, 1<<16)
		if err != nil {
			t.Fatal(err)
		}
		type hit struct{ pat, end int }
		var got, want []hit
		d.scan(text, func(p int32, end int) { got = append(got, hit{int(p), end}) })
		for end := 1; end <= len(text); end++ {
			for pi, p := range pats {
				if end < len(p) {
					continue
				}
				ok := true
				for i, c := range p {
					if !c.has(text[end-len(p)+i]) {
						ok = false
						break
					}
				}
				if ok {
					want = append(want, hit{pi, end})
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: got %d hits, want %d", round, len(got), len(want))
		}
	}
}

// TestScanPair holds two automata stepped together against one automaton
// of all their patterns: the same hits in the same order, the edges
// included, also when the caches are emptied every few states. Every
// fifth text is long enough to be scanned as two lanes; with small caches
// the lanes stop early (at once, or after some states) and the second
// starts over.
func TestScanPair(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alpha := []byte("ab1-9 \xff")
	type hit struct{ pat, end int }
	for round := range 300 {
		pa, pb := randomPatterns(r, alpha, 6), randomPatterns(r, alpha, 6)
		n := 200
		if round%5 == 0 {
			n = laneMin + r.IntN(3000)
		}
		text := make([]byte, n)
		for i := range text {
			text[i] = alpha[r.IntN(len(alpha)-1)] // the edge byte only at the edges
		}
		start, end := round%2 == 0, round%3 == 0
		maxStates := 1 << 16
		switch round % 4 {
		case 0:
			maxStates = 4
		case 1:
			maxStates = 20 + r.IntN(40)
		}
		all, _ := newClassDFA(append(append([]seq{}, pa...), pb...), maxStates)
		a, _ := newClassDFA(pa, maxStates)
		b, _ := newClassDFA(pb, maxStates)
		var got, want []hit
		all.scanEdges(text, start, end, func(p int32, e int) { want = append(want, hit{int(p), e}) })
		scanPair(a, b, int32(len(pa)), text, start, end, func(p int32, e int) { got = append(got, hit{int(p), e}) })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: got %d hits, want %d", round, len(got), len(want))
		}
	}
}

// TestScanPairManyHits gives the second lane more hits than it may hold
// (a pattern of any byte hits everywhere): the lanes stop, the rest runs
// as one lane, and the hits are still all there in order.
func TestScanPairManyHits(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alpha := []byte("ab1-9 ")
	var any byteSet
	for _, c := range alpha {
		any.add(c)
	}
	pa := append(randomPatterns(r, alpha, 4), seq{any})
	pb := randomPatterns(r, alpha, 4)
	text := make([]byte, 4*maxHeld)
	for i := range text {
		text[i] = alpha[r.IntN(len(alpha))]
	}
	all, _ := newClassDFA(append(append([]seq{}, pa...), pb...), 1<<16)
	a, _ := newClassDFA(pa, 1<<16)
	b, _ := newClassDFA(pb, 1<<16)
	type hit struct{ pat, end int }
	var got, want []hit
	all.scanEdges(text, true, true, func(p int32, e int) { want = append(want, hit{int(p), e}) })
	scanPair(a, b, int32(len(pa)), text, true, true, func(p int32, e int) { got = append(got, hit{int(p), e}) })
	if len(want) < 2*maxHeld || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %d hits, want %d (at least %d)", len(got), len(want), 2*maxHeld)
	}
}

// randomPatterns returns 1 to most patterns of 1 to 5 classes, each of one
// or two bytes of alpha.
func randomPatterns(r *rand.Rand, alpha []byte, most int) []seq {
	var pats []seq
	for range 1 + r.IntN(most) {
		var p seq
		for range 1 + r.IntN(5) {
			var c byteSet
			for range 1 + r.IntN(2) {
				c.add(alpha[r.IntN(len(alpha))])
			}
			p = append(p, c)
		}
		pats = append(pats, p)
	}
	return pats
}
