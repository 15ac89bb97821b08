package mail

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// multipart splits a MIME multipart body into its parts as it reads, one
// line at a time, so a part of any size streams through. It is lenient the
// way mail readers are: a missing close delimiter ends the last part at the
// end of the input, and the body of each part is returned as is (the line
// end before a delimiter belongs to the delimiter and is dropped).
type multipart struct {
	br     *bufio.Reader
	dash   []byte // "--" + boundary
	part   *partBody
	closed bool // the close delimiter or the end of the input was reached
	err    error
}

func newMultipart(r io.Reader, boundary string) *multipart {
	m := &multipart{br: bufio.NewReaderSize(r, 32<<10), dash: []byte("--" + boundary)}
	m.part = &partBody{m: m, lineStart: true} // the preamble, skipped
	return m
}

// next skips the rest of the current part (or the preamble) and returns
// the next part's reader (header and body), or io.EOF after the last one.
func (m *multipart) next() (io.Reader, error) {
	if _, err := io.Copy(io.Discard, m.part); err != nil {
		return nil, err
	}
	if m.err != nil {
		return nil, m.err
	}
	if m.closed {
		return nil, io.EOF
	}
	m.part = &partBody{m: m, lineStart: true}
	return m.part, nil
}

// delimiter reports whether line (at a line start) is a delimiter of m,
// and whether it is the close delimiter.
func (m *multipart) delimiter(line []byte) (is, close bool) {
	if !bytes.HasPrefix(line, m.dash) {
		return false, false
	}
	rest := line[len(m.dash):]
	if bytes.HasPrefix(rest, []byte("--")) {
		close = true
		rest = rest[2:]
	}
	if len(bytes.Trim(rest, " \t\r\n")) != 0 {
		return false, false
	}
	return true, close
}

// partBody reads one part up to the next delimiter.
type partBody struct {
	m         *multipart
	buf       []byte // what is ready to be returned
	cur       []byte // the unread rest of buf
	eol       []byte // the line end held back until the next line shows it is content
	lineStart bool
	done      bool
}

func (p *partBody) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.done {
			return 0, io.EOF
		}
		if err := p.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// fill reads the next line (or piece of a long line) into cur.
func (p *partBody) fill() error {
	m := p.m
	line, err := m.br.ReadSlice('\n')
	full := errors.Is(err, bufio.ErrBufferFull)
	if err != nil && !full && !errors.Is(err, io.EOF) {
		m.err = err
		return err
	}
	if p.lineStart && !full {
		if is, close := m.delimiter(line); is {
			p.done = true
			m.closed = close
			return nil
		}
	}
	p.buf = append(append(p.buf[:0], p.eol...), line...)
	p.eol = p.eol[:0]
	if !full {
		if k := eolLen(line); k > 0 {
			p.eol = append(p.eol, line[len(line)-k:]...)
			p.buf = p.buf[:len(p.buf)-k]
		}
	}
	p.cur = p.buf
	p.lineStart = !full
	if errors.Is(err, io.EOF) {
		// No close delimiter: the input's end ends the part.
		p.cur = append(p.cur, p.eol...)
		p.done, m.closed = true, true
	}
	return nil
}

func eolLen(line []byte) int {
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return 2
	case bytes.HasSuffix(line, []byte("\n")):
		return 1
	}
	return 0
}
