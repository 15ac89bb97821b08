package office

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"

	"github.com/leakguard/leakguard/internal/extract"
)

// The XML parts of a document are read here, not through Emitter.Child, so
// the registry does not meter them; the document's own budget applies the
// scan's limits (Emitter.Limits) to them.
const (
	// maxRun is the longest stretch of XML without a '<': a text node or
	// tag longer than this would make encoding/xml hold it whole.
	maxRun = 64 << 20
)

// budget is what the parts of one document may expand to, together.
type budget struct {
	left int64
	lim  extract.Limits
}

func newBudget(lim extract.Limits) *budget { return &budget{left: lim.MaxBytes, lim: lim} }

// checkMember refuses a zip member whose declared sizes say it is a bomb,
// before anything is decompressed. archive/zip fails a member that inflates
// past its declared size, so the declaration is a bound, not a hint.
func checkMember(f *zip.File, b *budget) error {
	lim := b.lim
	size, comp := f.UncompressedSize64, f.CompressedSize64
	switch {
	case f.Flags&0x1 != 0:
		return fmt.Errorf("%s: %w", f.Name, extract.ErrEncrypted)
	case size > uint64(b.left):
		return &extract.LimitError{Limit: "bytes",
			Msg: fmt.Sprintf("%s declares %d bytes, more than the %d left of the document's expansion limit: not read", f.Name, size, b.left)}
	case size > uint64(lim.RatioFloor) && comp > 0 && float64(size)/float64(comp) > lim.MaxRatio:
		return &extract.LimitError{Limit: "ratio",
			Msg: fmt.Sprintf("%s expands %d bytes to %d (ratio over %.0f): refused as a compression bomb", f.Name, comp, size, lim.MaxRatio)}
	case size > uint64(lim.RatioFloor) && comp == 0:
		return &extract.LimitError{Limit: "ratio",
			Msg: fmt.Sprintf("%s expands 0 bytes to %d: refused as a compression bomb", f.Name, size)}
	}
	return nil
}

// guarded meters a part against the document's budget and refuses XML
// that runs on for maxRun bytes without markup.
type guarded struct {
	r   io.Reader
	b   *budget
	run int64 // bytes since the last '<'
	err error
}

func (g *guarded) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	g.b.left -= int64(n)
	if g.b.left < 0 {
		g.err = &extract.LimitError{Limit: "bytes",
			Msg: fmt.Sprintf("the document's parts expand to more than %d bytes: the rest is not read", g.b.lim.MaxBytes)}
		return n, g.err
	}
	if i := bytes.LastIndexByte(p[:n], '<'); i >= 0 {
		g.run = int64(n - i - 1)
	} else {
		g.run += int64(n)
	}
	if g.run > maxRun {
		g.err = &extract.LimitError{Limit: "bytes",
			Msg: fmt.Sprintf("more than %d bytes of XML without markup: the rest of the part is not read", maxRun)}
		return n, g.err
	}
	return n, err
}
