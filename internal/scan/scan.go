// Package scan is the pipeline of a scan: it takes items from a source,
// decodes them, runs the engine over them on a pool of workers, and hands
// findings and item errors to a sink. It owns concurrency, per-item failure
// handling (a panic or a read error is an item error, never the end of the
// scan) and the running counts that feed progress displays.
package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/fingerprint/registered"
	"github.com/leakguard/leakguard/internal/scancache"
	"github.com/leakguard/leakguard/internal/source"
)

// Sink receives what a scan produces. Calls are serialised by the pipeline,
// so a sink needs no locking of its own.
type Sink interface {
	Finding(ctx context.Context, f finding.Finding) error
	// ItemError records an item that could not be (fully) scanned. It is
	// recorded, never only logged.
	ItemError(ctx context.Context, e finding.ItemError) error
	// Close is called once, after the last finding, with the final counts.
	Close(ctx context.Context, s finding.Stats) error
}

// ReplaySink is a Sink that wants to tell findings replayed from the cache
// (an unchanged item, not read) from findings read now: an inventory keeps
// the former as they are instead of writing them again.
type ReplaySink interface {
	Sink
	Replayed(ctx context.Context, f finding.Finding) error
}

// Options tune a scan.
type Options struct {
	// Workers is the number of items scanned at once; default GOMAXPROCS.
	Workers int
	// Extractors are the formats read inside files (archives, documents,
	// mail); none means every file is scanned as the text or binary it is.
	Extractors []extract.Extractor
	// Limits bound extraction per top-level item; zero fields take
	// extract.DefaultLimits.
	Limits extract.Limits
	// Cache, when set, replays the results of items unchanged since the
	// scan that wrote it and records the results of the others.
	Cache *scancache.Cache
	// ItemDone, when set, is called after each item with its counts
	// (Cached is 1 for an item replayed from the cache, Errors counts its
	// item errors, a panic included). Calls may come from several workers
	// at once.
	ItemDone func(it source.Item, st finding.Stats)
	// Registered, when set and not empty, is matched against every item
	// besides the rules: the organisation's registered records, documents
	// and files.
	Registered *registered.Library
}

// Progress is a snapshot of a running scan, safe to read from another
// goroutine through Scanner.Progress.
type Progress struct {
	Items, Bytes, Findings, Errors int64
}

// Scanner runs one scan. Create it with New, call Run once.
type Scanner struct {
	engine   *detect.Engine
	es       *engineScanner
	registry *extract.Registry
	opts     Options

	items, bytes, findings, errors atomic.Int64

	mu    sync.Mutex // serialises sink calls and stats
	sink  Sink
	stats finding.Stats

	replays sync.Pool // of *[]finding.Finding with room for replayBatch
}

// New returns a scanner that runs e over what opts.Extractors make of each
// item. It fails when the extractor list is inconsistent.
func New(e *detect.Engine, opts Options) (*Scanner, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	es := &engineScanner{e: e, lib: opts.Registered}
	if opts.Workers > 1 {
		es.slots = detect.NewSlots(opts.Workers)
	}
	reg, err := extract.New(extract.Config{Scanner: es, Lookback: e.Lookback(es.slots),
		Limits: opts.Limits, Extractors: opts.Extractors})
	if err != nil {
		return nil, err
	}
	sc := &Scanner{engine: e, es: es, registry: reg, opts: opts}
	sc.replays.New = func() any {
		b := make([]finding.Finding, 0, replayBatch)
		return &b
	}
	return sc, nil
}

// Progress returns the counts so far.
func (s *Scanner) Progress() Progress {
	return Progress{s.items.Load(), s.bytes.Load(), s.findings.Load(), s.errors.Load()}
}

