package office

import (
	"context"
	"io"
	"slices"

	"github.com/leakguard/leakguard/internal/extract"
)

// stream is the part of *extract.TextWriter the walkers use; tests and fuzz
// targets give the walkers an in-memory one.
type stream interface {
	io.Writer
	io.StringWriter
	Mark(label string)
	Close() error
}

// opener starts a text stream located at labels below the node.
type opener func(labels []string) stream

func emitterOpener(ctx context.Context, out extract.Emitter) opener {
	return func(labels []string) stream { return out.Text(ctx, labels...) }
}

// sink turns what the XML walkers find into text streams. It opens a stream
// lazily, at the first text written under a set of labels, so an empty
// header or sheet costs the engine nothing, and it holds separators back
// until more text follows: a paragraph end, a cell end and a row end that
// meet collapse into the strongest of them, so the text has exactly one
// separator wherever words must stay apart and none dangling at the end.
type sink struct {
	open   opener
	labels []string // labels of the text written next
	cur    stream   // open stream, or nil
	curKey []string // labels cur was opened with
	pend   byte     // separator to write before the next text: 0, ' ', '\t' or '\n'
	mark   string   // sub-location of the next text
	marked string   // sub-location last given to cur
	wrote  bool     // cur has text
	n      int      // text writes so far, in all streams: tells a walker whether an element had text
	err    error    // first failure of a stream: the walkers stop
}

func newSink(open opener) *sink { return &sink{open: open} }

// at sets the labels of the text written from now on; a change ends the
// open stream (the next text opens a new one).
func (s *sink) at(labels ...string) {
	if s.cur != nil && slices.Equal(labels, s.curKey) {
		s.labels = s.curKey
		return
	}
	s.end()
	s.labels = slices.Clone(labels)
}

// markAt names the sub-location (cell, comment) of the text written next.
func (s *sink) markAt(label string) { s.mark = label }

// sep asks for a separator before the next text; a newline outranks a tab,
// which outranks a space.
func (s *sink) sep(c byte) {
	if rank(c) > rank(s.pend) {
		s.pend = c
	}
}

// setSep replaces the pending separator whatever its rank: a table cell
// ends with a tab even though its last paragraph asked for a newline.
func (s *sink) setSep(c byte) { s.pend = c }

func rank(c byte) int {
	switch c {
	case ' ':
		return 1
	case '\t':
		return 2
	case '\n':
		return 3
	}
	return 0
}

// text writes b at the current labels and mark.
func (s *sink) text(b []byte) {
	if len(b) == 0 || s.err != nil {
		return
	}
	s.prepare()
	if s.err == nil {
		if _, err := s.cur.Write(b); err != nil {
			s.err = err
		}
	}
}

// str writes t like text.
func (s *sink) str(t string) {
	if t == "" || s.err != nil {
		return
	}
	s.prepare()
	if s.err == nil {
		if _, err := s.cur.WriteString(t); err != nil {
			s.err = err
		}
	}
}

// prepare opens the stream, writes the pending separator and the mark.
func (s *sink) prepare() {
	if s.cur == nil {
		s.cur, s.curKey = s.open(s.labels), s.labels
		s.wrote, s.marked = false, ""
	}
	if s.pend != 0 && s.wrote {
		if _, err := s.cur.Write([]byte{s.pend}); err != nil {
			s.err = err
			return
		}
	}
	s.pend = 0
	if s.mark != s.marked {
		s.cur.Mark(s.mark)
		s.marked = s.mark
	}
	s.wrote = true
	s.n++
}

// count changes whenever text is written; a walker compares it before
// and after an element to know whether the element had text.
func (s *sink) count() int { return s.n }

// end closes the open stream, keeping the engine's error.
func (s *sink) end() {
	if s.cur != nil {
		if s.pend == '\n' && s.err == nil {
			// A last newline keeps line-anchored patterns whole.
			if _, err := s.cur.Write([]byte{'\n'}); err != nil {
				s.err = err
			}
		}
		if err := s.cur.Close(); err != nil && s.err == nil {
			s.err = err
		}
		s.cur, s.curKey = nil, nil
	}
	s.pend, s.mark, s.marked, s.wrote = 0, "", "", false
}

// close ends the open stream and returns the first stream failure.
func (s *sink) close() error {
	s.end()
	return s.err
}
