package office

import (
	"encoding/xml"
	"io"
	"strconv"
)

// vsdx reads a Visio drawing: each page in the order of visio/pages/pages.xml
// as "page:N", the text of its shapes and their shape data, then metadata,
// links and embedded objects.
func (d *doc) vsdx(main string) error {
	tk := &ticker{ctx: d.ctx}
	pagesPart := "visio/pages/pages.xml"
	for _, r := range d.p.rels(main) {
		if r.kind() == "pages" && !r.external {
			pagesPart = r.target
		}
	}
	prels := d.p.rels(pagesPart)
	ids := byID(prels)
	var order []string
	if err := d.part(pagesPart, []string{pagesPart}, func(r io.Reader) error {
		var err error
		order, err = readVisioPages(r, tk)
		return err
	}); err != nil {
		return err
	}
	var pages []string
	for _, id := range order {
		if r, ok := ids[id]; ok && !r.external {
			pages = append(pages, r.target)
		}
	}
	if len(pages) == 0 {
		for _, r := range ofKind(prels, "page") {
			if !r.external {
				pages = append(pages, r.target)
			}
		}
	}
	for i, page := range pages {
		if err := d.part(page, []string{"page:" + strconv.Itoa(i+1)}, func(r io.Reader) error {
			return walkVisio(r, d.s, tk)
		}); err != nil {
			return err
		}
	}
	d.s.end()
	return d.ooxmlTail()
}

// readVisioPages returns the relationship ids of the pages in order.
func readVisioPages(r io.Reader, tk *ticker) ([]string, error) {
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
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Rel" && len(out) < maxSlides {
			out = append(out, relID(se))
		}
	}
}

// walkVisio writes a page's shape text (Text elements, fields included),
// one shape a line, and the label and value of each shape data row
// (Section N="Property"), where a diagram keeps names, addresses and
// asset data.
func walkVisio(r io.Reader, s *sink, tk *ticker) error {
	d := newDecoder(r)
	var st frames
	propDepth := 0 // depth of the open Property section, 0 when none
	for {
		tok, err := d.RawToken()
		if err != nil {
			return partError(err)
		}
		if err := tk.tick(); err != nil {
			return err
		}
		if s.err != nil {
			return nil
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if len(st) >= maxDepth {
				return errDepth
			}
			st = append(st, frame{e.Name.Local, s.count()})
			switch e.Name.Local {
			case "Section":
				if attr(e, "N") == "Property" && propDepth == 0 {
					propDepth = len(st)
				}
			case "Cell":
				if n := attr(e, "N"); propDepth > 0 && (n == "Label" || n == "Value") {
					s.sep('\t')
					s.str(attr(e, "V"))
				}
			}
		case xml.EndElement:
			if len(st) == propDepth {
				propDepth = 0
			}
			switch st.pop().local {
			case "Text", "Row":
				s.sep('\n')
			}
		case xml.CharData:
			switch st.top() {
			case "Text", "fld":
				s.text(e)
			}
		}
	}
}
