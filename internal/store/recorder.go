package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// Recorder records one scan into a Store. Its methods are safe to call from
// any number of goroutines: they put records on a bounded channel and one
// writer goroutine drains it into batches, each stored with one Store.Write.
// SQLite wants exactly this (one writer, large transactions), and a slow
// database slows the scan down through the channel instead of growing memory.
//
// A write error stops the writer; every later call returns it, so a scan
// feeding a Recorder as its sink stops too.
type Recorder struct {
	st Store
	id int64

	in   chan record
	done chan struct{} // closed when the writer has returned

	mu     sync.RWMutex // excludes sends while Finish closes in
	closed bool

	errMu sync.Mutex
	err   error // the writer's first error

	batch     int
	every     time.Duration
	itemEvery time.Duration
}

// RecorderOptions tune a Recorder; zero values take the defaults.
type RecorderOptions struct {
	Buffer    int           // records queued before callers wait (default 8192)
	BatchSize int           // records per transaction (default 100000)
	MaxDelay  time.Duration // longest a record waits for its batch (default 500ms)
	// ItemDelay is the longest a batch waits while it holds no finding
	// (default MaxDelay). Fuller batches pay for findings, whose random
	// ids spread any batch over the whole of their index; a rescan that
	// replays unchanged items records little but items, and those are
	// better stored while the scan runs than left for its end.
	ItemDelay time.Duration
}

type record struct {
	kind  byte // 'f' finding, 'i' item, 'e' item error, 'x' flush
	f     finding.Finding
	it    Item
	e     finding.ItemError
	reply chan error
}

// Record begins a scan in st and returns its Recorder. ctx bounds only this
// call: the writer outlives a cancelled scan so that Finish can still store
// what was recorded and mark the scan incomplete.
func Record(ctx context.Context, st Store, start ScanStart, o RecorderOptions) (*Recorder, error) {
	id, err := st.BeginScan(ctx, start)
	if err != nil {
		return nil, err
	}
	r := &Recorder{st: st, id: id, done: make(chan struct{}),
		batch: o.BatchSize, every: o.MaxDelay}
	if r.batch <= 0 {
		r.batch = 100000
	}
	if r.every <= 0 {
		r.every = 500 * time.Millisecond
	}
	r.itemEvery = o.ItemDelay
	if r.itemEvery <= 0 || r.itemEvery > r.every {
		r.itemEvery = r.every
	}
	buf := o.Buffer
	if buf <= 0 {
		buf = 8192
	}
	r.in = make(chan record, buf)
	go r.loop(context.WithoutCancel(ctx))
	return r, nil
}

// ID is the scan's id.
func (r *Recorder) ID() int64 { return r.id }

// Finding records a finding. One carrying a plaintext value is refused here,
// at the caller, with ErrPlaintext.
func (r *Recorder) Finding(ctx context.Context, f finding.Finding) error {
	if err := CheckFinding(&f); err != nil {
		return err
	}
	return r.send(ctx, record{kind: 'f', f: f})
}

// ItemError records an item that could not be (fully) scanned.
func (r *Recorder) ItemError(ctx context.Context, e finding.ItemError) error {
	return r.send(ctx, record{kind: 'e', e: e})
}

// Item records a scanned item; call it after the item's findings and errors
// (records are stored in the order they are sent, so an item is never stored
// ahead of its findings, and Unchanged can trust it).
func (r *Recorder) Item(ctx context.Context, it Item) error {
	return r.send(ctx, record{kind: 'i', it: it})
}

