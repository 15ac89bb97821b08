package fs

import (
	"context"
	"errors"
	"io"
	"os"
	"sync/atomic"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/source"
)

// StdinPath is the path standard input is reported under.
const StdinPath = "-"

// Stdin is a source of one item, standard input (or any reader standing in
// for it), named "-". Its content can be read once: a second Open fails.
type Stdin struct {
	r      io.Reader
	opened atomic.Bool
}

var _ source.Source = (*Stdin)(nil)

// NewStdin returns a source reading r; nil means os.Stdin.
func NewStdin(r io.Reader) *Stdin {
	if r == nil {
		r = os.Stdin
	}
	return &Stdin{r: r}
}

// Walk hands out the one item. Its Size is known only when the reader is a
// regular file (input redirected from a file), else -1. The reader is not
// closed by the item's Close: it belongs to the caller.
func (s *Stdin) Walk(ctx context.Context, fn func(source.Item) error, _ func(finding.ItemError)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	it := source.Item{Location: finding.Location{Path: StdinPath}, Size: -1}
	if f, ok := s.r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			it.Size, it.ModTime = fi.Size(), fi.ModTime()
		}
	}
	it.Open = func() (io.ReadCloser, error) {
		if s.opened.Swap(true) {
			return nil, errors.New("standard input was already read")
		}
		return io.NopCloser(s.r), nil
	}
	return fn(it)
}
