package cli

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakguard/leakguard/internal/server"
	"github.com/leakguard/leakguard/internal/store"
)

// eventQueue records the events of 'serve' in the inventory from one
// goroutine, off the request path. Writing each event from the request
// that caused it made a thousand connections queue on SQLite's one writer:
// verdicts waited seconds for their event, and past the write's timeout
// the event was lost. A check now hands its event over and answers; the
// writer records them in order. When the queue is full (the inventory far
// slower than the traffic) the event is dropped, logged and counted
// (leakguard_events_dropped_total), never waited for.
type eventQueue struct {
	st      store.Store
	logger  *slog.Logger
	mu      sync.RWMutex // add holds it for reading, close for writing
	closed  bool
	ch      chan store.Event
	done    chan struct{}
	written atomic.Uint64
	failed  atomic.Uint64
	dropped atomic.Uint64
}

// eventQueueSize is how many events may wait: several seconds of blocks at
// the rates a proxy of this machine can carry.
const eventQueueSize = 16384

// newEventQueue starts the writer of st; logger (nil: none) gets failures.
func newEventQueue(st store.Store, logger *slog.Logger) *eventQueue {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	q := &eventQueue{st: st, logger: logger, ch: make(chan store.Event, eventQueueSize), done: make(chan struct{})}
	go q.run()
	return q
}

// add queues e, stamped with the time of the action. After close (a check
// that outlived the shutdown) the event is dropped.
func (q *eventQueue) add(e store.Event) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	if !q.closed {
		select {
		case q.ch <- e:
			return
		default:
		}
	}
	// One line for the first drop and one per thousand after: under a
	// flood the log must not become the next bottleneck.
	if n := q.dropped.Add(1); n == 1 || n%1000 == 0 {
		q.logger.Error("events not recorded in the inventory: the queue is full or closed", slog.Uint64("dropped", n))
	}
}

func (q *eventQueue) run() {
	defer close(q.done)
	for e := range q.ch {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := q.st.AddEvent(ctx, e)
		cancel()
		if err != nil {
			q.failed.Add(1)
			q.logger.Error("event not recorded in the inventory", slog.String("error", err.Error()))
			continue
		}
		q.written.Add(1)
	}
}

// close records what is queued, waiting at most wait, and stops the writer.
// Nothing may be added after.
func (q *eventQueue) close(wait time.Duration) {
	q.mu.Lock()
	q.closed = true
	close(q.ch)
	q.mu.Unlock()
	select {
	case <-q.done:
	case <-time.After(wait):
		q.logger.Error("events still queued at shutdown were not recorded", slog.Int("queued", len(q.ch)))
	}
}

// counters are the queue's counts for /metrics.
func (q *eventQueue) counters() []server.Counter {
	return []server.Counter{
		{Name: "leakguard_events_recorded_total", Help: "Events (blocks, alerts, redactions of every channel) recorded in the inventory.", Value: q.written.Load()},
		{Name: "leakguard_events_failed_total", Help: "Events the inventory refused to record (see the log).", Value: q.failed.Load()},
		{Name: "leakguard_events_dropped_total", Help: "Events dropped because the queue to the inventory was full.", Value: q.dropped.Load()},
	}
}
