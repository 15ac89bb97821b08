package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// emit hands one member to the registry. The member's decoder reads through
// a memberReader, so a stream that breaks part-way (a truncated archive, a
// bad checksum, a missing password) is still scanned as far as it could be
// read, and the break is reported at the member's location afterwards.
// classify, when not nil, gives a decoder's errors their reason.
func emit(ctx context.Context, out extract.Emitter, m extract.Member, classify func(error) error) error {
	return emitAt(ctx, out, m, []string{m.Label}, classify)
}

// emitAt is emit with the break reported at labels below the node: nil
// for a compressed stream, whose break is the node's own.
func emitAt(ctx context.Context, out extract.Emitter, m extract.Member, labels []string, classify func(error) error) error {
	mr := &memberReader{r: m.R}
	m.R = mr
	if err := out.Child(ctx, m); err != nil {
		return err
	}
	if mr.err == nil {
		return nil
	}
	err := mr.err
	if classify != nil {
		err = classify(err)
	}
	if mr.n > 0 {
		err = fmt.Errorf("stream broken after %d bytes of %s, the part before was scanned: %w", mr.n, m.Label, err)
	}
	return out.Problem(ctx, labels, "", err)
}

// memberReader turns a decoder's failure into the end of the member and
// keeps it to be reported. Limits and cancellation from the content below
// (a parent stream's meter) pass through unchanged: they are the
// registry's, not this member's.
type memberReader struct {
	r   io.Reader
	n   int64
	err error
}

func (m *memberReader) Read(p []byte) (n int, err error) {
	if m.err != nil {
		return 0, io.EOF
	}
	defer func() {
		if v := recover(); v != nil {
			m.err = panicError(v)
			n, err = 0, io.EOF
		}
	}()
	n, err = m.r.Read(p)
	m.n += int64(n)
	if err == nil || err == io.EOF || passThrough(err) {
		return n, err
	}
	m.err = err
	return n, io.EOF
}

// passThrough reports whether err belongs to the registry or the scan
// rather than to the member's own decoder.
func passThrough(err error) bool {
	var le *extract.LimitError
	return errors.As(err, &le) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// guard runs a call into a decoder library and turns a panic on hostile
// input into an error: the item is reported, the scan goes on.
func guard(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicError(v)
		}
	}()
	return f()
}

func panicError(v any) error {
	return extract.Failure(finding.ReasonCorrupt, "the decoder failed on malformed input: %v", v)
}

// limitError is a limit of this package's own (a dictionary too large for
// a worker's memory). It is not an *extract.LimitError, which belongs to
// the registry and passes through a member's reader: this one is the
// member's own failure and is reported where the member is.
func limitError(format string, args ...any) error {
	return extract.Failure(finding.ReasonLimit, format, args...)
}

// unsupported marks err as a format feature this build does not read.
func unsupported(err error) error {
	return &extract.ReasonError{Reason: finding.ReasonUnsupported, Err: err}
}

// encrypted marks err as a missing password.
func encrypted(err error) error {
	return fmt.Errorf("%w (%v)", extract.ErrEncrypted, err)
}

// prefixed names the format in err's message unless the decoder did.
func prefixed(format string, err error) error {
	if strings.HasPrefix(err.Error(), format+":") {
		return err
	}
	return fmt.Errorf("%s: %w", format, err)
}

// compressedSize turns a stated compressed size into Member.Compressed:
// -1 when it is not stated, so that no ratio is computed from it.
func compressedSize(v int64) int64 {
	if v <= 0 {
		return -1
	}
	return v
}
