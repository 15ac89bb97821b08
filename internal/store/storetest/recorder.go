package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

func testRecorder(t *testing.T, e *env) {
	rec, err := store.Record(e.ctx, e.st, store.ScanStart{Roots: []string{"/r"}, Digest: "d1"},
		store.RecorderOptions{Buffer: 16, BatchSize: 100, MaxDelay: time.Millisecond})
	e.must(err)
	// Eight goroutines, as a parallel scan's workers would; every value
	// is found twice, in two files.
	const workers, perWorker = 8, 300
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				v := fmt.Sprintf("AKIA%08d%08d", w, i)
				for _, p := range []string{"/r/a", "/r/b"} {
					if err := rec.Finding(e.ctx, e.secret("aws-key", v, fmt.Sprintf("%s/%d/%d", p, w, i), 0)); err != nil {
						errs <- err
						return
					}
				}
				if err := rec.Item(e.ctx, store.Item{Path: fmt.Sprintf("/r/a/%d/%d", w, i), Size: 1, ModTime: time.Unix(1, 0)}); err != nil {
					errs <- err
					return
				}
			}
			errs <- rec.ItemError(e.ctx, finding.ItemError{Location: finding.Location{Path: fmt.Sprintf("/r/bad%d", w)}, Reason: finding.ReasonCorrupt, Error: "bad"})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		e.must(err)
	}
	e.must(rec.Flush(e.ctx))
	if n, _ := e.st.CountFindings(e.ctx, store.Filter{}); n != workers*perWorker {
		t.Errorf("after Flush %d findings stored, want %d", n, workers*perWorker)
	}
	plain := e.secret("aws-key", awsValue, "/r/c", 0)
	plain.Secret = awsValue
	wantErr(t, rec.Finding(e.ctx, plain), store.ErrPlaintext, "recording a finding with its value")
	out, err := rec.Finish(e.ctx, store.ScanEnd{Stats: finding.Stats{Items: workers * perWorker}})
	e.must(err)
	if out.New != workers*perWorker || out.Seen != workers*perWorker {
		t.Errorf("outcome %+v", out)
	}
	s, err := e.st.Scan(e.ctx, rec.ID())
	e.must(err)
	if s.Errors != workers || s.State != store.Finished || s.Stats.Items != workers*perWorker {
		t.Errorf("scan %+v", s)
	}
	f := e.all(store.Filter{}, 1)[0]
	if f.Locations != 2 {
		t.Errorf("finding has %d locations, want 2", f.Locations)
	}
	if ok, _ := e.st.Unchanged(e.ctx, "d1", []store.Item{{Path: "/r/a/7/299", Size: 1, ModTime: time.Unix(1, 0)}}); !ok[0] {
		t.Error("recorded item not found unchanged")
	}
	if err := rec.Finding(e.ctx, e.secret("aws-key", awsValue, "/r/d", 0)); err == nil {
		t.Error("recording after Finish accepted")
	}
	if _, err := rec.Finish(e.ctx, store.ScanEnd{}); err == nil {
		t.Error("second Finish accepted")
	}
}

// failing is a store whose writes fail after the first.
type failing struct {
	store.Store
	mu     sync.Mutex
	writes int
}

var errDisk = errors.New("disk full")

func (f *failing) Write(ctx context.Context, id int64, b store.Batch) error {
	f.mu.Lock()
	f.writes++
	n := f.writes
	f.mu.Unlock()
	if n > 1 {
		return errDisk
	}
	return f.Store.Write(ctx, id, b)
}

func testRecorderWriteError(t *testing.T, e *env) {
	st := &failing{Store: e.st}
	rec, err := store.Record(e.ctx, st, store.ScanStart{Roots: []string{"/r"}}, store.RecorderOptions{Buffer: 4, BatchSize: 10})
	e.must(err)
	var sendErr error
	for i := 0; i < 1000 && sendErr == nil; i++ {
		sendErr = rec.Finding(e.ctx, e.secret("aws-key", fmt.Sprintf("AKIA%016d", i), "/r/x", int64(i)))
	}
	wantErr(t, sendErr, errDisk, "recording after a failed write")
	_, err = rec.Finish(e.ctx, store.ScanEnd{})
	wantErr(t, err, errDisk, "Finish after a failed write")
	s, err := e.st.Scan(e.ctx, rec.ID())
	e.must(err)
	if s.State != store.Incomplete {
		t.Errorf("scan with a failed write is %s, want incomplete", s.State)
	}
}

