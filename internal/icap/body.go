package icap

import (
	"bufio"
	"io"
	"time"
)

// body is the encapsulated body of one request as Check reads it: the
// preview, then, only if Check reads past it, the rest. Reading past the
// preview is what sends "100 Continue", so a Check that decides on the
// preview alone lets the server answer without the proxy sending the rest.
type body struct {
	cr        *chunkReader
	br        *bufio.Reader
	cont      func() error // sends "100 Continue"
	inPreview bool         // cr is the preview and "100 Continue" was not sent
	continued bool
	eof       bool // the whole body was read
	err       error
	pending   []byte    // bytes read ahead by more and not yet delivered
	tee       io.Writer // copy of what was delivered (the spool), or nil
	n         int64     // bytes delivered
	// Past the preview an upload is read ahead of Check (see readAhead),
	// up to aheadLimit bytes of the whole body; 0 reads the wire directly,
	// as it does once the read-ahead has run to its limit.
	aheadLimit int64
	aheadDir   string
	ahead      *readAhead // running or holding unread bytes
}

// newBody reads a chunked body from br. preview is the request's Preview
// value, -1 for none.
func newBody(br *bufio.Reader, preview int, cont func() error) *body {
	return &body{cr: newChunkReader(br), br: br, cont: cont, inPreview: preview >= 0}
}

// emptyBody is the body of a request with null-body.
func emptyBody() *body { return &body{eof: true} }

func (b *body) Read(p []byte) (int, error) {
	var n int
	var err error
	if len(b.pending) > 0 {
		n = copy(p, b.pending)
		b.pending = b.pending[n:]
	} else {
		n, err = b.read(p)
	}
	if n > 0 {
		b.n += int64(n)
		if b.tee != nil {
			if _, werr := b.tee.Write(p[:n]); werr != nil {
				b.err = werr
				return n, werr
			}
		}
	}
	return n, err
}

// read reads the wire, crossing from the preview to the rest on demand.
func (b *body) read(p []byte) (int, error) {
	for {
		if b.err != nil {
			return 0, b.err
		}
		if b.eof {
			return 0, io.EOF
		}
		if !b.inPreview && b.aheadLimit > 0 && b.ahead == nil {
			b.ahead = startReadAhead(b.cr, b.aheadDir, max(b.aheadLimit-b.n, 1))
		}
		var n int
		var err error
		if b.ahead != nil {
			n, err = b.ahead.Read(p)
			if err == errAheadLimit {
				// All it read was delivered: the rest comes off the wire.
				b.ahead.drop()
				<-b.ahead.done
				b.ahead, b.aheadLimit = nil, 0
				continue
			}
		} else {
			n, err = b.cr.Read(p)
		}
		if n > 0 || len(p) == 0 {
			if err == io.EOF {
				err = nil
			}
			if err != nil {
				b.err = err
			}
			return n, err
		}
		if err != io.EOF {
			b.err = err
			return 0, err
		}
		if !b.inPreview || b.cr.ieof {
			b.eof = true
			return 0, io.EOF
		}
		// The preview ended and more is to come: ask for it.
		if err := b.cont(); err != nil {
			b.err = err
			return 0, err
		}
		b.inPreview, b.continued = false, true
		b.cr = newChunkReader(b.br)
	}
}

// more reports whether any byte follows what was delivered, reading it
// ahead (and asking for the rest past a preview if need be).
func (b *body) more() (bool, error) {
	if len(b.pending) > 0 {
		return true, nil
	}
	var one [1]byte
	n, err := b.read(one[:])
	if n == 1 {
		b.pending = append(b.pending[:0], one[0])
		return true, nil
	}
	if err == io.EOF {
		return false, nil
	}
	return false, err
}

// parkPreview reads and drops the rest of the preview without asking for
// more, leaving the connection where the client waits for an answer. After
// it, the body is complete if the preview carried "ieof".
func (b *body) parkPreview() error {
	if !b.inPreview || b.eof {
		return b.err
	}
	b.pending = nil
	_, err := io.Copy(io.Discard, b.cr)
	if err != nil {
		b.err = err
		return err
	}
	if b.cr.ieof {
		b.eof = true
	}
	return nil
}

// drain reads and drops up to limit bytes of the rest of the body and
// reports whether the connection is back in step, ready to carry the next
// request: the body ended, or the preview did and the client waits.
func (b *body) drain(limit int64) bool {
	if b.inPreview {
		return b.parkPreview() == nil
	}
	b.tee, b.pending = nil, nil
	_, err := io.CopyN(io.Discard, readerFunc(b.read), limit+1)
	return err == io.EOF && b.eof
}

// readAheadUpTo makes the body, past its preview, be read off the wire
// ahead of Check into a spool in dir, up to limit bytes in all.
func (b *body) readAheadUpTo(limit int64, dir string) {
	b.aheadLimit, b.aheadDir = limit, dir
}

// close stops a read-ahead still running: the connection is closing with
// the body unfinished, so its read is cut by a deadline in the past and
// the connection marked as having unread bytes. It reports nothing: the
// body's outcome was decided before.
func (b *body) close(c *conn) {
	if b.ahead == nil {
		return
	}
	if !b.ahead.drop() {
		c.unread = true
		c.SetReadDeadline(time.Now())
	}
	<-b.ahead.done
	b.ahead = nil
}

// readerFunc adapts a read method to io.Reader.
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