// Flush waits until everything sent so far is stored.
func (r *Recorder) Flush(ctx context.Context) error {
	reply := make(chan error, 1)
	if err := r.send(ctx, record{kind: 'x', reply: reply}); err != nil {
		return err
	}
	select {
	case err := <-reply:
		return err
	case <-r.done:
		return r.failed()
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Finish stores what is queued, then ends the scan (Store.FinishScan). When
// a write failed the scan is ended as incomplete and the write error is
// returned. Calls after the first return an error.
func (r *Recorder) Finish(ctx context.Context, end ScanEnd) (Outcome, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return Outcome{}, fmt.Errorf("scan %d: already finished", r.id)
	}
	r.closed = true
	close(r.in)
	r.mu.Unlock()
	<-r.done
	werr := r.failed()
	if werr != nil {
		end.Incomplete = true
	}
	out, err := r.st.FinishScan(ctx, r.id, end)
	return out, errors.Join(werr, err)
}

func (r *Recorder) send(ctx context.Context, rec record) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return fmt.Errorf("scan %d: recording after Finish", r.id)
	}
	if err := r.failed(); err != nil {
		return err
	}
	select {
	case r.in <- rec:
		return nil
	case <-r.done:
		return r.failed()
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (r *Recorder) failed() error {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	return r.err
}

func (r *Recorder) fail(err error) {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	if r.err == nil {
		r.err = fmt.Errorf("inventory: recording scan %d: %w", r.id, err)
	}
}

// loop collects records into batches; write stores them, one at a time
// and in order, on a goroutine of its own. While a batch is stored the next
// one is collected, so a scan goes on during a write instead of waiting on
// a full channel, where it had waited for every SQLite write: with a core
// free for the writer (one worker on two cores) a recorded first scan of
// the benchmark corpus took 18.2-18.6 s instead of 20.7-21.4 s; with every
// core scanning it is CPU-bound either way. At most two batches are held:
// the one being stored and the one being collected, which waits, when
// full, for the first to be done.
func (r *Recorder) loop(ctx context.Context) {
	defer close(r.done)
	jobs := make(chan batchJob)
	free := make(chan Batch, 1)
	free <- Batch{}
	written := make(chan struct{})
	go r.write(ctx, jobs, free, written)
	defer func() {
		close(jobs)
		<-written
	}()
	var b Batch
	var started time.Time // when b got its first record
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	// flush hands b to the writer (with reply, even when empty) and takes
	// the arrays of a batch already stored for the next.
	flush := func(reply chan error) error {
		timer.Stop()
		if err := r.failed(); err != nil {
			if reply != nil {
				reply <- err
			}
			return err
		}
		if b.Len() == 0 && reply == nil {
			return nil
		}
		next := <-free
		jobs <- batchJob{b: b, reply: reply}
		b = next
		return nil
	}
	for {
		select {
		case rec, ok := <-r.in:
			if !ok {
				flush(nil) // a failure is the writer's, already recorded
				return
			}
			switch rec.kind {
			case 'f':
				b.Findings = append(b.Findings, rec.f)
			case 'i':
				b.Items = append(b.Items, rec.it)
			case 'e':
				b.Errors = append(b.Errors, rec.e)
			case 'x':
				if flush(rec.reply) != nil {
					return
				}
				continue
			}
			if b.Len() == 1 {
				started = time.Now()
			}
			switch {
			case b.Len() >= r.batch:
				if flush(nil) != nil {
					return
				}
			case rec.kind == 'f' && len(b.Findings) == 1:
				// The batch's first finding: it now waits to fill with
				// findings, MaxDelay from its start at most.
				timer.Reset(r.every - min(r.every, time.Since(started)))
			case b.Len() == 1:
				timer.Reset(r.itemEvery)
			}
		case <-timer.C:
			if flush(nil) != nil {
				return
			}
		}
	}
}

// batchJob is a batch for the writer, with where to say it is stored
// (nil: nowhere).
type batchJob struct {
	b     Batch
	reply chan error
}

// write stores the batches of jobs in order. After a failure it stores
// nothing more but still answers and recycles, so that loop never waits on
// it. Each batch's arrays go back through free: Write keeps nothing of a
// batch, and a first scan then does not grow (and copy) them every time.
func (r *Recorder) write(ctx context.Context, jobs <-chan batchJob, free chan<- Batch, written chan<- struct{}) {
	defer close(written)
	for j := range jobs {
		if r.failed() == nil && j.b.Len() > 0 {
			if err := r.st.Write(ctx, r.id, j.b); err != nil {
				r.fail(err)
			}
		}
		clear(j.b.Findings)
		clear(j.b.Items)
		clear(j.b.Errors)
		free <- Batch{Findings: j.b.Findings[:0], Items: j.b.Items[:0], Errors: j.b.Errors[:0]}
		if j.reply != nil {
			j.reply <- r.failed()
		}
	}
}
