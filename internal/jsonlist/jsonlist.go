// Package jsonlist writes a JSON document whose one long list is too large
// to hold: a report of a million findings, a baseline, an export of the
// inventory. encoding/json encodes the document with a two-space indent and
// that list empty (its frame); the list's elements are then written into
// it one at a time, each indented where it stands. The bytes are those of
// encoding the whole document at once.
package jsonlist

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

// A Writer writes one document.
type Writer struct {
	bw       *bufio.Writer
	key      string
	prefix   string // the indent of the list's elements
	n        int
	indented []byte
}

// New writes frame up to the opening bracket of its list named key: the
// last `"key": [` in frame, so that the list is the one that ends the
// frame's fields (what comes after it may not hold that text).
func New(w io.Writer, frame []byte, key string) *Writer {
	l := &Writer{bw: bufio.NewWriterSize(w, 64<<10), key: key}
	at := l.after(frame)
	line := frame[bytes.LastIndexByte(frame[:at], '\n')+1 : at]
	l.prefix = strings.Repeat(" ", len(line)-len(bytes.TrimLeft(line, " "))+2)
	l.bw.Write(frame[:at])
	return l
}

// after returns the place in frame just past the list's opening bracket.
func (l *Writer) after(frame []byte) int {
	open := []byte(`"` + l.key + `": [`)
	return bytes.LastIndex(frame, open) + len(open)
}

// Add writes the next element of the list, given as compact JSON (what
// json.Marshal or an Encoder without indent writes; a trailing newline is
// dropped).
func (l *Writer) Add(compact []byte) error {
	if l.n > 0 {
		l.bw.WriteByte(',')
	}
	l.n++
	l.bw.WriteByte('\n')
	l.bw.WriteString(l.prefix)
	l.indented = AppendIndented(l.indented[:0], bytes.TrimSuffix(compact, []byte("\n")), l.prefix)
	_, err := l.bw.Write(l.indented)
	return err
}

// AddValue writes v, encoded by encoding/json, as the next element.
func (l *Writer) AddValue(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return l.Add(b)
}

// End writes the rest of the document after the list: frame's, which may
// differ from the frame given to New in what follows the list (a cursor
// known only once the list is written), and flushes.
func (l *Writer) End(frame []byte) error {
	if l.n > 0 {
		l.bw.WriteByte('\n')
		l.bw.WriteString(l.prefix[:len(l.prefix)-2])
	}
	l.bw.Write(frame[l.after(frame):])
	return l.bw.Flush()
}

// AppendIndented appends the compact JSON src as json.Indent would with
// prefix and a two-space indent: a newline, prefix and the depth's indent
// after each opening bracket and comma and before each closing one, ": "
// between key and value, empty objects and arrays left as {} and []. It
// trusts src to be what encoding/json (or a writer held to its bytes)
// wrote: valid, no space outside strings, which lets it copy each string
// whole. The JSON report spent more time in encoding/json's indenting, a
// state function call a byte, than the scan of 450k findings spent in any
// rule.
func AppendIndented(dst, src []byte, prefix string) []byte {
	const indent = "  "
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			end := closingQuote(src, i+1)
			dst = append(dst, src[i:end+1]...)
			i = end
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			dst = append(dst, c)
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// closingQuote returns the place of the quote that ends the string whose
// text begins at from: the first one not escaped by an odd run of
// backslashes before it. A string cut short ends at the end of src.
func closingQuote(src []byte, from int) int {
	for {
		k := bytes.IndexByte(src[from:], '"')
		if k < 0 {
			return len(src) - 1
		}
		q := from + k
		slashes := 0
		for j := q - 1; j >= from && src[j] == '\\'; j-- {
			slashes++
		}
		if slashes%2 == 0 {
			return q
		}
		from = q + 1
	}
}
