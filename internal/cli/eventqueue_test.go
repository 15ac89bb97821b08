package cli

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/store"
)

// TestEventQueueRecordsAll has a thousand checks hand over their events at
// once: after close every one is in the inventory, none dropped.
func TestEventQueueRecordsAll(t *testing.T) {
	ctx := context.Background()
	inv := &inventoryFlags{state: t.TempDir()}
	st, err := inv.open(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q := newEventQueue(st, nil)
	var wg sync.WaitGroup
	for i := range 1000 {
		wg.Go(func() {
			q.add(store.Event{Channel: channelICAP, Action: "block", Reason: "test", Client: "127.0.0.1", Destination: string(rune('a' + i%26))})
		})
	}
	wg.Wait()
	q.close(time.Minute)
	if q.written.Load() != 1000 || q.dropped.Load() != 0 || q.failed.Load() != 0 {
		t.Fatalf("written %d, dropped %d, failed %d", q.written.Load(), q.dropped.Load(), q.failed.Load())
	}
	n := 0
	for after := ""; ; {
		es, next, err := st.Events(ctx, store.Page{Limit: store.MaxLimit, After: after})
		if err != nil {
			t.Fatal(err)
		}
		n += len(es)
		if next == "" {
			break
		}
		after = next
	}
	if n != 1000 {
		t.Fatalf("%d events in the inventory, want 1000", n)
	}
	q.add(store.Event{Channel: channelICAP, Action: "block"}) // after close: dropped, no panic
	if q.dropped.Load() != 1 {
		t.Fatalf("an event after close: dropped %d", q.dropped.Load())
	}
}

// stuckStore is an inventory whose writes hang until released.
type stuckStore struct {
	store.Store
	release chan struct{}
}

func (s stuckStore) AddEvent(ctx context.Context, _ store.Event) (int64, error) {
	<-s.release
	return 1, nil
}

// TestEventQueueDropsWhenFull: a stuck inventory never holds up a check;
// what does not fit in the queue is counted as dropped.
func TestEventQueueDropsWhenFull(t *testing.T) {
	st := stuckStore{release: make(chan struct{})}
	q := newEventQueue(st, nil)
	start := time.Now()
	for range eventQueueSize + 100 {
		q.add(store.Event{Channel: channelMilter, Action: "alert"})
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("adding to a full queue took %v", d)
	}
	// The writer holds one event, the queue the next eventQueueSize.
	if got := q.dropped.Load(); got < 99 || got > 100 {
		t.Fatalf("dropped %d, want 99 or 100", got)
	}
	close(st.release)
	q.close(time.Minute)
	if got := q.written.Load() + q.dropped.Load(); got != eventQueueSize+100 {
		t.Fatalf("written + dropped = %d, want %d", got, eventQueueSize+100)
	}
	counters := q.counters()
	if len(counters) != 3 || counters[2].Name != "leakguard_events_dropped_total" || counters[2].Value != q.dropped.Load() {
		t.Fatalf("counters: %+v", counters)
	}
}
