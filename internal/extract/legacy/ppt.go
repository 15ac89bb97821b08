package legacy

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/olepkg"
	"github.com/leakguard/leakguard/internal/finding"
)

// maxStream bounds the "PowerPoint Document" stream read into memory: its
// records point at each other by offset.
const maxStream = 256 << 20

// presentation is a parsed "PowerPoint Document" stream.
type presentation struct {
	s       []byte
	persist map[uint32]uint32 // persist object id → offset in s
	doc     record            // the DocumentContainer
}

// pptObject is an embedded OLE object of the presentation.
type pptObject struct {
	persist uint32 // persist id of its ExOleObjStg record
	progID  string
}

// extractPpt writes a presentation's text slide by slide ("slide:N" marks
// in one stream: the slide's own text boxes, its placeholder text and its
// notes, comments included), then its masters' text and its hyperlinks,
// and sends its embedded OLE objects back to the registry.
func extractPpt(ctx context.Context, n *extract.Node, out extract.Emitter) error {
	at, size, err := out.Random(ctx)
	if err != nil {
		return err
	}
	user, stream, err := pptStreams(at, size)
	if err != nil {
		return err
	}
	if u32(user, 12) == tokenEncrypted {
		return fmt.Errorf("password-protected presentation: %w", extract.ErrEncrypted)
	}
	tw := out.Text(ctx)
	w := &slideWriter{tw: tw}
	p, objects := readPresentation(user, stream, w)
	if err := tw.Close(); err != nil {
		return err
	}
	if w.err != nil {
		return w.err
	}
	for i, o := range objects {
		if err := p.emitObject(ctx, out, i+1, o); err != nil {
			return err
		}
	}
	return nil
}

// readPresentation writes the text of a presentation's streams to w and
// returns its embedded objects.
func readPresentation(user, stream []byte, w *slideWriter) (*presentation, []pptObject) {
	p := &presentation{s: stream}
	if u32(user, 12) == tokenPlain && p.load(u32(user, 16)) {
		return p, p.write(w)
	}
	// No usable edit chain: every text atom of the stream, in stream
	// order, without slide numbers, each distinct text once.
	w.seen = map[string]bool{}
	all := record{ver: 0xF, off: -8, data: stream}
	all.walk(func(r record) bool {
		if s, ok := r.text(); ok && r.typ != rtCString {
			w.line(s)
		}
		return true
	})
	return p, nil
}

// pptStreams reads the "Current User" and "PowerPoint Document" streams.
// mscfb reads untrusted bytes, so a panic in it is an error.
func pptStreams(at io.ReaderAt, size int64) (user, doc []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = extract.Failure(finding.ReasonCorrupt, "corrupt compound file: %v", r)
		}
	}()
	cf, err := mscfb.New(io.NewSectionReader(at, 0, size))
	if err != nil {
		return nil, nil, extract.Failure(finding.ReasonCorrupt, "not a readable compound file: %v", err)
	}
	var docFile, userFile *mscfb.File
	for _, f := range cf.File {
		if len(f.Path) != 0 {
			continue
		}
		switch {
		case strings.EqualFold(f.Name, "PowerPoint Document"):
			docFile = f
		case strings.EqualFold(f.Name, "Current User"):
			userFile = f
		case strings.EqualFold(f.Name, "EncryptedSummary"):
			return nil, nil, fmt.Errorf("password-protected presentation: %w", extract.ErrEncrypted)
		}
	}
	if docFile == nil {
		return nil, nil, extract.Failure(finding.ReasonUnsupported, "no PowerPoint Document stream (PowerPoint 95 or older?)")
	}
	if docFile.Size > maxStream {
		return nil, nil, &extract.LimitError{Limit: "buffer",
			Msg: fmt.Sprintf("PowerPoint Document stream of %d bytes, more than %d: not opened", docFile.Size, maxStream)}
	}
	doc, err = io.ReadAll(io.LimitReader(docFile, docFile.Size))
	if err != nil && len(doc) == 0 {
		return nil, nil, extract.Failure(finding.ReasonCorrupt, "PowerPoint Document stream: %v", err)
	}
	if userFile != nil && userFile.Size < 1<<16 {
		user, _ = io.ReadAll(io.LimitReader(userFile, userFile.Size))
	}
	return user, doc, nil
}