// testRecorderItemDelay checks that a batch holding no finding is written
// after ItemDelay, and one holding a finding waits for MaxDelay (or the
// end) as before: a rescan's items are stored while it runs, a first
// scan's findings still go in full batches.
func testRecorderItemDelay(t *testing.T, e *env) {
	w := &watched{Store: e.st, writes: make(chan store.Batch, 4)}
	rec, err := store.Record(e.ctx, w, store.ScanStart{Roots: []string{"/r"}},
		store.RecorderOptions{BatchSize: 1000, MaxDelay: time.Hour, ItemDelay: 10 * time.Millisecond})
	e.must(err)
	item := func(p string) store.Item {
		return store.Item{Root: "/r", Path: p, Size: 1, ModTime: time.Unix(1, 0)}
	}
	e.must(rec.Item(e.ctx, item("/r/a")))
	select {
	case b := <-w.writes:
		if len(b.Items) != 1 || len(b.Findings) != 0 {
			t.Errorf("first write: %d items, %d findings, want the one item", len(b.Items), len(b.Findings))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a batch of an item alone was not written after ItemDelay")
	}
	e.must(rec.Item(e.ctx, item("/r/b")))
	e.must(rec.Finding(e.ctx, e.secret("aws-key", "AKIA0000000000000001", "/r/b", 0)))
	select {
	case b := <-w.writes:
		t.Errorf("a batch holding a finding was written after %d items, before MaxDelay or the end", len(b.Items))
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := rec.Finish(e.ctx, store.ScanEnd{}); err != nil {
		t.Fatal(err)
	}
	select {
	case b := <-w.writes:
		if len(b.Items) != 1 || len(b.Findings) != 1 {
			t.Errorf("last write: %d items, %d findings, want 1 and 1", len(b.Items), len(b.Findings))
		}
	default:
		t.Error("Finish wrote no last batch")
	}
}

// watched is a store that hands a copy of each batch it writes to writes.
type watched struct {
	store.Store
	writes chan store.Batch
}

func (w *watched) Write(ctx context.Context, id int64, b store.Batch) error {
	w.writes <- store.Batch{Items: slices.Clone(b.Items), Findings: slices.Clone(b.Findings)}
	return w.Store.Write(ctx, id, b)
}

// gated is a store whose first write waits until release is closed.
type gated struct {
	store.Store
	started, release chan struct{}
	once             sync.Once
}

func (g *gated) Write(ctx context.Context, id int64, b store.Batch) error {
	first := false
	g.once.Do(func() { first = true })
	if first {
		close(g.started)
		<-g.release
	}
	return g.Store.Write(ctx, id, b)
}

// testRecorderOverlap checks that a Recorder collects the next batch while
// one is written: a scan goes on during a slow write, up to a batch and the
// channel's buffer, and everything lands in order once the write is done.
func testRecorderOverlap(t *testing.T, e *env) {
	g := &gated{Store: e.st, started: make(chan struct{}), release: make(chan struct{})}
	const batch, buffer = 10, 4
	rec, err := store.Record(e.ctx, g, store.ScanStart{Roots: []string{"/r"}}, store.RecorderOptions{Buffer: buffer, BatchSize: batch, MaxDelay: time.Hour})
	e.must(err)
	send := func(ctx context.Context, i int) error {
		return rec.Finding(ctx, e.secret("aws-key", fmt.Sprintf("AKIA%016d", i), "/r/x", int64(i)))
	}
	for i := range batch {
		e.must(send(e.ctx, i))
	}
	select {
	case <-g.started:
	case <-time.After(10 * time.Second):
		t.Fatal("a full batch was not written")
	}
	// The first batch's write is held: a whole second batch and most of
	// the buffer are still taken. (A Recorder that waits for each write
	// before it reads on took only the buffer.)
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	n := batch
	for ; n < 2*batch+buffer-1; n++ {
		if err := send(ctx, n); err != nil {
			t.Fatalf("record %d waited on the first batch's write: %v", n, err)
		}
	}
	close(g.release)
	e.must(rec.Flush(e.ctx))
	if got, _ := e.st.CountFindings(e.ctx, store.Filter{}); got != int64(n) {
		t.Errorf("after Flush %d findings stored, want %d", got, n)
	}
	out, err := rec.Finish(e.ctx, store.ScanEnd{})
	e.must(err)
	if out.New != int64(n) {
		t.Errorf("outcome %+v, want %d new", out, n)
	}
}
