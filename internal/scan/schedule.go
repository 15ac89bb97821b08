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
// rule of list scheduling). The walk and the workers meet under one lock;
// a heap of 16,384 costs some 14 comparisons a push or pop.
type schedule struct {
	ctx      context.Context
	stop     func() bool // ends the wake-up on ctx's end
	size     int
	mu       sync.Mutex
	notEmpty sync.Cond // a worker waits for an item
	notFull  sync.Cond // the walk waits for room
	items    queue
	seq      uint64
	closed   bool
	walkers  int // walkers waiting for room
}

// newSchedule holds up to size items for workers until ctx ends.
func newSchedule(ctx context.Context, size int) *schedule {
	q := &schedule{ctx: ctx, size: size}
	q.notEmpty.L, q.notFull.L = &q.mu, &q.mu
	q.stop = context.AfterFunc(ctx, func() {
		// Under the lock: a walk that saw ctx alive is waiting by now.
		q.mu.Lock()
		q.notFull.Broadcast()
		q.mu.Unlock()
	})
	return q
}

// push adds it with its expected cost, waiting for room in the window
// until the schedule's context ends.
func (q *schedule) push(it source.Item, cost int64) error {
	q.mu.Lock()
	for len(q.items) >= q.size && q.ctx.Err() == nil {
		q.walkers++
		q.notFull.Wait()
		q.walkers--
	}
	if q.ctx.Err() != nil {
		q.mu.Unlock()
		return context.Cause(q.ctx)
	}
	q.seq++
	heap.Push(&q.items, &queued{it: it, cost: cost, seq: q.seq})
	q.mu.Unlock()
	q.notEmpty.Signal()
	return nil
}

// pop waits for an item and returns the costliest waiting, the first
// walked among equals; false once the schedule is closed and empty.
func (q *schedule) pop() (source.Item, bool) {
	q.mu.Lock()
	for len(q.items) == 0 && !q.closed {
		q.notEmpty.Wait()
	}
	if len(q.items) == 0 {
		q.mu.Unlock()
		return source.Item{}, false
	}
	x := heap.Pop(&q.items).(*queued)
	// A waiting walk is woken once an eighth of the window is free, not
	// for every item taken: each wake-up of a goroutine that sleeps costs
	// the waker a thread's wake-up (futex), some 20 µs, which once per
	// item was 3% of a scan's CPU.
	wake := q.walkers > 0 && len(q.items) <= q.size-max(q.size/8, 1)
	q.mu.Unlock()
	if wake {
		q.notFull.Broadcast()
	}
	return x.it, true
}

// close says the walk is over: pop returns what is left, then false.
func (q *schedule) close() {
	q.stop()
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.notEmpty.Broadcast()
}

type queued struct {
	it   source.Item
	cost int64
	seq  uint64 // the walk's order, for ties
}

// queue is a max-heap of items by cost (container/heap). It holds
// pointers: an item is 144 bytes, and a heap of 16,384 moves each pushed
// or popped one a dozen times.
type queue []*queued

func (h queue) Len() int { return len(h) }
func (h queue) Less(i, j int) bool {
	if h[i].cost != h[j].cost {
		return h[i].cost > h[j].cost
	}
	return h[i].seq < h[j].seq
}
func (h queue) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *queue) Push(x any)   { *h = append(*h, x.(*queued)) }
func (h *queue) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return x
}
