// Package archive reads archives and compressed streams: zip, tar, gzip,
// bzip2, xz, zstd, lzip, 7z and rar. Every member goes back to the registry
// as a child, which identifies it and extracts it in turn, so nesting is the
// registry's business, as are the limits it enforces on each child (depth,
// entries, bytes, declared and measured expansion ratio).
//
// What only a reader of the format can see is checked here, before anything
// is expanded: zip entries whose data overlap (the overlapping-file bombs of
// David Fifield) or whose declared sizes are absurd, directories that
// declare more entries than a scan could ever read, and dictionaries larger
// than a worker may allocate. Members that are encrypted, corrupt or use an
// unsupported method are item errors at their own location, and their
// siblings are still read. A member whose stream breaks part-way is scanned
// as far as it could be read, and the break is reported beside it.
package archive

import (
	"context"
	"fmt"

	"github.com/leakguard/leakguard/internal/extract"
)

// Extractor reads every archive and compression format of this package. It
// holds no state; one value serves any number of concurrent items.
type Extractor struct{}

// New returns the archive extractor.
func New() *Extractor { return &Extractor{} }

// Kinds lists the archive and compression formats read here.
func (*Extractor) Kinds() []extract.Kind {
	return []extract.Kind{
		extract.KindZip, extract.KindTar,
		extract.KindGzip, extract.KindBzip2, extract.KindXz, extract.KindZstd, extract.KindLzip,
		extract.Kind7z, extract.KindRar,
	}
}

// Extract sends each member of n to out as a child.
func (*Extractor) Extract(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	switch n.Kind {
	case extract.KindZip:
		return extractZip(ctx, n, out)
	case extract.KindTar:
		return extractTar(ctx, n, out)
	case extract.KindGzip, extract.KindBzip2, extract.KindXz, extract.KindZstd, extract.KindLzip:
		return extractStream(ctx, n, out)
	case extract.Kind7z:
		return extract7z(ctx, n, out)
	case extract.KindRar:
		return extractRar(ctx, n, out)
	}
	return fmt.Errorf("archive: kind %s is not read here", n.Kind)
}
