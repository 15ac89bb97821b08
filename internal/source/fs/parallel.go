package fs

import (
	"context"
	"sync"
)

// sequential walks the roots one after another, each depth first, on the
// calling goroutine.
func (w *walker) sequential() error {
	w.push = w.dir
	for _, r := range w.s.roots {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if err := w.root(r); err != nil {
			return err
		}
	}
	return nil
}

// parallel lists directories on Options.Workers goroutines. Each directory
// is one job; its subdirectories become new jobs. Files are handed to fn on
// the goroutine that listed them, so at most Workers calls of fn run at once
// (plus one for file roots, on the calling goroutine).
func (w *walker) parallel() error {
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	w.ctx = ctx
	q := &queue{pending: 1, cancel: cancel} // the 1 is the roots, still being pushed
	q.cond.L = &q.mu
	w.push = func(j dirJob) error {
		q.put(j)
		return nil
	}
	stop := context.AfterFunc(ctx, func() { q.finish(0, ctx.Err()) })
	defer stop()

	var wg sync.WaitGroup
	for range w.s.opts.Workers {
		wg.Go(func() {
			for {
				j, ok := q.take()
				if !ok {
					return
				}
				q.finish(1, w.dir(j))
			}
		})
	}
	var err error
	for _, r := range w.s.roots {
		if err = ctx.Err(); err != nil {
			break
		}
		if err = w.root(r); err != nil {
			break
		}
	}
	q.finish(1, err)
	wg.Wait()
	return q.firstErr()
}

// queue is a LIFO of directories to list (LIFO keeps the walk depth first
// and the queue short) with a count of jobs queued or running: the walk is
// over when the count reaches zero, or at the first error.
type queue struct {
	mu      sync.Mutex
	cond    sync.Cond
	jobs    []dirJob
	pending int
	err     error
	cancel  context.CancelFunc
}

func (q *queue) put(j dirJob) {
	q.mu.Lock()
	q.jobs = append(q.jobs, j)
	q.pending++
	q.mu.Unlock()
	q.cond.Signal()
}

// take waits for a job; false means the walk is over.
func (q *queue) take() (dirJob, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.jobs) == 0 && q.pending > 0 && q.err == nil {
		q.cond.Wait()
	}
	if q.err != nil || len(q.jobs) == 0 {
		return dirJob{}, false
	}
	j := q.jobs[len(q.jobs)-1]
	q.jobs[len(q.jobs)-1] = dirJob{}
	q.jobs = q.jobs[:len(q.jobs)-1]
	return j, true
}

// finish retires n jobs and records err, the first of which ends the walk
// (and cancels the context, so that running jobs stop at their next entry).
func (q *queue) finish(n int, err error) {
	q.mu.Lock()
	q.pending -= n
	first := err != nil && q.err == nil
	if first {
		q.err = err
	}
	wake := q.pending == 0 || q.err != nil
	q.mu.Unlock()
	if first {
		q.cancel()
	}
	if wake {
		q.cond.Broadcast()
	}
}

func (q *queue) firstErr() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}
