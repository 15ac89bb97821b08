package scan

import (
	"container/heap"
	"context"
	"sync"

	"github.com/leakguard/leakguard/internal/source"
)

// window is how many walked items wait for a worker at most. The walk
// lists some 30,000 files a second and the workers scan a few thousand,
// so the window runs seconds ahead of them: time enough for a big item
// to start early. 16,384 items hold some 5 MB (a path, a closure), not
// their content.
const window = 1 << 14

// schedule hands walked items to the workers, the most expected work
// first among those waiting. Handed out in the order walked, an item that
// takes seconds (a bzip2 file of 60 MB of text, a large log) may start
// last and run alone while the other workers have nothing left: on the
// benchmark corpus one such file kept a single worker busy for the last
// second of eight. Starting the biggest of the window first leaves the
// small ones to fill in at the end (longest processing time first, the
// rule of list scheduling).
type schedule struct {
	mu     sync.Mutex
	cond   sync.Cond
	items  queue
	seq    uint64
	closed bool
	// slots holds a token per item waiting: the walk takes one before it
	// adds an item, so it waits while the window is full.
	slots chan struct{}
}

func newSchedule(size int) *schedule {
	q := &schedule{slots: make(chan struct{}, size)}
	q.cond.L = &q.mu
	return q
}

// push adds it with its expected cost, waiting for room in the window
// until ctx ends.
func (q *schedule) push(ctx context.Context, it source.Item, cost int64) error {
	select {
	case q.slots <- struct{}{}:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	q.mu.Lock()
	q.seq++
	heap.Push(&q.items, queued{it: it, cost: cost, seq: q.seq})
	q.mu.Unlock()
	q.cond.Signal()
	return nil
}

// pop waits for an item and returns the costliest waiting, the first
// walked among equals; false once the schedule is closed and empty.
func (q *schedule) pop() (source.Item, bool) {
	q.mu.Lock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		q.mu.Unlock()
		return source.Item{}, false
	}
	x := heap.Pop(&q.items).(queued)
	q.mu.Unlock()
	<-q.slots
	return x.it, true
}

// close says the walk is over: pop returns what is left, then false.
func (q *schedule) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

type queued struct {
	it   source.Item
	cost int64
	seq  uint64 // the walk's order, for ties
}

// queue is a max-heap of items by cost (container/heap).
type queue []queued

func (h queue) Len() int { return len(h) }
func (h queue) Less(i, j int) bool {
	if h[i].cost != h[j].cost {
		return h[i].cost > h[j].cost
	}
	return h[i].seq < h[j].seq
}
func (h queue) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *queue) Push(x any)   { *h = append(*h, x.(queued)) }
func (h *queue) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = queued{} // drop the item's closure
	*h = old[:len(old)-1]
	return x
}
