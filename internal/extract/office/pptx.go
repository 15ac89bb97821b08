package office

import (
	"encoding/xml"
	"io"
	"strconv"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// pptx reads a presentation: each slide in presentation order as
// "slide:N" (its shapes, tables and SmartArt text), then its speaker notes
// as "slide:N"+"notes" and its comments as "slide:N"+"comments", then
// metadata, links and embedded objects.
func (d *doc) pptx(main string) error {
	if !d.p.has(main) {
		return extract.Failure(finding.ReasonCorrupt, "presentation without its main part %s", main)
	}
	tk := &ticker{ctx: d.ctx}
	rels := d.p.rels(main)
	ids := byID(rels)
	var order []string
	if err := d.part(main, []string{main}, func(r io.Reader) error {
		var err error
		order, err = readSlideList(r, tk)
		return err
	}); err != nil {
		return err
	}
	var slides []string
	for _, id := range order {
		if r, ok := ids[id]; ok && !r.external && r.kind() == "slide" {
			slides = append(slides, r.target)
		}
	}
	if len(slides) == 0 { // no usable list: the relationships' order
		for _, r := range ofKind(rels, "slide") {
			if !r.external {
				slides = append(slides, r.target)
			}
		}
	}
	walk := func(r io.Reader) error { return walkRich(r, d.s, tk) }
	for i, slide := range slides {
		label := "slide:" + strconv.Itoa(i+1)
		if err := d.part(slide, []string{label}, walk); err != nil {
			return err
		}
		srels := d.p.rels(slide)
		for _, r := range ofKind(srels, "diagramData") {
			if err := d.part(r.target, []string{label}, walk); err != nil {
				return err
			}
		}
		for _, sub := range []string{"notesSlide", "comments"} {
			name := sub
			if sub == "notesSlide" {
				name = "notes"
			}
			for _, r := range ofKind(srels, sub) {
				if err := d.part(r.target, []string{label, name}, walk); err != nil {
					return err
				}
			}
		}
	}
	d.s.end()
	return d.ooxmlTail()
}

// maxSlides bounds the slides a presentation may list.
const maxSlides = 1 << 16

// readSlideList returns the relationship ids of sldIdLst in order.
func readSlideList(r io.Reader, tk *ticker) ([]string, error) {
	d := newDecoder(r)
	var out []string
	for {
		tok, err := d.RawToken()
		if err != nil {
			return out, partError(err)
		}
		if err := tk.tick(); err != nil {
			return out, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sldId" && len(out) < maxSlides {
			out = append(out, relID(se))
		}
	}
}
