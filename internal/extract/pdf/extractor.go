package pdf

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
)

// Extractor reads PDF documents. It is safe for concurrent use by as many
// goroutines as it has workers (more wait their turn). Close it when the
// scan is done to release PDFium's memory.
type Extractor struct {
	cfg  config
	pool *lazyPool
}

// New returns a PDF extractor. Nothing is started until the first PDF.
func New(opts ...Option) *Extractor {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return &Extractor{cfg: cfg, pool: &lazyPool{cfg: cfg}}
}

// Kinds implements extract.Extractor.
func (x *Extractor) Kinds() []extract.Kind { return []extract.Kind{extract.KindPDF} }

// Close releases the PDFium pool. Extract fails after it.
func (x *Extractor) Close() error { return x.pool.close() }

// Start starts the PDFium pool now rather than on the first document and
// reports how long that took (compiling the module, or loading it from the
// cache). Calling it is optional.
func (x *Extractor) Start() (time.Duration, error) {
	_, err := x.pool.get()
	return x.pool.started, err
}

// maxSize is the largest document PDFium's 32-bit file access can read.
const maxSize = math.MaxUint32

// Extract implements extract.Extractor: the text of every page (marked
// "page:N") with its annotations and form field values, then every
// embedded file as a child labelled "attachment:NAME".
func (x *Extractor) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	ra, size, err := out.Random(ctx)
	if err != nil {
		return err
	}
	switch {
	case size == 0:
		return fmt.Errorf("pdf: empty file")
	case size > maxSize:
		return &extract.LimitError{Limit: "buffer",
			Msg: fmt.Sprintf("pdf: %d bytes is more than PDFium can read (4 GiB): not opened", size)}
	}
	s, err := x.open(ctx, ra, size)
	if err != nil {
		return err
	}
	atts, perr := x.readPages(ctx, s, out)
	s.close()
	if perr != nil {
		return perr
	}
	return x.emitAttachments(ctx, ra, size, atts, out)
}
