package extract

import (
	"bufio"
	"bytes"
	"io"
	"sort"
	"sync"
	"sync/atomic"
)

// TextWriter carries extracted text to the engine as it is produced, so a
// workbook or a mailbox is never held in memory whole. Write UTF-8; invalid
// bytes are tolerated (the engine replaces them) but waste the reader's
// time. Mark names the sub-location (page, cell, slide) of the text that
// follows, and the registry attaches it to findings in that text.
type TextWriter struct {
	bw   *bufio.Writer
	scan func(r io.Reader) error
	pw   *io.PipeWriter // nil while the text fits the buffer
	done chan struct{}  // closed when the scan's goroutine is done
	err  error          // the scan's result, once it has run
	n    int64          // bytes written so far: the offset of the next byte

	// marks are the sub-locations in ascending offset order. The engine
	// reports findings in ascending offset order and never reports one
	// more than lookback bytes behind what it has read, so marks behind
	// both are dropped: memory stays bounded on a sheet of millions of
	// cells.
	mu       sync.Mutex
	marks    []mark
	read     atomic.Int64 // bytes the engine has read
	lookback int64
	nextTrim int // trim when marks reach this many: doubling keeps it amortised O(1)
	closed   bool
}

type mark struct {
	off   int64
	label string
}

// textBuffer is the write buffer in front of the pipe: big enough that the
// pipe hand-off between goroutines is rare.
const textBuffer = 64 << 10

// textBuffers keeps the write buffers of closed TextWriters. A mailbox or
// an archive of small documents opens one TextWriter per part: allocating
// (and clearing) 64 KiB for each was an eighth of all the bytes a scan of
// the benchmark corpus allocated, and the garbage collections it caused.
var textBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, textBuffer) }}

// start connects w to a scan. The scan runs on the writer's goroutine at
// Close when the whole text fits the buffer (most parts of a mail, most
// small documents); only a text that outgrows it gets a goroutine and a
// pipe. Starting one per text cost its start and, at its end, the wake-up
// of the writer waiting for it: a tenth of a second per ten thousand
// texts, some 3% of the benchmark corpus's scan.
func (w *TextWriter) start(lookback int64, scan func(r io.Reader) error) {
	w.lookback, w.scan = lookback, scan
	w.bw = textBuffers.Get().(*bufio.Writer)
	w.bw.Reset((*spill)(w))
}

// spill is what w's buffer writes to when it is full or flushed.
type spill TextWriter

func (s *spill) Write(p []byte) (int, error) {
	w := (*TextWriter)(s)
	if w.pw == nil {
		if w.closed {
			// Close's flush of a text that fit: scan it here.
			w.err = w.scan(&countReader{r: bytes.NewReader(p), n: &w.read})
			return len(p), nil
		}
		w.goScan()
	}
	return w.pw.Write(p)
}

// goScan starts the scan in its own goroutine, reading what the buffer
// writes through a pipe.
func (w *TextWriter) goScan() {
	pr, pw := io.Pipe()
	w.pw, w.done = pw, make(chan struct{})
	go func() {
		defer close(w.done)
		w.err = w.scan(&countReader{r: pr, n: &w.read})
		// A writer still blocked on the pipe is released with the
		// scan's error, or with EOF-on-write when it simply finished.
		if w.err != nil {
			pr.CloseWithError(w.err)
		} else {
			pr.Close()
		}
	}()
}

// Write sends text to the engine.
func (w *TextWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, io.ErrClosedPipe
	}
	n, err := w.bw.Write(p)
	w.n += int64(n)
	return n, err
}

// WriteString sends text to the engine.
func (w *TextWriter) WriteString(s string) (int, error) {
	if w.closed {
		return 0, io.ErrClosedPipe
	}
	n, err := w.bw.WriteString(s)
	w.n += int64(n)
	return n, err
}

// WriteByte sends one byte to the engine.
func (w *TextWriter) WriteByte(c byte) error {
	if w.closed {
		return io.ErrClosedPipe
	}
	err := w.bw.WriteByte(c)
	if err == nil {
		w.n++
	}
	return err
}

// Mark says that the text written from now on is at label (e.g. "page:2",
// "cell:C17"); "" says it is at no particular place. A later Mark replaces
// an earlier one.
func (w *TextWriter) Mark(label string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if k := len(w.marks); k > 0 && w.marks[k-1].off == w.n {
		w.marks[k-1].label = label // nothing was written under the old one
	} else {
		w.marks = append(w.marks, mark{w.n, label})
	}
	if len(w.marks) >= max(w.nextTrim, 4096) {
		w.trim(w.read.Load() - w.lookback)
		w.nextTrim = 2 * len(w.marks)
	}
}

// trim drops the marks wholly before off: the last mark at or before off
// stays, because it still covers off. Called with mu held.
func (w *TextWriter) trim(off int64) {
	i := sort.Search(len(w.marks), func(i int) bool { return w.marks[i].off > off }) - 1
	if i > 0 {
		w.marks = append(w.marks[:0], w.marks[i:]...)
	}
}

// at returns the label in force at offset off and forgets the marks before
// it: findings arrive in ascending offset order.
func (w *TextWriter) at(off int64) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := sort.Search(len(w.marks), func(i int) bool { return w.marks[i].off > off }) - 1
	if i < 0 {
		return ""
	}
	label := w.marks[i].label
	if i > 0 {
		w.marks = append(w.marks[:0], w.marks[i:]...)
	}
	return label
}

// Close ends the stream and waits for the engine to finish it. It returns
// the engine's error (a sink failure, a cancelled scan) or the writer's.
func (w *TextWriter) Close() error {
	if w.closed {
		if w.done != nil {
			<-w.done
		}
		return w.err
	}
	w.closed = true
	var werr error
	if w.pw == nil && w.bw.Buffered() == 0 {
		w.err = w.scan(&countReader{r: bytes.NewReader(nil), n: &w.read}) // an empty text
	} else {
		werr = w.bw.Flush() // scans a text that fit (spill.Write)
	}
	if w.pw != nil {
		w.pw.Close()
		<-w.done
	}
	// Nothing writes to the buffer any more: the writes above are the
	// last, and the ones after Close are refused.
	w.bw.Reset(nil)
	textBuffers.Put(w.bw)
	w.bw = nil
	if w.err != nil {
		return w.err
	}
	return werr
}

// finish closes a stream the extractor left open when it failed: the text
// it did write is still scanned to the end, so findings in the readable
// part of a damaged document are reported.
func (w *TextWriter) finish() error { return w.Close() }

type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
