package extract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/leakguard/leakguard/internal/extract/text"
	"github.com/leakguard/leakguard/internal/finding"
)

// Registry routes nodes to extractors. It is safe for concurrent use; each
// call of Extract works on its own item.
type Registry struct {
	byKind   map[Kind]Extractor
	scanner  Scanner
	lim      Limits
	lookback int64
	dedup    *dedupCache
	expand   []Expander // the extractors that estimate by name
}

// Config sets up a registry.
type Config struct {
	// Scanner receives text and unknown binary leaves.
	Scanner Scanner
	// Lookback is how far behind the bytes it has read the scanner may
	// still report a finding; sub-location marks older than that are
	// dropped.
	Lookback int64
	Limits   Limits
	// Extractors is the explicit list of formats this registry reads.
	Extractors []Extractor
}

// New builds a registry. Two extractors claiming one kind is an error: the
// list is explicit so that which code reads a format is never a surprise.
func New(c Config) (*Registry, error) {
	if c.Scanner == nil {
		return nil, errors.New("extract: no scanner")
	}
	r := &Registry{byKind: map[Kind]Extractor{}, scanner: c.Scanner, lim: c.Limits.withDefaults(),
		lookback: c.Lookback, dedup: newDedupCache(4096)}
	if r.lookback <= 0 {
		r.lookback = 8 << 20
	}
	for _, x := range c.Extractors {
		for _, k := range x.Kinds() {
			if _, dup := r.byKind[k]; dup {
				return nil, fmt.Errorf("extract: two extractors read %s", k)
			}
			r.byKind[k] = x
		}
		if e, ok := x.(Expander); ok {
			r.expand = append(r.expand, e)
		}
	}
	return r, nil
}

// Expansion estimates the bytes of content per byte stored of a file named
// name, from the formats this registry reads (see Expander): a scheduling
// hint, never a limit.
func (r *Registry) Expansion(name string) int {
	x := 1
	for _, e := range r.expand {
		x = max(x, e.Expansion(name))
	}
	return x
}

// Top is a top-level item handed to Extract.
type Top struct {
	Location finding.Location
	// Name is the file name for type hints and path-scoped rules;
	// Location.Path when empty.
	Name    string
	Size    int64
	ModTime time.Time
	R       io.Reader
	// At gives random access when R is a file; nil otherwise.
	At io.ReaderAt
}

// Output receives what extraction finds. Calls may come from two goroutines
// of one item (a text stream and the extractor), never at once: the
// registry serialises them.
type Output struct {
	Finding func(finding.Finding) error
	Problem func(finding.ItemError) error
}

// Extract reads one top-level item to the end: every member, every text.
// Problems inside it go to out.Problem with their location; the returned
// error is only a failure of out or the end of ctx.
func (r *Registry) Extract(ctx context.Context, top Top, out Output) (finding.Stats, error) {
	w := &walk{r: r, b: &budget{lim: r.lim}}
	w.out = Output{
		Finding: func(f finding.Finding) error {
			w.mu.Lock()
			defer w.mu.Unlock()
			if err := out.Finding(f); err != nil {
				return fatal{err}
			}
			return nil
		},
		Problem: func(e finding.ItemError) error {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.stats.Errors++
			if err := out.Problem(e); err != nil {
				return fatal{err}
			}
			return nil
		},
	}
	ictx, cancel := context.WithTimeout(ctx, r.lim.Timeout)
	defer cancel()
	w.b.deadline = time.Now().Add(r.lim.Timeout)
	name := top.Name
	if name == "" {
		name = top.Location.Path
	}
	n := &Node{Location: top.Location, Name: name, Size: top.Size, ModTime: top.ModTime, R: top.R, At: top.At}
	err := w.node(ictx, n, w.out)
	if err != nil && ctx.Err() == nil && ictx.Err() != nil {
		err = w.problem(n.Location, nil, &LimitError{Limit: "time", Item: true,
			Msg: fmt.Sprintf("took longer than %s: time limit reached, the rest is not scanned", r.lim.Timeout)}, w.out)
	}
	var f fatal
	switch {
	case errors.As(err, &f):
		err = f.err
	case errors.Is(err, errRecorded):
		err = nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats, err
}

// fatal wraps an error of the output: it ends the scan, not just the item.
type fatal struct{ err error }

func (f fatal) Error() string { return f.err.Error() }
func (f fatal) Unwrap() error { return f.err }

// errRecorded is returned up the chain after an item-level limit was
// recorded where it happened, so that the levels above stop without
// recording it again.
var errRecorded = errors.New("extract: stopped, already recorded")

// walk is the state of one top-level item.
type walk struct {
	r   *Registry
	b   *budget
	out Output

	mu    sync.Mutex // guards stats and serialises out
	stats finding.Stats
}

func (w *walk) addStats(st finding.Stats) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stats.Add(st)
}

