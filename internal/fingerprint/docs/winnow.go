package docs

// winnower selects fingerprints from a stream of shingle hashes: in every
// window of W consecutive shingles, the minimum hash (the rightmost one on
// a tie), recorded once however many windows it is the minimum of. This is
// robust winnowing (Schleimer, Wilkerson, Aiken 2003). A monotonic queue
// keeps the candidates, so the state is at most W entries and each shingle
// costs O(1) amortised.
type winnower struct {
	w     int
	queue []shingle // increasing hash from front to back; indices increasing
	head  int
	last  int64 // index of the last recorded fingerprint, -1 before any
	seen  int64 // shingles seen
	emit  func(shingle)
}

func newWinnower(w int, emit func(shingle)) *winnower {
	return &winnower{w: w, queue: make([]shingle, 0, 2*w+2), last: -1, emit: emit}
}

// add takes the next shingle.
func (v *winnower) add(s shingle) {
	// Drop candidates no smaller than s: s is right of them, so it wins
	// every window they share, ties included.
	for len(v.queue) > v.head && v.queue[len(v.queue)-1].hash >= s.hash {
		v.queue = v.queue[:len(v.queue)-1]
	}
	if v.head > v.w { // compact instead of growing
		n := copy(v.queue, v.queue[v.head:])
		v.queue, v.head = v.queue[:n], 0
	}
	v.queue = append(v.queue, s)
	v.seen++
	// The front may have left the window [seen-W, seen).
	for v.queue[v.head].index < v.seen-int64(v.w) {
		v.head++
	}
	if v.seen >= int64(v.w) {
		v.pick()
	}
}

// pick records the current window's minimum unless already recorded.
func (v *winnower) pick() {
	m := v.queue[v.head]
	if m.index != v.last {
		v.last = m.index
		v.emit(m)
	}
}

// close ends the text: one shorter than a window still yields its minimum.
func (v *winnower) close() {
	if v.seen > 0 && v.seen < int64(v.w) {
		v.pick()
	}
}
