package markup

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/olepkg"
	"github.com/leakguard/leakguard/internal/finding"
)

// maxObject bounds one embedded object decoded from \objdata; maxPending
// bounds the objects held while the text stream is open.
const (
	maxObject  = 64 << 20
	maxPending = 64 << 20
)

// embedded is an object found in \objdata.
type embedded struct {
	label string // "embedded:objdata<N>"
	name  string // a file name for type hints
	data  []byte
	err   error // why the object is not sent (too large)
}

// objNibble adds one hex digit of \objdata; other bytes (white space,
// line breaks) are ignored.
func (p *rtfParser) objNibble(c byte) {
	d, ok := hexDigit(c)
	if !ok {
		return
	}
	if p.nibble < 0 {
		p.nibble = int(d)
		return
	}
	p.objByte(byte(p.nibble)<<4 | d)
	p.nibble = -1
}

func (p *rtfParser) objByte(b byte) {
	if len(p.obj) >= maxObject {
		p.objBig = true
		return
	}
	p.obj = append(p.obj, b)
}

// endObject hands the decoded object on, unwrapped from its OLE 1.0
// header.
func (p *rtfParser) endObject() error {
	p.nobj++
	e := embedded{label: fmt.Sprintf("embedded:objdata%d", p.nobj)}
	switch {
	case p.objBig:
		e.err = &extract.LimitError{Limit: "buffer",
			Msg: fmt.Sprintf("embedded object larger than %d bytes: not opened", maxObject)}
	case len(p.obj) == 0:
		return nil
	default:
		data, name := oleObject(p.obj, p.objClass)
		if len(data) == 0 {
			return nil // a linked object: nothing embedded
		}
		e.data = bytes.Clone(data)
		e.name = name
		if e.name == "" {
			e.name = fmt.Sprintf("objdata%d%s", p.nobj, olepkg.ClassExt(p.objClass))
		}
	}
	p.obj, p.nibble, p.objBig = p.obj[:0], -1, false
	if p.objects == nil {
		return nil
	}
	return p.objects(e)
}

// oleObject unwraps an OLE 1.0 object (the format \objdata holds): a
// version, a format (2 for embedded), the class name, topic and item
// names, then the native data. A packager object ("Package") holds a file
// whose name and bytes are returned. Anything that does not parse is
// returned as it is.
func oleObject(b []byte, class string) (data []byte, name string) {
	p := b
	u32 := func() (uint32, bool) {
		if len(p) < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(p)
		p = p[4:]
		return v, true
	}
	str := func() (string, bool) {
		n, ok := u32()
		if !ok || uint64(n) > uint64(len(p)) {
			return "", false
		}
		s := strings.TrimRight(string(p[:n]), "\x00")
		p = p[n:]
		return s, true
	}
	if _, ok := u32(); !ok {
		return b, ""
	}
	format, _ := u32()
	switch format {
	case 1, 5:
		return nil, "" // linked, or a static picture: no content of its own
	case 2:
	default:
		return b, ""
	}
	cls, ok1 := str()
	_, ok2 := str()
	_, ok3 := str()
	size, ok4 := u32()
	if !ok1 || !ok2 || !ok3 || !ok4 || uint64(size) > uint64(len(p)) {
		return b, ""
	}
	native := p[:size]
	if strings.EqualFold(cls, "Package") {
		if file, payload, ok := olepkg.Unpack(native); ok {
			return payload, file
		}
	}
	return native, ""
}

// rtfSink is the RTF extractor's side of the registry: the open text
// stream, and the embedded objects held until it is closed.
type rtfSink struct {
	ctx     context.Context
	out     extract.Emitter
	tw      *extract.TextWriter
	held    []embedded
	pending int
}

// WriteString writes to the current text stream.
func (s *rtfSink) WriteString(str string) (int, error) { return s.tw.WriteString(str) }

// add holds an object; past maxPending the text stream is closed, the
// objects are extracted, and a new stream continues the text.
func (s *rtfSink) add(e embedded) error {
	s.held = append(s.held, e)
	s.pending += len(e.data)
	if s.pending <= maxPending {
		return nil
	}
	if err := s.tw.Close(); err != nil {
		return err
	}
	if err := s.flush(); err != nil {
		return err
	}
	s.tw = s.out.Text(s.ctx)
	return nil
}

// flush extracts the held objects; the text stream must be closed.
func (s *rtfSink) flush() error {
	held := s.held
	s.held, s.pending = nil, 0
	for _, e := range held {
		if e.err != nil {
			if err := s.out.Problem(s.ctx, []string{e.label}, finding.ReasonLimit, e.err); err != nil {
				return err
			}
			continue
		}
		m := extract.Member{Label: e.label, Name: e.name, Size: int64(len(e.data)), Compressed: -1,
			R: bytes.NewReader(e.data)}
		if err := s.out.Child(s.ctx, m); err != nil {
			return err
		}
	}
	return nil
}