// headReaders keeps the readers node peeks at a node's head through: one
// per file and per archive member or mail part, 8 KiB each, had been a
// sixth of the bytes a scan allocated.
var headReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, HeadSize) }}

// node identifies n and extracts or scans it. It records n's own failures;
// it returns an error only when the item must stop.
func (w *walk) node(ctx context.Context, n *Node, out Output) (err error) {
	br := headReaders.Get().(*bufio.Reader)
	br.Reset(n.R)
	defer func() {
		// Extraction and scanning read n on this goroutine (or wait for
		// the goroutines they start), so nothing reads br once node
		// returns; a cancelled or timed-out item is left to the collector
		// all the same.
		if ctx.Err() == nil {
			br.Reset(nil)
			headReaders.Put(br)
		}
	}()
	head, err := br.Peek(HeadSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return w.problem(n.Location, nil, err, out)
	}
	n.Head, n.R = head, br
	n.Kind = Identify(head, n.Name)
	x, ok := w.r.byKind[n.Kind]
	if !ok {
		return w.leaf(ctx, n, out)
	}
	em := &emitter{w: w, n: n, out: out}
	err = x.Extract(ctx, n, em)
	if ferr := em.finish(); err == nil {
		err = ferr
	}
	if err == nil {
		return nil
	}
	return w.problem(n.Location, nil, err, out)
}

// leaf scans content no extractor reads: text, or binary for magic rules.
func (w *walk) leaf(ctx context.Context, n *Node, out Output) error {
	dec := text.Decode(n.R)
	var st finding.Stats
	var err error
	if dec.Encoding == text.Binary {
		st, err = w.r.scanner.ScanBinary(ctx, n.Location, n.Name, dec.Head, dec, out.Finding)
		if err == nil && st.Findings == 0 {
			reason := finding.ReasonBinary
			if n.Kind != KindBinary {
				// A format we know but this registry cannot read is
				// said, not counted away as noise.
				reason = finding.ReasonUnsupported + ":" + string(n.Kind)
			}
			finding.Count(&st.Skipped, reason, 1)
		}
	} else {
		st, err = w.r.scanner.ScanText(ctx, n.Location, n.Name, dec, out.Finding)
	}
	w.addStats(st)
	if err != nil {
		return w.problem(n.Location, nil, err, out)
	}
	return nil
}

// problem records err at loc+labels unless it must stop the item, in which
// case it is recorded once and errRecorded (or the fatal error) returned.
func (w *walk) problem(loc finding.Location, labels []string, err error, out Output) error {
	var f fatal
	if errors.As(err, &f) || errors.Is(err, errRecorded) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return err // the top level turns it into a time limit
	}
	loc.Container = append(slices.Clip(loc.Container), labels...)
	loc.Line, loc.Column, loc.EndLine, loc.EndColumn, loc.Offset, loc.EndOffset = 0, 0, 0, 0, 0, 0
	if perr := out.Problem(finding.ItemError{Location: loc, Reason: Reason(err), Error: err.Error()}); perr != nil {
		return perr
	}
	if IsItemLimit(err) {
		return errRecorded
	}
	return nil
}

// emitter is the registry's side of one node's extraction.
type emitter struct {
	w    *walk
	n    *Node
	out  Output
	text *TextWriter // the open text stream, if any
	tmp  string
}

func (e *emitter) finish() error {
	var err error
	if e.text != nil {
		err = e.text.finish()
		e.text = nil
	}
	if e.tmp != "" {
		os.RemoveAll(e.tmp)
	}
	return err
}

func (e *emitter) Problem(_ context.Context, labels []string, reason string, err error) error {
	if reason != "" {
		err = &ReasonError{Reason: reason, Err: err}
	}
	return e.w.problem(e.n.Location, labels, err, e.out)
}

func (e *emitter) Limits() Limits { return e.w.b.lim }

func (e *emitter) Reroute(ctx context.Context, k Kind) error {
	n := e.n
	x, ok := e.w.r.byKind[k]
	if !ok || k == n.Kind {
		return fmt.Errorf("extract: cannot reroute %s to %s", n.Kind, k)
	}
	at, size, err := e.Random(ctx)
	if err != nil {
		return err
	}
	n.Kind, n.R = k, io.NewSectionReader(at, 0, size)
	return x.Extract(ctx, n, e)
}

