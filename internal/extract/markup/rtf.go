package markup

import (
	"bufio"
	"context"
	"errors"
	"io"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// maxDepth is the deepest group nesting an RTF document may have; Word
// never comes near it, a crafted file would exhaust memory without it.
const maxDepth = 1000

// errTooDeep says a document nests groups past maxDepth.
var errTooDeep = errors.New("rtf: groups nested more than 1000 deep")

// dest is what the text of a group is: where the parser sends it.
type dest uint8

const (
	dText      dest = iota // document text
	dNote                  // a footnote or comment: text on lines of its own
	dSkip                  // not text: pictures, tables of fonts and styles, unknown \* groups
	dFontTable             // font definitions: their charsets decide how \'hh decodes
	dInfo                  // document properties: only the fields below are text
	dField                 // one property (title, author…): written as "name: value"
	dAside                 // a field instruction (HYPERLINK "…"): its own line, at the next break
	dObjData               // an embedded object, hex-encoded
	dObjClass              // the embedded object's class name
)

// group is the state a '{' saves and a '}' restores.
type group struct {
	dest  dest
	field string // the property a dField group holds
	uc    int    // fallback characters that follow \uN
	font  int    // current font, -1 for the document's default
	star  bool   // \* seen: the next control word is an optional destination
}

// rtfParser reads RTF as a stream of bytes.
type rtfParser struct {
	r     *bufio.Reader
	lw    *lineWriter
	g     group
	stack []group

	ansicpg int         // the document's code page (\ansicpg)
	deff    int         // the default font (\deff)
	fonts   map[int]int // font number to code page, from the font table
	fontDef int         // the font the font table is defining

	run     []byte // plain text not yet sent to its destination
	hex     []byte // \'hh bytes not yet decoded
	hexCP   int    // the code page hex was written in
	lead    bool   // hex ends with the lead byte of a double-byte character
	skip    int    // fallback characters still to skip after \uN
	high    rune   // a high surrogate waiting for its low half
	collect []byte // the text of the dField or dAside being read
	dec     decoders

	obj      []byte // the object being decoded
	nibble   int    // a pending half byte of obj, or -1
	objClass string
	objBig   bool
	nobj     int
	objects  func(embedded) error // receives each embedded object
}

func newRTFParser(r io.Reader, lw *lineWriter, objects func(embedded) error) *rtfParser {
	return &rtfParser{r: bufio.NewReaderSize(r, 64<<10), lw: lw, g: group{uc: 1, font: -1},
		ansicpg: 1252, fonts: map[int]int{}, fontDef: -1, nibble: -1, objects: objects}
}

// extractRTF writes an RTF document's text and sends its embedded objects
// back to the registry. Objects are held until the text stream is closed
// (a child must not be extracted while this node's stream is open), up to
// maxPending bytes, past which the stream is closed early and reopened.
func extractRTF(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	s := &rtfSink{ctx: ctx, out: out}
	s.tw = out.Text(ctx)
	lw := newLineWriter(s)
	p := newRTFParser(n.R, lw, s.add)
	err := p.parse(ctx)
	if cerr := lw.close(); err == nil {
		err = cerr
	}
	if cerr := s.tw.Close(); cerr != nil {
		return cerr
	}
	s.tw = nil
	if cerr := s.flush(); cerr != nil {
		return cerr
	}
	if errors.Is(err, errTooDeep) {
		return extract.Failure(finding.ReasonCorrupt, "%v: the rest is not scanned", err)
	}
	return err
}

// parse reads the document to its end.
func (p *rtfParser) parse(ctx context.Context) error {
	for i := 0; ; i++ {
		if i&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if p.lw.err != nil {
				return p.lw.err
			}
		}
		c, err := p.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				p.flush()
				return p.endAll()
			}
			return err
		}
		switch c {
		case '{':
			p.flush()
			if len(p.stack) >= maxDepth {
				return errTooDeep
			}
			p.stack = append(p.stack, p.g)
			p.g.star = false
			p.skip = 0
		case '}':
			if err := p.pop(); err != nil {
				return err
			}
		case '\\':
			if err := p.control(); err != nil {
				return err
			}
		case '\r', '\n':
			// line breaks in the file are not text
		case '\t':
			p.sep('\t')
		default:
			if p.skip > 0 {
				p.skip--
				continue
			}
			p.char(c)
		}
	}
}

// pop ends a group: what it collected goes out, the outer state returns.
func (p *rtfParser) pop() error {
	p.flush()
	p.skip = 0
	if len(p.stack) == 0 {
		return nil // an unbalanced '}': ignored
	}
	inner := p.g
	p.g = p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if inner.dest == p.g.dest && inner.field == p.g.field {
		return nil
	}
	return p.end(inner)
}

// end finishes the destination of a group that closed.
func (p *rtfParser) end(g group) error {
	switch g.dest {
	case dNote:
		p.lw.newline()
	case dField:
		if s := trimSpace(p.collect); s != "" {
			p.lw.line(g.field + ": " + s)
		}
		p.collect = p.collect[:0]
	case dAside:
		if s := trimSpace(p.collect); s != "" {
			p.lw.later(s)
		}
		p.collect = p.collect[:0]
	case dObjData:
		return p.endObject()
	}
	return nil
}

// endAll closes the groups a truncated document left open.
func (p *rtfParser) endAll() error {
	for len(p.stack) > 0 {
		if err := p.pop(); err != nil {
			return err
		}
	}
	return nil
}

// char handles one literal byte of text.
func (p *rtfParser) char(c byte) {
	switch p.g.dest {
	case dText, dNote, dField, dAside:
		if c >= 0x80 || p.lead {
			p.hexByte(c)
			return
		}
		if len(p.hex) > 0 {
			p.flushHex()
		}
		p.run = append(p.run, c)
		if len(p.run) >= 4096 {
			p.flush()
		}
	case dObjData:
		p.objNibble(c)
	case dObjClass:
		if len(p.objClass) < 256 {
			p.objClass += string(c)
		}
	}
}

// text sends decoded text to the current destination.
func (p *rtfParser) text(s string) {
	if s == "" {
		return
	}
	switch p.g.dest {
	case dText, dNote:
		p.lw.text(s)
	case dField, dAside:
		if len(p.collect)+len(s) <= maxAside {
			p.collect = append(p.collect, s...)
		}
	}
}

// flush sends pending text to the current destination.
func (p *rtfParser) flush() {
	if len(p.hex) > 0 {
		p.flushHex()
	}
	if len(p.run) > 0 {
		p.text(string(p.run))
		p.run = p.run[:0]
	}
}

// sep writes a separator: a line break or a tab in text, a space in a
// property or field instruction.
func (p *rtfParser) sep(c byte) {
	p.flush()
	switch p.g.dest {
	case dText, dNote:
		if c == '\n' {
			p.lw.newline()
		} else {
			p.lw.tab()
		}
	case dField, dAside:
		p.text(" ")
	}
}

func trimSpace(b []byte) string {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t') {
		j--
	}
	return string(b[i:j])
}
