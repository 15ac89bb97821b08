package mail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/extract"
)

// extractMbox sends each message of a Unix mailbox to the registry as a
// child labelled "message <n>: <Subject> (<YYYY-MM-DD>)", streaming: only
// one message's header block is held at a time.
func extractMbox(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	s := newMboxSplitter(n.R)
	for i := 1; ; i++ {
		sep, err := s.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		info, r, err := peekMessage(s)
		if err != nil {
			return err
		}
		if info.Empty {
			continue
		}
		if info.Date.IsZero() {
			info.Date, _ = parseDate(sepDate(sep))
		}
		label := "message " + strconv.Itoa(i)
		if info.Subject != "" {
			label += ": " + info.describe("")
		} else if d := info.describe(""); d != "" {
			label += " " + d
		}
		m := extract.Member{Label: label, Name: nameOf(info, "message-"+strconv.Itoa(i)), Size: -1, Compressed: -1, R: r, Slice: true}
		if err := out.Child(ctx, m); err != nil {
			return err
		}
	}
}

// sepDate is the date part of a "From sender date" separator line.
func sepDate(sep string) string {
	f := strings.Fields(sep)
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[2:], " ")
}

// mboxSplitter reads a Unix mailbox one message at a time without a
// library: a message starts at a line beginning "From " at the start of
// the file, or after a blank line when the line has a digit (the date), or
// before a header field line. Quoted ">From " lines in bodies (mboxo and
// mboxrd) lose one ">".
type mboxSplitter struct {
	br        *bufio.Reader
	buf, cur  []byte
	lineStart bool
	prevBlank bool
	started   bool
	done      bool   // the current message has ended
	eof       bool   // the input has ended
	sep       []byte // the separator line that ended the current message
	err       error
}

func newMboxSplitter(r io.Reader) *mboxSplitter {
	return &mboxSplitter{br: bufio.NewReaderSize(r, 64<<10), lineStart: true}
}

// next skips the rest of the current message and starts the next one. It
// returns the separator line that introduced it ("" for content before the
// first separator), or io.EOF.
func (s *mboxSplitter) next() (string, error) {
	var sep []byte
	if !s.started {
		s.started = true
		head, err := s.br.Peek(5)
		if len(head) == 0 {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.EOF
			}
			return "", err
		}
		if string(head) == "From " {
			line, err := readLine(s.br, 1<<20)
			if err != nil && !errors.Is(err, io.EOF) {
				return "", err
			}
			sep = trimEOL(line)
		}
	} else {
		if _, err := io.Copy(io.Discard, s); err != nil {
			return "", err
		}
		if s.err != nil {
			return "", s.err
		}
		if s.eof {
			return "", io.EOF
		}
		sep = s.sep
	}
	s.done, s.lineStart, s.prevBlank = false, true, false
	return string(sep), nil
}

// Read reads the current message.
func (s *mboxSplitter) Read(p []byte) (int, error) {
	for len(s.cur) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		if s.done {
			return 0, io.EOF
		}
		s.fill()
	}
	n := copy(p, s.cur)
	s.cur = s.cur[n:]
	return n, nil
}

// fill reads the next line, or piece of a long line, into cur, or ends
// the message at a separator.
func (s *mboxSplitter) fill() {
	chunk, err := s.br.ReadSlice('\n')
	full := errors.Is(err, bufio.ErrBufferFull)
	if err != nil && !full && !errors.Is(err, io.EOF) {
		s.err = err
		return
	}
	if len(chunk) == 0 && err != nil {
		s.done, s.eof = true, true
		return
	}
	atStart := s.lineStart
	s.lineStart = !full
	line := append(s.buf[:0], chunk...) // Peek below may move the reader's buffer
	s.buf = line
	if atStart && bytes.HasPrefix(line, []byte("From ")) && s.separator(line, full) {
		s.done, s.prevBlank = true, false
		s.sep = append(s.sep[:0], trimEOL(line)...)
		for full { // the rest of an overlong separator line
			_, err = s.br.ReadSlice('\n')
			full = errors.Is(err, bufio.ErrBufferFull)
		}
		s.lineStart = true
		if err != nil && !errors.Is(err, io.EOF) {
			s.err = err
		}
		return
	}
	if atStart && quotedFrom(line) {
		line = line[1:]
	}
	s.prevBlank = atStart && !full && len(trimEOL(line)) == 0
	s.cur = line
	if errors.Is(err, io.EOF) { // a last line without a line end
		s.done, s.eof = true, true
	}
}

// separator decides whether a line starting "From " (at a line start)
// begins a new message.
func (s *mboxSplitter) separator(line []byte, partial bool) bool {
	if s.prevBlank && bytes.ContainsAny(line, "0123456789") {
		return true
	}
	if partial {
		return false
	}
	next, _ := s.br.Peek(512)
	if i := bytes.IndexByte(next, '\n'); i >= 0 {
		next = next[:i]
	} else if len(next) == 512 {
		return false
	}
	return isFieldLine(trimEOL(next))
}

// quotedFrom reports whether line is ">From " quoted one or more times.
func quotedFrom(line []byte) bool {
	i := 0
	for i < len(line) && line[i] == '>' {
		i++
	}
	return i > 0 && bytes.HasPrefix(line[i:], []byte("From "))
}