func (e *emitter) Expand(r io.Reader, compressed int64) io.Reader {
	return &meter{r: r, b: e.w.b, compressed: compressed}
}

func (e *emitter) TempDir() (string, error) {
	if e.tmp == "" {
		dir, err := os.MkdirTemp("", "leakguard-extract-")
		if err != nil {
			return "", err
		}
		e.tmp = dir
	}
	return e.tmp, nil
}

func (e *emitter) Random(_ context.Context) (io.ReaderAt, int64, error) {
	n := e.n
	if n.At != nil && n.Size >= 0 {
		return n.At, n.Size, nil
	}
	max := e.w.b.lim.MaxBuffer
	buf, err := io.ReadAll(io.LimitReader(n.R, max+1))
	if err != nil {
		return nil, 0, err
	}
	if int64(len(buf)) > max {
		return nil, 0, &LimitError{Limit: "buffer",
			Msg: fmt.Sprintf("needs random access and is larger than %d bytes: not opened", max)}
	}
	br := bytes.NewReader(buf)
	n.At, n.Size, n.R = br, int64(len(buf)), io.NewSectionReader(br, 0, int64(len(buf)))
	return n.At, n.Size, nil
}

func (e *emitter) Text(ctx context.Context, labels ...string) *TextWriter {
	if e.text != nil {
		e.text.finish()
	}
	loc := e.n.Location
	loc.Container = append(slices.Clip(loc.Container), labels...)
	loc.Container = slices.Clip(loc.Container)
	w := e.w
	tw := &TextWriter{}
	tw.start(w.r.lookback, func(r io.Reader) error {
		st, err := w.r.scanner.ScanText(ctx, loc, e.n.Name, r, func(f finding.Finding) error {
			if label := tw.at(f.Location.Offset); label != "" {
				f.Location.Container = append(loc.Container, label)
			}
			return e.out.Finding(f)
		})
		w.addStats(st)
		return err
	})
	e.text = tw
	return tw
}

func (e *emitter) Child(ctx context.Context, m Member) error {
	w, n := e.w, e.n
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := w.b.entry(); err != nil {
		return w.problem(n.Location, []string{m.Label}, err, e.out)
	}
	lim := w.b.lim
	switch {
	case n.Depth+1 > lim.MaxDepth:
		return e.refuse(m, &LimitError{Limit: "depth",
			Msg: fmt.Sprintf("nested deeper than %d containers: not opened", lim.MaxDepth)})
	case m.Size > lim.RatioFloor && m.Compressed > 0 && float64(m.Size)/float64(m.Compressed) > lim.MaxRatio:
		return e.refuse(m, ratioError(m.Size, m.Compressed, lim.MaxRatio))
	case !m.Slice && m.Size > 0 && w.b.bytes.Load()+m.Size > lim.MaxBytes:
		return e.refuse(m, &LimitError{Limit: "bytes",
			Msg: fmt.Sprintf("declares %d bytes, more than the %d left of the item's expansion limit: not opened",
				m.Size, lim.MaxBytes-w.b.bytes.Load())})
	}
	name := m.Name
	if name == "" {
		name = m.Label
	}
	loc := n.Location
	loc.Container = slices.Clip(append(slices.Clip(loc.Container), m.Label))
	c := &Node{Location: loc, Name: name, Size: m.Size, Depth: n.Depth + 1, ModTime: m.ModTime,
		R: &meter{r: m.R, b: w.b, compressed: m.Compressed, free: m.Slice}}

	if m.Size < 0 || m.Size <= lim.DedupMax {
		h, err := readMember(c.R, m.Size, lim.DedupMax)
		// The member is scanned (or its findings replayed) before Child
		// returns; nothing reads h past that.
		defer h.release()
		var le *LimitError
		if err != nil && !errors.As(err, &le) {
			// What was read before a corrupt stream is still scanned,
			// then the failure is recorded where it happened. A limit
			// (a bomb) is refused without looking at what it expanded.
			c.R, c.At, c.Size = h.whole()
			if nerr := w.node(ctx, c, e.out); nerr != nil {
				return nerr
			}
			return w.problem(loc, nil, err, e.out)
		}
		if err != nil {
			return w.problem(loc, nil, err, e.out)
		}
		if h.size() > lim.DedupMax {
			c.R = io.MultiReader(h.reader(), c.R)
		} else {
			c.R, c.At, c.Size = h.whole()
			if c.Size >= dedupMin {
				sum, err := h.sum()
				if err != nil {
					return w.problem(loc, nil, err, e.out)
				}
				return e.dedupChild(ctx, c, sum)
			}
		}
	}
	return w.node(ctx, c, e.out)
}

