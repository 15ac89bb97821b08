package legacy

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/leakguard/leakguard/internal/extract"
)

// catdoc prints a Word document's text as UTF-8 without wrapping lines.
var catdoc = helper{tool: "catdoc", pkg: "catdoc", args: []string{"-w", "-d", "utf-8"}, ext: ".doc"}

// extractDoc streams catdoc's text of a Word document.
func extractDoc(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	if _, err := catdoc.lookPath(); err != nil {
		return err
	}
	path, err := input(n, out, catdoc.ext)
	if err != nil {
		return err
	}
	tw := out.Text(ctx)
	err = catdoc.run(ctx, path, func(r io.Reader) error { return copyText(tw, r) })
	if cerr := tw.Close(); cerr != nil {
		return cerr
	}
	return withObjects(ctx, out, path, err)
}

// withObjects extracts a document's embedded objects once its text is
// read, unless it is encrypted or the scan is over, and returns the
// error of the text.
func withObjects(ctx context.Context, out extract.Emitter, path string, err error) error {
	if errors.Is(err, extract.ErrEncrypted) || ctx.Err() != nil {
		return err
	}
	if oerr := embeddedObjects(ctx, out, path); oerr != nil {
		return oerr
	}
	return err
}

// copyText copies a helper's text to w, turning page and section breaks
// (form feeds) into line breaks and dropping other control characters
// that only waste the engine's time.
func copyText(w io.Writer, r io.Reader) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(cleanControls(buf[:n])); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// cleanControls rewrites b in place: form feeds and vertical tabs become
// newlines, carriage returns and other C0 controls but tab are dropped.
func cleanControls(b []byte) []byte {
	if bytes.IndexFunc(b, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' }) < 0 {
		return b
	}
	out := b[:0]
	for _, c := range b {
		switch {
		case c == '\f' || c == '\v':
			out = append(out, '\n')
		case c < 0x20 && c != '\n' && c != '\t':
		default:
			out = append(out, c)
		}
	}
	return out
}
