package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klippa-app/go-pdfium"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// session is one opened document on one borrowed PDFium instance. It is
// bounded in time: when its context ends, a watchdog kills the instance,
// which interrupts PDFium wherever it is (even in a loop that never calls
// back into Go) and makes every later call fail.
type session struct {
	ctx    context.Context
	cancel context.CancelFunc
	inst   pdfium.Pdfium
	doc    references.FPDF_DOCUMENT
	reader *ctxReader
	stop   func() bool // stops the watchdog; false once it has fired
	// failed is set when a PDFium call failed: the instance may be in a
	// state no later document should inherit.
	failed bool
}

var errClosed = extract.Failure(finding.ReasonUnsupported, "pdf: the PDF extractor is closed")

// open borrows an instance and opens the document read through ra. The
// session's time bound starts once it has the instance: waiting for one
// while other documents are read is not this document's time.
func (x *Extractor) open(ctx context.Context, ra io.ReaderAt, size int64) (*session, error) {
	inst, err := x.pool.instance(ctx)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithTimeout(ctx, x.cfg.timeout)
	s := &session{ctx: sctx, cancel: cancel, inst: inst}
	s.stop = context.AfterFunc(sctx, func() { inst.Kill() })
	s.reader = &ctxReader{ctx: sctx, r: io.NewSectionReader(ra, 0, size)}
	doc, err := inst.OpenDocument(&requests.OpenDocument{FileReader: s.reader, FileReaderSize: size})
	for _, pw := range x.cfg.passwords {
		if !errors.Is(err, pdferrors.ErrPassword) {
			break
		}
		doc, err = inst.OpenDocument(&requests.OpenDocument{FileReader: s.reader, FileReaderSize: size, Password: &pw})
	}
	if err != nil {
		err = x.timeErr(ctx, sctx, openErr(err))
		s.failed = !errors.Is(err, extract.ErrEncrypted)
		s.close()
		return nil, err
	}
	s.doc = doc.Document
	return s, nil
}

// close closes the document and gives the instance back (or lets the
// killed one go).
func (s *session) close() {
	if s.stop() {
		// The watchdog did not fire. Close closes the documents and
		// gives a healthy, small instance back for the next document;
		// Kill discards one that failed or grew.
		if !s.failed && reusable(s.inst) {
			s.inst.Close()
		} else {
			s.inst.Kill()
		}
	}
	if s.reader != nil {
		s.reader.release()
	}
	s.cancel()
}

// openErr classifies why PDFium could not open a document.
func openErr(err error) error {
	switch {
	case errors.Is(err, pdferrors.ErrPassword):
		return fmt.Errorf("pdf: %w", extract.ErrEncrypted)
	case errors.Is(err, pdferrors.ErrSecurity):
		return extract.Failure(finding.ReasonEncrypted, "pdf: encrypted with a security handler PDFium does not support")
	case errors.Is(err, pdferrors.ErrFormat), errors.Is(err, pdferrors.ErrFile):
		return fmt.Errorf("pdf: not a readable PDF (%v)", err)
	}
	return fmt.Errorf("pdf: cannot open: %w", brief(err))
}

// timeErr turns the failure of a call into the right error once the
// session's time is up: the caller's own end (cancel, item timeout) as it
// is, the session's bound as a limit of this document alone.
func (x *Extractor) timeErr(parent, sctx context.Context, err error) error {
	if perr := parent.Err(); perr != nil {
		return perr
	}
	if errors.Is(sctx.Err(), context.DeadlineExceeded) {
		return &extract.LimitError{Limit: "time",
			Msg: fmt.Sprintf("pdf: PDFium took longer than %s on this document: stopped", x.cfg.timeout)}
	}
	return err
}

// ctxReader is the document as PDFium reads it (Seek then ReadFull, from
// a callback). It refuses to read once the session is over, so a killed
// instance does not keep reading, and release drops the content: go-pdfium
// keeps its readers in a package map that a killed instance never cleans.
type ctxReader struct {
	ctx context.Context
	mu  sync.Mutex
	r   *io.SectionReader
}

var errReleased = errors.New("pdf: document closed")

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.r == nil {
		return 0, errReleased
	}
	return c.r.Read(p)
}

func (c *ctxReader) Seek(off int64, whence int) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.r == nil {
		return 0, errReleased
	}
	return c.r.Seek(off, whence)
}

func (c *ctxReader) release() {
	c.mu.Lock()
	c.r = nil
	c.mu.Unlock()
}
