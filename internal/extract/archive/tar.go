package archive

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/leakguard/leakguard/internal/extract"
)

// extractTar streams the regular files of a tar archive to out. Links,
// devices and directories hold no content of their own. A tar that ends
// early is an error of the archive, returned after the members before the
// break were read.
func extractTar(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	tr := tar.NewReader(n.R)
	members := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var h *tar.Header
		err := guard(func() error {
			var err error
			h, err = tr.Next()
			return err
		})
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, tar.ErrInsecurePath):
			// A path such as "../x" is only a label here: nothing is written.
		case err != nil && passThrough(err):
			return err
		case err != nil && members == 0:
			return fmt.Errorf("tar: %w", err)
		case err != nil:
			return fmt.Errorf("tar: broken after %d members: %w", members, err)
		}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeCont, tar.TypeGNUSparse:
		default:
			continue
		}
		members++
		err = emit(ctx, out, extract.Member{
			Label:      memberName(h.Name),
			Size:       h.Size,
			Compressed: -1,
			ModTime:    h.ModTime,
			R:          tr,
			Slice:      true, // a tar stores, it does not compress
		}, nil)
		if err != nil {
			return err
		}
	}
}
