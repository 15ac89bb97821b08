package storetest

import (
	"context"
	"errors"
	"fmt"
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