// load follows the chain of user edits from the current one, builds the
// persist directory (newer edits override older ones) and finds the
// document container. It reports whether the structure is usable.
func (p *presentation) load(current uint32) bool {
	type edit struct{ dir, doc uint32 }
	var edits []edit
	seen := map[uint32]bool{}
	for off := current; len(edits) < 4096 && !seen[off]; {
		seen[off] = true
		r, ok := recordAt(p.s, int(off))
		if !ok || r.typ != rtUserEditAtom || len(r.data) < 28 {
			break
		}
		edits = append(edits, edit{dir: u32(r.data, 12), doc: u32(r.data, 16)})
		off = u32(r.data, 8)
		if off == 0 {
			break
		}
	}
	if len(edits) == 0 {
		return false
	}
	p.persist = map[uint32]uint32{}
	for i := len(edits) - 1; i >= 0; i-- {
		r, ok := recordAt(p.s, int(edits[i].dir))
		if !ok || r.typ != rtPersistDirectory {
			continue
		}
		for at := 0; at+4 <= len(r.data); {
			v := u32(r.data, at)
			id, count := v&0xFFFFF, int(v>>20)
			at += 4
			for k := 0; k < count && at+4 <= len(r.data); k++ {
				p.persist[id+uint32(k)] = u32(r.data, at)
				at += 4
			}
		}
	}
	doc, ok := p.object(edits[0].doc, rtDocument)
	p.doc = doc
	return ok
}

// object returns the persist object id if it is a record of type typ.
func (p *presentation) object(id uint32, typ uint16) (record, bool) {
	off, ok := p.persist[id]
	if !ok {
		return record{}, false
	}
	r, ok := recordAt(p.s, int(off))
	return r, ok && r.typ == typ
}

// write writes the slides' text, then the hyperlinks, and returns the
// embedded objects to extract once the text stream is closed.
func (p *presentation) write(w *slideWriter) []pptObject {
	var slides, masters []uint32 // persist ids of the slides and masters, in order
	placeholders := [][]string{} // each slide's text in the slide list
	p.doc.children(func(c record) bool {
		if c.typ != rtSlideListWithText {
			return true
		}
		if c.inst == 1 {
			c.children(func(a record) bool {
				if a.typ == rtSlidePersistAtom {
					masters = append(masters, u32(a.data, 0))
				}
				return true
			})
		}
		if c.inst != 0 {
			return true
		}
		c.children(func(a record) bool {
			switch {
			case a.typ == rtSlidePersistAtom:
				slides = append(slides, u32(a.data, 0))
				placeholders = append(placeholders, nil)
			case len(slides) > 0:
				if s, ok := a.text(); ok {
					placeholders[len(slides)-1] = append(placeholders[len(slides)-1], s)
				}
			}
			return true
		})
		return true
	})
	// Each container is walked once, however many slides point at it: a
	// crafted file must not make the walk quadratic.
	walked := map[int]bool{}
	for i, id := range slides {
		w.slide(i + 1)
		for _, s := range placeholders[i] {
			w.line(s)
		}
		slide, ok := p.object(id, rtSlide)
		if !ok || walked[slide.off] {
			continue
		}
		walked[slide.off] = true
		var notes uint32
		slide.children(func(c record) bool {
			if c.typ == rtSlideAtom {
				notes = u32(c.data, 16)
			}
			return true
		})
		p.shapeText(slide, w)
		if nr, ok := p.object(notes, rtNotes); ok && !walked[nr.off] {
			walked[nr.off] = true
			p.shapeText(nr, w)
		}
	}
	// Masters: footers and text every slide shows, and the placeholder
	// prompts, at no slide in particular.
	w.slide(0)
	for _, id := range masters {
		if m, ok := p.object(id, rtMainMaster); ok && !walked[m.off] {
			walked[m.off] = true
			p.shapeText(m, w)
		}
	}
	var objects []pptObject
	p.doc.children(func(c record) bool {
		if c.typ != rtExObjList {
			return true
		}
		c.children(func(x record) bool {
			switch x.typ {
			case rtExHyperlink:
				x.children(func(s record) bool {
					if t, ok := s.text(); ok && s.typ == rtCString {
						w.line(t)
					}
					return true
				})
			case rtExOleEmbed:
				var o pptObject
				x.children(func(s record) bool {
					switch {
					case s.typ == rtExOleObjAtom:
						o.persist = u32(s.data, 16)
					case s.typ == rtCString && s.inst == 2:
						o.progID, _ = s.text()
					}
					return true
				})
				if o.persist != 0 {
					objects = append(objects, o)
				}
			}
			return true
		})
		return true
	})
	return objects
}

