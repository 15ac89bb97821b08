package office

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// The walkers read tokens with RawToken: no namespace translation, no
// element stack, so memory does not grow with the document. They match
// elements by local name, which holds across the prefixes producers choose
// and across transitional and strict OOXML namespaces.
type startElem = xml.StartElement

// maxDepth bounds element nesting: no real document comes near it, and a
// walker that keeps per-level state must not grow without end.
const maxDepth = 10000

var errDepth = fmt.Errorf("XML nested deeper than %d elements", maxDepth)

// newDecoder reads XML from r, transcoding UTF-16 (which encoding/xml does
// not read) and, through the declaration, legacy charsets.
func newDecoder(r io.Reader) *xml.Decoder {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	var in io.Reader = br
	if bom, _ := br.Peek(2); len(bom) == 2 && (bom[0] == 0xFF && bom[1] == 0xFE || bom[0] == 0xFE && bom[1] == 0xFF) {
		in = bufio.NewReaderSize(transform.NewReader(br, unicode.BOMOverride(unicode.UTF8.NewDecoder())), 64<<10)
	}
	d := xml.NewDecoder(in)
	// Lenient: a stray '&' or an unknown entity in a damaged document is
	// kept as text rather than ending the part.
	d.Strict = false
	d.CharsetReader = charsetReader
	return d
}

func charsetReader(label string, in io.Reader) (io.Reader, error) {
	if strings.HasPrefix(strings.ToLower(label), "utf-16") {
		return in, nil // transcoded by newDecoder from its byte order mark
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unknown XML encoding %q", label)
	}
	return enc.NewDecoder().Reader(in), nil
}

// attr returns the value of the attribute with local name local.
func attr(se startElem, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// relID is the relationship id of an element (r:id): the prefixed "id"
// attribute, not an unprefixed one such as a slide's numeric id.
func relID(se startElem) string {
	for _, a := range se.Attr {
		if a.Name.Local == "id" && a.Name.Space != "" && a.Name.Space != "xml" {
			return a.Value
		}
	}
	return ""
}

// partError tells a damaged part (recorded, siblings go on) from the end of
// the input, which is not an error.
func partError(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// skipper skips a subtree while the walker goes on reading tokens: set it
// at a start element and feed it every token.
type skipper struct{ depth int }

// feed returns true while the token belongs to the skipped subtree.
func (s *skipper) feed(tok xml.Token) bool {
	if s.depth == 0 {
		return false
	}
	switch tok.(type) {
	case xml.StartElement:
		s.depth++
	case xml.EndElement:
		s.depth--
	}
	return true
}

func (s *skipper) start() { s.depth = 1 }

// textBuf collects the text of one element (a cell value, a formula) up to
// a bound; what is beyond the bound is dropped, not held.
type textBuf struct {
	b   []byte
	max int
}

func (t *textBuf) add(p []byte) {
	if room := t.max - len(t.b); room > 0 {
		t.b = append(t.b, p[:min(len(p), room)]...)
	}
}

func (t *textBuf) reset() { t.b = t.b[:0] }
