package archive

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/mikelolasagasti/xz"

	"github.com/leakguard/leakguard/internal/extract/bzip2"
)

// maxDict is the largest dictionary (history window) a decoder may
// allocate for one stream. xz -9 and zstd -19 use 64 MiB at most and
// lzip -9 32 MiB; larger windows are legal but rare, and a crafted header
// must not make one worker allocate gigabytes.
const maxDict = 64 << 20

// newXz reads an xz stream (or several, with padding) whose dictionaries
// are at most maxDict. The decoder of xi2/xz takes that bound; the
// ulikunitz decoder allocates whatever the header asks for.
func newXz(r io.Reader) (io.Reader, error) {
	z, err := xz.NewReader(r, maxDict)
	if err != nil {
		return nil, xzError(err)
	}
	return &classified{r: z, classify: xzError}, nil
}

func xzError(err error) error {
	if errors.Is(err, xz.ErrMemlimit) {
		return limitError("xz stream needs a dictionary larger than %d bytes: not opened", maxDict)
	}
	if errors.Is(err, xz.ErrUnsupportedCheck) || errors.Is(err, xz.ErrOptions) {
		return unsupported(err)
	}
	return err
}

// newZstd reads a zstd stream on the calling goroutine with a window of at
// most maxDict. close releases the decoder.
func newZstd(r io.Reader) (rd io.Reader, close func(), err error) {
	d, err := zstd.NewReader(r,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxMemory(maxDict),
		zstd.WithDecoderMaxWindow(maxDict))
	if err != nil {
		return nil, nil, err
	}
	return &classified{r: d, classify: zstdError}, d.Close, nil
}

func zstdError(err error) error {
	if errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrDecoderSizeExceeded) {
		return limitError("zstd stream needs a window larger than %d bytes: not opened", maxDict)
	}
	return err
}

// classified gives a decoder's errors their reason as they happen.
type classified struct {
	r        io.Reader
	classify func(error) error
}

func (c *classified) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		err = c.classify(err)
	}
	return n, err
}

// gzipStream reads the members of a gzip file one after another, as gzip
// itself does, and stops quietly at anything after the last member that is
// not another one (the zero padding tape and backup tools append).
type gzipStream struct {
	br *bufio.Reader
	z  *gzip.Reader
}

func newGzip(r io.Reader) (*gzipStream, error) {
	br := bufio.NewReader(r)
	z, err := gzip.NewReader(br)
	if err != nil {
		return nil, err
	}
	z.Multistream(false)
	return &gzipStream{br: br, z: z}, nil
}

func (g *gzipStream) Read(p []byte) (int, error) {
	for {
		n, err := g.z.Read(p)
		if err != io.EOF {
			return n, err
		}
		if head, _ := g.br.Peek(2); len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
			return n, io.EOF
		}
		if err := g.z.Reset(g.br); err != nil {
			return n, err
		}
		g.z.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}

// Decompressors for zip members, in archive/zip's shape: errors surface
// on the first Read.

func bzip2Decompressor(r io.Reader) io.ReadCloser { return io.NopCloser(bzip2.NewReader(r)) }

func xzDecompressor(r io.Reader) io.ReadCloser {
	z, err := newXz(r)
	if err != nil {
		return io.NopCloser(errReader{err})
	}
	return io.NopCloser(z)
}

func zstdDecompressor(r io.Reader) io.ReadCloser {
	z, closeFn, err := newZstd(r)
	if err != nil {
		return io.NopCloser(errReader{err})
	}
	return readCloser{z, closeFn}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type readCloser struct {
	io.Reader
	close func()
}

func (r readCloser) Close() error { r.close(); return nil }
