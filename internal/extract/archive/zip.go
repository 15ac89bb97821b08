package archive

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// zip compression methods read beyond the standard library's store and
// deflate, registered on each reader (never on the package-level table).
const (
	zipMethodBzip2 = 12
	zipMethodZstd  = 93
	zipMethodXz    = 95
	zipMethodAES   = 99 // WinZip AES: the real method hides behind the password
)

// extractZip sends each file of a zip to out. The central directory is
// checked for bombs before any member is read.
func extractZip(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	ra, size, err := out.Random(ctx)
	if err != nil {
		return err
	}
	if count, ok := zipDirEntries(ra, size); ok && count > maxZipEntries {
		return &extract.LimitError{Limit: "entries",
			Msg: fmt.Sprintf("zip directory declares %d entries, more than the %d read from one archive: not opened", count, maxZipEntries)}
	}
	var zr *zip.Reader
	err = guard(func() error {
		var err error
		zr, err = zip.NewReader(ra, size)
		return err
	})
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return prefixed("zip", err)
	}
	zr.RegisterDecompressor(zipMethodBzip2, bzip2Decompressor)
	zr.RegisterDecompressor(zipMethodZstd, zstdDecompressor)
	zr.RegisterDecompressor(zipMethodXz, xzDecompressor)

	bad, err := checkZip(zr.File, size)
	if err != nil {
		return err
	}
	for i, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.Mode().IsDir() || strings.HasSuffix(f.Name, "/") {
			continue
		}
		label := memberName(f.Name)
		if err := zipMember(ctx, out, f, label, bad[i]); err != nil {
			return err
		}
	}
	return nil
}

// zipMember reads one file of a zip, or says why it cannot.
func zipMember(ctx context.Context, out extract.Emitter, f *zip.File, label string, bad error) error {
	switch {
	case bad != nil:
		return out.Problem(ctx, []string{label}, "", bad)
	case f.Flags&0x1 != 0 || f.Method == zipMethodAES:
		return out.Problem(ctx, []string{label}, finding.ReasonEncrypted,
			fmt.Errorf("member %s: %w", label, extract.ErrEncrypted))
	}
	var rc io.ReadCloser
	err := guard(func() error {
		var err error
		rc, err = f.Open()
		return err
	})
	if err != nil {
		if errors.Is(err, zip.ErrAlgorithm) {
			return out.Problem(ctx, []string{label}, finding.ReasonUnsupported,
				fmt.Errorf("member %s: compression method %d is not supported", label, f.Method))
		}
		return out.Problem(ctx, []string{label}, finding.ReasonCorrupt, fmt.Errorf("member %s: %w", label, err))
	}
	defer rc.Close()
	return emit(ctx, out, extract.Member{
		Label:      label,
		Size:       clampSize(f.UncompressedSize64),
		Compressed: compressedSize(clampSize(f.CompressedSize64)),
		ModTime:    f.Modified,
		R:          rc,
	}, nil)
}

// zipName returns a member's path as UTF-8. A name not flagged as UTF-8
// is, by the zip specification, code page 437; that is also the only
// reading that keeps every byte, so the user can map it back.
func memberName(name string) string {
	if utf8.ValidString(name) {
		return name
	}
	s, err := charmap.CodePage437.NewDecoder().String(name)
	if err != nil {
		return strings.ToValidUTF8(name, "\uFFFD")
	}
	return s
}

// clampSize converts a declared size; a size no file can have becomes the
// largest, which every limit refuses.
func clampSize(v uint64) int64 {
	if v > 1<<62 {
		return 1 << 62
	}
	return int64(v)
}
