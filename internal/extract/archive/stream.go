package archive

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/bzip2"
)

// extractStream decompresses a single-stream format (gzip, bzip2, xz, zstd,
// lzip) and sends the content on as one child, labelled with the name it
// had before it was compressed.
func extractStream(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	var (
		r       io.Reader
		stored  string // the original name the format records, if any
		modTime = n.ModTime
		err     error
	)
	switch n.Kind {
	case extract.KindGzip:
		var g *gzipStream
		g, err = newGzip(n.R)
		if err == nil {
			r, stored = g, g.z.Name
			if !g.z.ModTime.IsZero() && g.z.ModTime.After(time.Unix(0, 0)) {
				modTime = g.z.ModTime
			}
		}
	case extract.KindBzip2:
		r = bzip2.NewReader(n.R)
	case extract.KindXz:
		r, err = newXz(n.R)
	case extract.KindZstd:
		var closeFn func()
		r, closeFn, err = newZstd(n.R)
		if err == nil {
			defer closeFn()
		}
	case extract.KindLzip:
		r = newLzip(n.R)
	default:
		return fmt.Errorf("archive: %s is not a compressed stream", n.Kind)
	}
	if err != nil {
		return prefixed(string(n.Kind), err)
	}
	label := streamLabel(n.Name, stored)
	return emitAt(ctx, out, extract.Member{
		Label:      label,
		Size:       -1,
		Compressed: compressedSize(n.Size),
		ModTime:    modTime,
		R:          r,
	}, nil, nil)
}

// suffixes maps a compressed file's extension to what its content is
// called: "x.tar.gz" holds "x.tar", "x.tgz" holds "x.tar" too.
var suffixes = []struct{ ext, becomes string }{
	{".tgz", ".tar"}, {".taz", ".tar"}, {".gz", ""}, {".gzip", ""}, {".z", ""},
	{".tbz2", ".tar"}, {".tbz", ".tar"}, {".tb2", ".tar"}, {".bz2", ""}, {".bz", ""}, {".bzip2", ""},
	{".txz", ".tar"}, {".xz", ""},
	{".tzst", ".tar"}, {".zst", ""}, {".zstd", ""},
	{".tlz", ".tar"}, {".lz", ""}, {".lzip", ""},
}

// Expansion estimates the content of a file named name per byte stored
// (extract.Expander). Text compresses 4 to 10 times with gzip and more
// with bzip2 and xz (the Go tree's re2-exhaustive.txt.bz2 holds 150 times
// its 428 KB), and a compressed stream costs its decoding besides: 16. A
// zip or 7z archive often holds media stored as it is: 4.
func (*Extractor) Expansion(name string) int {
	lower := strings.ToLower(baseName(name))
	for _, s := range suffixes {
		if strings.HasSuffix(lower, s.ext) {
			return 16
		}
	}
	switch path.Ext(lower) {
	case ".zip", ".jar", ".war", ".ear", ".7z", ".rar":
		return 4
	}
	return 1
}

// streamLabel names the content of a compressed stream: the name the
// format stored (gzip's FNAME) if any, else the node's own file name
// without its compression suffix, else the node's name unchanged.
func streamLabel(nodeName, stored string) string {
	if s := baseName(stored); s != "" {
		return s
	}
	base := baseName(nodeName)
	lower := strings.ToLower(base)
	for _, s := range suffixes {
		if strings.HasSuffix(lower, s.ext) && len(base) > len(s.ext) {
			return base[:len(base)-len(s.ext)] + s.becomes
		}
	}
	if base == "" {
		return "content"
	}
	return base
}

// baseName is the last element of a path written with either separator.
func baseName(p string) string {
	p = strings.TrimRight(p, `/\`)
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		p = p[i+1:]
	}
	return strings.ToValidUTF8(p, "\uFFFD")
}