// Run scans every item of src into sink and closes the sink with the stats.
// It returns an error only when the scan itself could not run (the context
// ended, the sink failed); unreadable items are item errors in the sink.
func (s *Scanner) Run(ctx context.Context, src source.Source, sink Sink) (finding.Stats, error) {
	start := time.Now()
	s.sink = sink
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	work := newSchedule(ctx, window)
	var wg sync.WaitGroup
	for range s.opts.Workers {
		wg.Go(func() {
			for {
				it, ok := work.pop()
				if !ok {
					return
				}
				if err := s.item(ctx, it); err != nil {
					cancel(err)
				}
			}
		})
	}
	walkErr := src.Walk(ctx, func(it source.Item) error {
		return work.push(it, s.cost(it))
	}, func(e finding.ItemError) {
		if err := s.skip(ctx, e); err != nil {
			cancel(err)
		}
	})
	work.close()
	wg.Wait()

	err := context.Cause(ctx)
	if err == nil || errors.Is(err, context.Canceled) && walkErr != nil {
		err = walkErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.DurationMS = time.Since(start).Milliseconds()
	if cerr := sink.Close(context.WithoutCancel(ctx), s.stats); err == nil {
		err = cerr
	}
	return s.stats, err
}

// cost is the work an item is expected to take, for the schedule: its
// size, times what its name says it expands to.
func (s *Scanner) cost(it source.Item) int64 {
	if it.Size <= 0 {
		return 0
	}
	return it.Size * int64(s.registry.Expansion(it.Location.Path))
}

// skip records an item the source could not hand out. Ignored items are
// counted, not listed: ignoring is what the user asked for.
func (s *Scanner) skip(ctx context.Context, e finding.ItemError) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	finding.Count(&s.stats.Skipped, e.Reason, 1)
	if e.Reason == finding.ReasonIgnored {
		return nil
	}
	s.stats.Errors++
	s.errors.Add(1)
	return s.sink.ItemError(ctx, e)
}

// item scans one item. Its failures become item errors; only a sink
// failure or cancellation is returned.
func (s *Scanner) item(ctx context.Context, it source.Item) (err error) {
	if ctx.Err() != nil {
		return nil
	}
	var st finding.Stats
	defer func() {
		if p := recover(); p != nil {
			// The panic value, not the stack: reports are read by people
			// and parsed by tools; the value says which parser failed.
			err = s.itemError(ctx, it.Location, finding.ReasonPanic, fmt.Errorf("internal error while reading: %v", p))
			if s.opts.ItemDone != nil {
				done := st
				done.Errors++ // counted in the scan's stats by itemError
				s.opts.ItemDone(it, done)
			}
		} else if s.opts.ItemDone != nil && ctx.Err() == nil {
			s.opts.ItemDone(it, st)
		}
		s.mu.Lock()
		s.stats.Add(st)
		s.stats.Items++
		s.mu.Unlock()
		s.items.Add(1)
	}()

	if rec, ok := s.recall(it); ok {
		st = rec.Stats
		return s.replay(ctx, &rec)
	}
	var rec *scancache.Entry // what to remember, when caching
	var before string        // content hash of an item in doubt, before reading
	if s.opts.Cache != nil {
		rec = s.opts.Cache.Entry(it.Location.Path)
		defer rec.Close()
		if s.opts.Cache.InDoubt(it.ModTime) {
			before, _ = contentHash(it) // "" when it fails: not remembered
		}
	}

	rc, err := it.Open()
	if err != nil {
		return s.itemError(ctx, it.Location, finding.ReasonUnreadable, err)
	}
	defer rc.Close()
	top := extract.Top{Location: it.Location, Size: it.Size, ModTime: it.ModTime,
		R: &countingReader{r: rc, n: &s.bytes}}
	if at, ok := rc.(io.ReaderAt); ok && it.Size >= 0 {
		// Random access reads (a zip's directory) bypass the counter;
		// the progress display catches up when the item is done.
		top.At = at
	}
	out := extract.Output{
		Finding: func(f finding.Finding) error {
			if rec != nil {
				rec.Finding(&f)
			}
			s.findings.Add(1)
			s.mu.Lock()
			defer s.mu.Unlock()
			if err := s.sink.Finding(ctx, f); err != nil {
				return sinkError{err}
			}
			return nil
		},
		Problem: func(e finding.ItemError) error {
			if rec != nil {
				rec.Error(e)
			}
			s.errors.Add(1)
			s.mu.Lock()
			defer s.mu.Unlock()
			if err := s.sink.ItemError(ctx, e); err != nil {
				return sinkError{err}
			}
			return nil
		},
	}
	st, err = s.registry.Extract(ctx, top, out)
	if err != nil && ctx.Err() != nil {
		return nil
	}
	if err == nil && rec != nil {
		// Only an item read to its end is remembered; a panic or a
		// cancelled scan never gets here. An item in doubt is remembered
		// only if its content was the same before and after the reading,
		// so that the hash is that of what was scanned.
		hash := ""
		if before != "" {
			if after, _ := contentHash(it); after == before {
				hash = before
			}
		}
		rec.Store(it.Size, it.ModTime, it.Ident, hash, st)
	}
	return err
}

