package icap

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
)

// Bounds of the chunked framing itself.
const (
	maxChunkLine    = 4 << 10  // size line with its extensions
	maxTrailerBytes = 16 << 10 // trailer fields after the last chunk
	maxChunkDigits  = 15       // hex digits of a chunk size: under 2^60
)

// chunkReader reads one chunked body (RFC 3507 4.4.2, RFC 7230 4.1) and,
// unlike net/http's, keeps the extensions of its last chunk: "0; ieof" ends
// the whole body, a bare "0" only the preview. Read returns io.EOF after the
// last chunk and its trailer.
type chunkReader struct {
	br   *bufio.Reader
	left int64 // data bytes left in the current chunk
	done bool
	ieof bool // the last chunk carried "ieof"
	err  error
}

func newChunkReader(br *bufio.Reader) *chunkReader { return &chunkReader{br: br} }

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	for c.left == 0 {
		if c.done {
			return 0, io.EOF
		}
		if err := c.nextChunk(); err != nil {
			c.err = err
			return 0, err
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	c.left -= int64(n)
	if c.left == 0 && err == nil {
		err = c.chunkEnd()
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		c.err = err
	}
	return n, err
}

// nextChunk reads a size line: hex size, optional ";name[=value]" extensions.
// The zero-size chunk ends the body; its trailer is read and dropped.
func (c *chunkReader) nextChunk() error {
	budget := maxChunkLine
	line, err := readLine(c.br, &budget)
	if err != nil {
		return eofIsUnexpected(err)
	}
	sizeText, exts, _ := bytes.Cut(line, []byte(";"))
	size, err := parseChunkSize(string(bytes.Trim(sizeText, " \t")))
	if err != nil {
		return err
	}
	if size > 0 {
		c.left = size
		return nil
	}
	for ext := range strings.SplitSeq(string(exts), ";") {
		name, _, _ := strings.Cut(ext, "=")
		if strings.EqualFold(strings.TrimSpace(name), "ieof") {
			c.ieof = true
		}
	}
	budget = maxTrailerBytes
	for {
		line, err := readLine(c.br, &budget)
		if err != nil {
			return eofIsUnexpected(err)
		}
		if len(line) == 0 {
			c.done = true
			return nil
		}
	}
}

func parseChunkSize(s string) (int64, error) {
	if s == "" || len(s) > maxChunkDigits {
		return 0, badRequest("bad chunk size")
	}
	n, err := strconv.ParseInt(s, 16, 64)
	if err != nil || n < 0 || strings.ContainsAny(s, "+-") {
		return 0, badRequest("bad chunk size")
	}
	return n, nil
}

// chunkEnd reads the CRLF (or bare LF) that follows a chunk's data.
func (c *chunkReader) chunkEnd() error {
	b, err := c.br.ReadByte()
	if err == nil && b == '\r' {
		b, err = c.br.ReadByte()
	}
	if err != nil {
		return eofIsUnexpected(err)
	}
	if b != '\n' {
		return badRequest("chunk data longer than its size")
	}
	return nil
}

func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// chunkWriter writes each Write as one chunk; close writes the last chunk.
type chunkWriter struct{ w *bufio.Writer }

func (c chunkWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	c.w.WriteString(strconv.FormatInt(int64(len(p)), 16))
	c.w.WriteString("\r\n")
	c.w.Write(p)
	_, err := c.w.WriteString("\r\n")
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// close ends the body; a bufio.Writer's error is sticky, so this reports any
// failed write of the body too.
func (c chunkWriter) close() error {
	_, err := c.w.WriteString("0\r\n\r\n")
	return err
}
