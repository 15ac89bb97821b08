package scan

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/source"
)

func named(p string) source.Item { return source.Item{Location: finding.Location{Path: p}} }

// TestScheduleCostliestFirst: the costliest waiting item comes out first,
// equals in the order pushed; after close, what is left, then false.
func TestScheduleCostliestFirst(t *testing.T) {
	q := newSchedule(context.Background(), 8)
	for _, x := range []struct {
		p    string
		cost int64
	}{{"a", 10}, {"b", 500}, {"c", 10}, {"d", 0}, {"e", 500}, {"f", 70}} {
		if err := q.push(named(x.p), x.cost); err != nil {
			t.Fatal(err)
		}
	}
	q.close()
	var got string
	for {
		it, ok := q.pop()
		if !ok {
			break
		}
		got += it.Location.Path
	}
	if got != "befacd" {
		t.Errorf("order %q, want befacd", got)
	}
	if _, ok := q.pop(); ok {
		t.Error("pop after the end returned an item")
	}
}

// TestScheduleWindowFull: a push waits while the window is full, goes on
// when a worker takes an item, and gives up when its context ends.
func TestScheduleWindowFull(t *testing.T) {
	stop := errors.New("scan stopped")
	ctx, cancel := context.WithCancelCause(context.Background())
	q := newSchedule(ctx, 2)
	q.push(named("a"), 1)
	q.push(named("b"), 2)
	pushed := make(chan error, 1)
	go func() { pushed <- q.push(named("c"), 3) }()
	select {
	case err := <-pushed:
		t.Fatalf("push into a full window returned at once (%v)", err)
	case <-time.After(50 * time.Millisecond):
	}
	if it, _ := q.pop(); it.Location.Path != "b" {
		t.Errorf("popped %q, want b", it.Location.Path)
	}
	if err := <-pushed; err != nil {
		t.Fatal(err)
	}

	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel(stop)
	}()
	if err := q.push(named("d"), 4); !errors.Is(err, stop) {
		t.Errorf("push into a full window of a stopped scan: %v, want %v", err, stop)
	}
}

// TestScheduleConcurrent: items pushed from several walkers reach several
// workers once each, and the workers end when the walk is over.
func TestScheduleConcurrent(t *testing.T) {
	q := newSchedule(context.Background(), 16)
	const walkers, each = 4, 500
	var mu sync.Mutex
	seen := map[string]int{}
	var workers sync.WaitGroup
	for range 3 {
		workers.Go(func() {
			for {
				it, ok := q.pop()
				if !ok {
					return
				}
				mu.Lock()
				seen[it.Location.Path]++
				mu.Unlock()
			}
		})
	}
	var walk sync.WaitGroup
	for w := range walkers {
		walk.Go(func() {
			for i := range each {
				if err := q.push(named(fmt.Sprintf("%d/%d", w, i)), int64(i%7)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	walk.Wait()
	q.close()
	workers.Wait()
	if len(seen) != walkers*each {
		t.Fatalf("%d distinct items, want %d", len(seen), walkers*each)
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("%s handed out %d times", p, n)
		}
	}
}
