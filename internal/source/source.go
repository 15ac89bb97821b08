// Package source defines where scanned content comes from. A Source walks its
// items (files of a tree, standard input; later git history and object
// storage) and hands each to a callback; it reports items it cannot read as
// item errors rather than stopping, so one bad file never ends a scan.
package source

import (
	"context"
	"io"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
)

// Item is one unit of content: a file, a blob, standard input.
type Item struct {
	// Location names the item; Path is what the user sees in findings.
	Location finding.Location
	// Size is the length in bytes when known, else -1.
	Size    int64
	ModTime time.Time
	// Ident is the item's identity where the source has one (a file's
	// device and inode): a file replaced by another of the same size and
	// time is not taken for unchanged. "" when unknown.
	Ident string
	// Open returns the item's bytes. It may be called once per item; the
	// caller closes what it returns.
	Open func() (io.ReadCloser, error)
}

// Source enumerates items.
type Source interface {
	// Walk calls fn for every item, possibly from several goroutines at once
	// when the source walks in parallel. Items the source cannot list or
	// stat go to skip with their location and reason (see finding.Reason*),
	// and the walk goes on. Walk returns when every item has been handed
	// out, fn returned an error (which Walk returns), or ctx is done.
	Walk(ctx context.Context, fn func(Item) error, skip func(finding.ItemError)) error
}