// shapeText writes the text atoms of a slide or notes container (its text
// boxes) and the CStrings of its comments.
func (p *presentation) shapeText(r record, w *slideWriter) {
	r.walk(func(c record) bool {
		switch c.typ {
		case rtTextCharsAtom, rtTextBytesAtom:
			s, _ := c.text()
			w.line(s)
		case rtComment10:
			c.walk(func(s record) bool {
				if t, ok := s.text(); ok {
					w.line(t)
				}
				return true
			})
			return false
		}
		return true
	})
}

// emitObject sends an embedded OLE object (a compound file, zlib
// compressed when the record's instance is 1) back to the registry.
func (p *presentation) emitObject(ctx context.Context, out extract.Emitter, i int, o pptObject) error {
	label := "embedded:object" + strconv.Itoa(i)
	r, ok := p.object(o.persist, rtExOleObjStg)
	if !ok {
		return nil
	}
	m := extract.Member{Label: label, Name: "object" + strconv.Itoa(i) + olepkg.ClassExt(o.progID),
		Size: int64(len(r.data)), Compressed: -1, R: bytes.NewReader(r.data)}
	if r.inst == 1 {
		if len(r.data) < 4 {
			return nil
		}
		zr, err := zlib.NewReader(bytes.NewReader(r.data[4:]))
		if err != nil {
			return out.Problem(ctx, []string{label}, finding.ReasonCorrupt, fmt.Errorf("compressed OLE object: %w", err))
		}
		defer zr.Close()
		// Read up to the declared size: some writers leave out the zlib
		// trailer, and its checksum adds nothing to the content.
		size := int64(u32(r.data, 0))
		m.Size, m.Compressed, m.R = size, int64(len(r.data)-4), io.LimitReader(zr, size)
	}
	return out.Child(ctx, m)
}

// slideWriter writes a presentation's text, one line per paragraph, with
// the slide it belongs to, each distinct text once per slide (placeholder
// text is often stored both in the slide list and in the slide).
type slideWriter struct {
	tw interface {
		WriteString(s string) (int, error)
		Mark(label string)
	}
	seen map[string]bool
	err  error
}

func (w *slideWriter) slide(n int) {
	w.seen = map[string]bool{}
	if n == 0 {
		w.tw.Mark("")
		return
	}
	w.tw.Mark("slide:" + strconv.Itoa(n))
}

func (w *slideWriter) line(s string) {
	s = strings.TrimSpace(s)
	if s == "" || w.err != nil || w.seen[s] {
		return
	}
	if w.seen != nil && len(w.seen) < 4096 {
		w.seen[s] = true
	}
	if _, err := w.tw.WriteString(s + "\n"); err != nil {
		w.err = err
	}
}
