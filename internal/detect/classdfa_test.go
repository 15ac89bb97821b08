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
		var pats []seq
		for range 1 + r.IntN(8) {
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