// contentHash reads an item whole and returns its content hash, for the
// cache's items in doubt.
func contentHash(it source.Item) (string, error) {
	rc, err := it.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return scancache.ContentHash(rc)
}

// recall returns the cached results of an unchanged item.
func (s *Scanner) recall(it source.Item) (scancache.Replay, bool) {
	if s.opts.Cache == nil {
		return scancache.Replay{}, false
	}
	rec, ok := s.opts.Cache.Recall(it.Location.Path, it.Size, it.ModTime, it.Ident, func() (string, error) { return contentHash(it) })
	if ok {
		rec.Stats.Cached = 1
		rec.Stats.Bytes = 0 // nothing was read
	}
	return rec, ok
}

// replay sends an unchanged item's cached results to the sink. The
// findings are decoded outside the sink's lock, replayBatch at a time (see
// scancache.Replay), and sent under it: decoding under the lock had the
// workers of a rescan wait for each other there.
func (s *Scanner) replay(ctx context.Context, rec *scancache.Replay) error {
	s.findings.Add(int64(rec.Len))
	send := s.sink.Finding
	if replayed, ok := s.sink.(ReplaySink); ok {
		send = replayed.Replayed
	}
	var batch []finding.Finding
	if rec.Len > 0 {
		bp := s.replays.Get().(*[]finding.Finding)
		defer s.replays.Put(bp)
		batch = (*bp)[:0]
	}
	flush := func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i := range batch {
			if err := send(ctx, batch[i]); err != nil {
				return sinkError{err}
			}
		}
		clear(batch) // holds no strings until the next use
		batch = batch[:0]
		return nil
	}
	err := rec.Each(func(f finding.Finding) error {
		batch = append(batch, f)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil || len(rec.Errors) == 0 {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range rec.Errors {
		s.errors.Add(1)
		if err := s.sink.ItemError(ctx, e); err != nil {
			return sinkError{err}
		}
	}
	return nil
}

// replayBatch is how many replayed findings a worker decodes before it
// takes the sink's lock to send them.
const replayBatch = 256

// engineScanner lets the extraction registry hand its leaves to the engine
// and, when there are registered sets, to their matchers on the way.
type engineScanner struct {
	e        *detect.Engine
	lib      *registered.Library
	sessions sync.Pool // of *registered.Session, one per worker at a time
	// slots are the workers': a long text is scanned on all of them at
	// once (a 2 GB dump would otherwise take one worker's speed while
	// the others sit idle once the rest is done), and no more texts or
	// stretches of them are scanned at once than there are workers.
	slots detect.Slots
}

func (es *engineScanner) session() *registered.Session {
	if es.lib.Empty() {
		return nil
	}
	if s, ok := es.sessions.Get().(*registered.Session); ok {
		return s
	}
	return es.lib.NewSession()
}

func (es *engineScanner) ScanText(ctx context.Context, loc finding.Location, path string, r io.Reader, emit func(finding.Finding) error) (finding.Stats, error) {
	rs := es.session()
	if rs == nil {
		return es.e.Scan(ctx, detect.Input{Location: loc, Path: path, R: r, Slots: es.slots}, emit)
	}
	return es.matched(rs, loc, true, emit, func(r2 io.Reader) (finding.Stats, error) {
		return es.e.Scan(ctx, detect.Input{Location: loc, Path: path, R: r2, Slots: es.slots}, emit)
	}, r)
}

func (es *engineScanner) ScanBinary(ctx context.Context, loc finding.Location, path string, head []byte, r io.Reader, emit func(finding.Finding) error) (finding.Stats, error) {
	rs := es.session()
	if rs == nil {
		return es.e.ScanBinary(ctx, detect.Input{Location: loc, Path: path, R: r}, head, emit)
	}
	// The rules look at the head only; the file matchers need it all (r
	// starts with the head).
	return es.matched(rs, loc, false, emit, func(r2 io.Reader) (finding.Stats, error) {
		st, err := es.e.ScanBinary(ctx, detect.Input{Location: loc, Path: path, R: r2}, head, emit)
		if err == nil {
			var n int64
			n, err = io.Copy(io.Discard, r2)
			st.Bytes += n
		}
		return st, err
	}, r)
}

// matched runs scan over r teed into the registered session rs, then
// emits what rs found and counts it.
func (es *engineScanner) matched(rs *registered.Session, loc finding.Location, text bool, emit func(finding.Finding) error,
	scan func(io.Reader) (finding.Stats, error), r io.Reader) (finding.Stats, error) {
	defer es.sessions.Put(rs)
	var found int64
	rs.Begin(loc, text, func(f finding.Finding) error {
		found++
		return emit(f)
	})
	st, err := scan(io.TeeReader(r, rs))
	if err != nil {
		rs.Abort()
		return st, err
	}
	err = rs.End()
	st.Findings += found
	return st, err
}

type sinkError struct{ error }

func (s *Scanner) itemError(ctx context.Context, loc finding.Location, reason string, err error) error {
	s.errors.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Errors++
	if e := s.sink.ItemError(ctx, finding.ItemError{Location: loc, Reason: reason, Error: err.Error()}); e != nil {
		return sinkError{e}
	}
	return nil
}

// countingReader feeds the live byte count of the progress display.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Check reads one item that is not part of a walk (a request body, an
// upload, a mail attachment) through the extractors, the engine and the
// registered sets, and returns what it found. It is safe for concurrent
// use, and separate from Run: nothing goes to a sink or the cache.
func (s *Scanner) Check(ctx context.Context, top extract.Top) ([]finding.Finding, []finding.ItemError, finding.Stats, error) {
	var fs []finding.Finding
	var errs []finding.ItemError
	st, err := s.registry.Extract(ctx, top, extract.Output{
		Finding: func(f finding.Finding) error { fs = append(fs, f); return nil },
		Problem: func(e finding.ItemError) error { errs = append(errs, e); return nil },
	})
	st.Items = 1
	st.Findings, st.Errors = int64(len(fs)), int64(len(errs))
	return fs, errs, st, err
}

// CheckText is Check for content known to be UTF-8 text (an API's text
// field): no format is sniffed, so the findings' offsets are byte offsets
// into exactly that text.
func (s *Scanner) CheckText(ctx context.Context, loc finding.Location, r io.Reader) ([]finding.Finding, finding.Stats, error) {
	var fs []finding.Finding
	st, err := s.es.ScanText(ctx, loc, loc.Path, r, func(f finding.Finding) error { fs = append(fs, f); return nil })
	st.Items = 1
	st.Findings = int64(len(fs))
	return fs, st, err
}
