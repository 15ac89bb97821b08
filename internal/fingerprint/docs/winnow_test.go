package docs

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveWinnow is the definition: for each window of w hashes, the
// rightmost minimum, recorded when it differs from the last recorded.
func naiveWinnow(hs []uint64, w int) []int64 {
	var out []int64
	last := int64(-1)
	if len(hs) == 0 {
		return nil
	}
	if len(hs) < w {
		w = len(hs)
	}
	for end := w; end <= len(hs); end++ {
		m := end - w
		for i := end - w; i < end; i++ {
			if hs[i] <= hs[m] {
				m = i
			}
		}
		if int64(m) != last {
			out = append(out, int64(m))
			last = int64(m)
		}
	}
	return out
}

func TestWinnowMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 2000 {
		n := rng.IntN(60)
		w := 1 + rng.IntN(8)
		hs := make([]uint64, n)
		for i := range hs {
			hs[i] = 1 + uint64(rng.IntN(12)) // small range: many ties
		}
		var got []int64
		v := newWinnower(w, func(s shingle) { got = append(got, s.index) })
		for i, h := range hs {
			v.add(shingle{hash: h, index: int64(i)})
		}
		v.close()
		want := naiveWinnow(hs, w)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d w=%d %v: got %v want %v", trial, w, hs, got, want)
		}
		// The guarantee: every window of w shingles holds a pick.
		for end := w; end <= n; end++ {
			if !slices.ContainsFunc(got, func(i int64) bool { return i >= int64(end-w) && i < int64(end) }) {
				t.Fatalf("window ending %d has no fingerprint", end)
			}
		}
	}
}

// Random hashes keep about 2/(w+1) of the shingles.
func TestWinnowDensity(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, w = 100000, 4
	picked := 0
	v := newWinnower(w, func(shingle) { picked++ })
	for i := range n {
		v.add(shingle{hash: rng.Uint64() | 1, index: int64(i)})
	}
	got, want := float64(picked)/n, 2.0/(w+1)
	if got < want*0.95 || got > want*1.05 {
		t.Fatalf("density %.3f, want about %.3f", got, want)
	}
}
