package markup

import (
	"io"
	"strings"
)

// maxAside bounds the lines owed to the next line break (attribute values
// of inline elements, field instructions): a paragraph of ten thousand
// links must not hold them all in memory.
const maxAside = 64 << 10

// lineWriter writes extracted text with the separators the engine needs:
// words kept apart, one line per block or paragraph, a tab between cells.
// Side text that belongs to an inline element (a link's title, a field's
// instruction) is owed to the end of the current line, so that the running
// text stays whole and the side text still sits on a line of its own.
type lineWriter struct {
	w     io.StringWriter
	start bool // at the start of a line: nothing written on it yet
	owed  byte // separator owed before the next text: 0, ' ' or '\t'
	aside []string
	asize int
	err   error
}

func newLineWriter(w io.StringWriter) *lineWriter { return &lineWriter{w: w, start: true} }

func (l *lineWriter) put(s string) {
	if l.err != nil || s == "" {
		return
	}
	_, l.err = l.w.WriteString(s)
}

// text writes s as it is (newlines included), after any owed separator.
func (l *lineWriter) text(s string) {
	if s == "" {
		return
	}
	if l.owed != 0 {
		if !l.start || l.owed == '\t' {
			l.put(string(l.owed))
		}
		l.owed = 0
	}
	l.put(s)
	l.start = s[len(s)-1] == '\n'
	if l.start && len(l.aside) > 0 {
		l.flushAside()
	}
}

// words writes s with every run of white space folded to one space, as a
// browser shows it.
func (l *lineWriter) words(s string) {
	for s != "" {
		i := strings.IndexFunc(s, isSpace)
		if i < 0 {
			l.text(s)
			return
		}
		l.text(s[:i])
		if l.owed == 0 {
			l.owed = ' '
		}
		j := strings.IndexFunc(s[i:], notSpace)
		if j < 0 {
			return
		}
		s = s[i+j:]
	}
}

func isSpace(r rune) bool  { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' }
func notSpace(r rune) bool { return !isSpace(r) }

// tab separates table cells. A tab at the start of a line is kept, so the
// columns of a row with an empty first cell stay apart.
func (l *lineWriter) tab() { l.owed = '\t' }

// space keeps two pieces of text apart without breaking the line.
func (l *lineWriter) space() {
	if l.owed == 0 && !l.start {
		l.owed = ' '
	}
}

// newline ends the current line, if anything was written on it, and writes
// the side lines owed to it.
func (l *lineWriter) newline() {
	l.owed = 0
	if !l.start {
		l.put("\n")
		l.start = true
	}
	if len(l.aside) > 0 {
		l.flushAside()
	}
}

// line writes s on a line of its own, now.
func (l *lineWriter) line(s string) {
	l.newline()
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return
	}
	l.put(s)
	l.put("\n")
}

// later owes s, on a line of its own, to the next line break.
func (l *lineWriter) later(s string) {
	if s == "" {
		return
	}
	l.aside = append(l.aside, s)
	l.asize += len(s)
	if l.asize > maxAside {
		l.newline()
	}
}

func (l *lineWriter) flushAside() {
	aside := l.aside
	l.aside, l.asize = nil, 0
	for _, s := range aside {
		l.put(strings.TrimRight(s, "\n"))
		l.put("\n")
	}
}

// close ends the text: the last line and what is owed to it.
func (l *lineWriter) close() error {
	l.newline()
	return l.err
}
