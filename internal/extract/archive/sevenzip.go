package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bodgit/sevenzip"

	"github.com/leakguard/leakguard/internal/extract"
)

// extract7z sends each file of a 7z archive to out, in the order of its
// streams so that a solid block is decoded once. 7z states no compressed
// size per file, so each member's ratio is measured against the size of
// the whole archive: a lower bound of the real ratio, which makes a member
// that exceeds the limit against it a bomb for certain.
func extract7z(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	ra, size, err := out.Random(ctx)
	if err != nil {
		return err
	}
	var zr *sevenzip.Reader
	err = guard(func() error {
		var err error
		zr, err = sevenzip.NewReader(ra, size)
		return err
	})
	if err != nil {
		return prefixed("7z", sevenZipError(err))
	}
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.FileInfo().IsDir() {
			continue
		}
		label := memberName(f.Name)
		var rc io.ReadCloser
		err := guard(func() error {
			var err error
			rc, err = f.Open()
			return err
		})
		if err != nil {
			if err := out.Problem(ctx, []string{label}, "", fmt.Errorf("member %s: %w", label, sevenZipError(err))); err != nil {
				return err
			}
			continue
		}
		err = emit(ctx, out, extract.Member{
			Label:      label,
			Size:       clampSize(f.UncompressedSize),
			Compressed: compressedSize(size),
			ModTime:    f.Modified,
			R:          rc,
		}, sevenZipError)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// sevenZipError names a missing password and an unknown method as such.
func sevenZipError(err error) error {
	var re *sevenzip.ReadError
	switch {
	case errors.As(err, &re) && re.Encrypted:
		return encrypted(err)
	case strings.Contains(err.Error(), "unsupported compression"):
		// sevenzip does not export its errAlgorithm.
		return unsupported(err)
	}
	return err
}