// presize bounds the buffer set aside for a member before it is read.
const presize = 4 << 20

// memberPools keep the buffers members are read into, by size class (a
// power of two from 4 KiB to 8 MiB): a scan of archives allocated and
// cleared a buffer per member, the largest share of its allocation once
// the other buffers were pooled.
var memberPools [12]sync.Pool

const memberMinShift = 12 // 4 KiB, the smallest class

// memberClass returns the class of a buffer of n bytes, or -1 when n is
// past the largest.
func memberClass(n int) int {
	c := max(bits.Len(uint(n-1))-memberMinShift, 0)
	if c >= len(memberPools) {
		return -1
	}
	return c
}

// memberBuffer returns a buffer of n bytes for a member, pooled when it
// fits a class.
func memberBuffer(n int) []byte {
	c := memberClass(n)
	if c < 0 {
		return make([]byte, n)
	}
	if b, ok := memberPools[c].Get().(*[]byte); ok {
		return (*b)[:n]
	}
	return make([]byte, n, 1<<(c+memberMinShift))
}

// releaseMember returns b to its pool when its capacity is a class's and
// nothing reads it any more.
func releaseMember(b []byte) {
	c := memberClass(cap(b))
	if c < 0 || cap(b) != 1<<(c+memberMinShift) {
		return
	}
	b = b[:0]
	memberPools[c].Put(&b)
}

// refuse records why m is not opened; siblings go on.
func (e *emitter) refuse(m Member, err error) error {
	return e.w.problem(e.n.Location, []string{m.Label}, err, e.out)
}

// dedupMin is the smallest member worth a dedup entry.
const dedupMin = 512

// dedupChild scans c unless content with the same hash was scanned before
// in this scan, in which case its findings and problems are reported again
// at c's place.
func (e *emitter) dedupChild(ctx context.Context, c *Node, sum [32]byte) error {
	w := e.w
	if ent, ok := w.r.dedup.get(sum); ok {
		w.mu.Lock()
		w.stats.Deduped++
		w.mu.Unlock()
		for _, f := range ent.findings {
			f.Location.Path = c.Location.Path
			f.Location.Container = slices.Concat(c.Location.Container, f.Location.Container)
			w.mu.Lock()
			w.stats.Findings++
			w.mu.Unlock()
			if err := e.out.Finding(f); err != nil {
				return err
			}
		}
		for _, p := range ent.problems {
			p.Location.Path = c.Location.Path
			p.Location.Container = slices.Concat(c.Location.Container, p.Location.Container)
			if err := e.out.Problem(p); err != nil {
				return err
			}
		}
		return nil
	}
	rec := &recorder{prefix: len(c.Location.Container)}
	out := Output{
		Finding: func(f finding.Finding) error { rec.finding(f); return e.out.Finding(f) },
		Problem: func(p finding.ItemError) error { rec.problem(p); return e.out.Problem(p) },
	}
	err := w.node(ctx, c, out)
	if err == nil && !rec.overflow {
		w.r.dedup.put(sum, &rec.dedupEntry)
	}
	return err
}

// Reason is the item-error reason for an extraction failure.
func Reason(err error) string {
	var le *LimitError
	var re *ReasonError
	switch {
	case errors.As(err, &le):
		return finding.ReasonLimit
	case errors.As(err, &re):
		return re.Reason
	case errors.Is(err, ErrEncrypted):
		return finding.ReasonEncrypted
	}
	return finding.ReasonCorrupt
}

// ErrEncrypted says content is behind a password. Extractors wrap it:
// fmt.Errorf("member %s: %w", name, extract.ErrEncrypted).
var ErrEncrypted = errors.New("encrypted: cannot be read without its password")

// ReasonError gives an extraction failure its item-error reason (one of the
// finding.Reason* values).
type ReasonError struct {
	Reason string
	Err    error
}

func (e *ReasonError) Error() string { return e.Err.Error() }
func (e *ReasonError) Unwrap() error { return e.Err }

// Failure returns an error with an explicit reason, e.g.
// Failure(finding.ReasonNoHelper, "readpst is not installed (apt install pst-utils)").
func Failure(reason, format string, args ...any) error {
	return &ReasonError{Reason: reason, Err: fmt.Errorf(format, args...)}
}
