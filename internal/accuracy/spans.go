package accuracy

// span is a half-open range [start, end) of code points in one text.
type span struct{ start, end int }

func (a span) overlaps(b span) bool { return a.start < b.end && b.start < a.end }

// matchOverlap pairs gold and predicted spans one-to-one so that every pair
// overlaps and as many pairs as possible are formed (a maximum bipartite
// matching by augmenting paths; the lists are a handful of spans per text,
// so its cost does not matter). It returns, for each gold span, the index of
// its predicted span or -1.
func matchOverlap(gold, pred []span) []int {
	goldOf := make([]int, len(pred)) // pred -> gold, -1 when free
	for i := range goldOf {
		goldOf[i] = -1
	}
	var try func(g int, seen []bool) bool
	try = func(g int, seen []bool) bool {
		for p := range pred {
			if seen[p] || !gold[g].overlaps(pred[p]) {
				continue
			}
			seen[p] = true
			if goldOf[p] < 0 || try(goldOf[p], seen) {
				goldOf[p] = g
				return true
			}
		}
		return false
	}
	for g := range gold {
		try(g, make([]bool, len(pred)))
	}
	out := make([]int, len(gold))
	for i := range out {
		out[i] = -1
	}
	for p, g := range goldOf {
		if g >= 0 {
			out[g] = p
		}
	}
	return out
}

// matchExact pairs gold and predicted spans with identical bounds, one to
// one, and returns how many pairs there are.
func matchExact(gold, pred []span) int {
	left := map[span]int{}
	for _, p := range pred {
		left[p]++
	}
	n := 0
	for _, g := range gold {
		if left[g] > 0 {
			left[g]--
			n++
		}
	}
	return n
}

// scoreSpans scores one text's spans of one entity type.
func scoreSpans(gold, pred []span) (overlap, exact PRF, goldHit, predHit []bool) {
	m := matchOverlap(gold, pred)
	goldHit, predHit = make([]bool, len(gold)), make([]bool, len(pred))
	for g, p := range m {
		if p >= 0 {
			goldHit[g], predHit[p] = true, true
			overlap.TP++
		}
	}
	overlap.FN = len(gold) - overlap.TP
	overlap.FP = len(pred) - overlap.TP
	exact.TP = matchExact(gold, pred)
	exact.FN = len(gold) - exact.TP
	exact.FP = len(pred) - exact.TP
	return overlap, exact, goldHit, predHit
}
