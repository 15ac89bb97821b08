package archive

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/nwaples/rardecode/v2"

	"github.com/leakguard/leakguard/internal/extract"
)

// extractRar streams the files of a rar archive to out. The decoder's
// dictionary is bounded like every other here.
func extractRar(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	var rr *rardecode.Reader
	err := guard(func() error {
		var err error
		rr, err = rardecode.NewReader(n.R, rardecode.MaxDictionarySize(maxDict))
		return err
	})
	if err != nil {
		return prefixed("rar", rarError(err))
	}
	members := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var h *rardecode.FileHeader
		err := guard(func() error {
			var err error
			h, err = rr.Next()
			return err
		})
		switch {
		case err == io.EOF:
			return nil
		case err != nil && passThrough(err):
			return err
		case err != nil && members == 0:
			return fmt.Errorf("rar: %w", rarError(err))
		case err != nil:
			return fmt.Errorf("rar: broken after %d members: %w", members, rarError(err))
		}
		if h.IsDir {
			continue
		}
		members++
		label := memberName(h.Name)
		if h.Encrypted {
			if err := out.Problem(ctx, []string{label}, "", fmt.Errorf("member %s: %w", label, extract.ErrEncrypted)); err != nil {
				return err
			}
			continue
		}
		size := h.UnPackedSize
		if h.UnKnownSize {
			size = -1
		}
		err = emit(ctx, out, extract.Member{
			Label:      label,
			Size:       size,
			Compressed: compressedSize(h.PackedSize),
			ModTime:    h.ModificationTime,
			R:          rr,
		}, rarError)
		if err != nil {
			return err
		}
	}
}

// rarError gives the decoder's errors their reasons.
func rarError(err error) error {
	switch {
	case errors.Is(err, rardecode.ErrArchiveEncrypted), errors.Is(err, rardecode.ErrArchivedFileEncrypted),
		errors.Is(err, rardecode.ErrBadPassword):
		return encrypted(err)
	case errors.Is(err, rardecode.ErrDictionaryTooLarge):
		return limitError("rar member needs a dictionary larger than %d bytes: not opened", maxDict)
	case errors.Is(err, rardecode.ErrMultiVolume), errors.Is(err, rardecode.ErrUnsupportedDecoder),
		errors.Is(err, rardecode.ErrUnknownVersion), errors.Is(err, rardecode.ErrUnknownDecoder),
		errors.Is(err, rardecode.ErrMultipleDecoders), errors.Is(err, rardecode.ErrUnknownEncryptMethod):
		return unsupported(err)
	}
	return err
}
