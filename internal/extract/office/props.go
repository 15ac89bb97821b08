package office

import (
	"encoding/xml"
	"io"
	"strings"
)

// Document properties are a small "metadata" stream of "key: value" lines:
// a title, an author, keywords or a custom property can be exactly what a
// rule looks for.

// ooxmlProps reads docProps/core.xml, app.xml and custom.xml.
func (d *doc) ooxmlProps() error {
	core, app, custom := "docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"
	for _, r := range d.p.rels("") {
		switch r.kind() {
		case "core-properties", "metadata/core-properties":
			core = r.target
		case "extended-properties":
			app = r.target
		case "custom-properties":
			custom = r.target
		}
	}
	keys := map[string]bool{"title": true, "subject": true, "creator": true, "keywords": true,
		"description": true, "lastModifiedBy": true, "category": true, "contentStatus": true,
		"Company": true, "Manager": true, "HyperlinkBase": true, "property": true}
	for _, part := range []string{core, app, custom} {
		if err := d.part(part, []string{"metadata"}, func(r io.Reader) error {
			return walkProps(r, d.s, keys, "property", "name")
		}); err != nil {
			return err
		}
	}
	d.s.end()
	return d.s.err
}

// maxProp bounds one property's value.
const maxProp = 1 << 20

// walkProps writes "key: value" for each element whose local name is in
// keys. The element named byAttr (a custom property) takes its key from its
// attribute keyAttr and its value from the text of its children.
func walkProps(r io.Reader, s *sink, keys map[string]bool, byAttr, keyAttr string) error {
	d := newDecoder(r)
	var key string
	depth, at := 0, -1 // at is the depth of the open property element
	val := textBuf{max: maxProp}
	flush := func() {
		v := strings.TrimSpace(string(val.b))
		if v != "" && key != "" {
			s.str(key)
			s.str(": ")
			s.str(v)
			s.sep('\n')
		}
		val.reset()
		key, at = "", -1
	}
	for {
		tok, err := d.RawToken()
		if err != nil {
			flush()
			return partError(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				return errDepth
			}
			if at >= 0 || !keys[e.Name.Local] {
				continue
			}
			key, at = e.Name.Local, depth
			if e.Name.Local == byAttr {
				key = attr(e, keyAttr)
			}
		case xml.EndElement:
			if depth == at {
				flush()
			}
			depth--
		case xml.CharData:
			if at >= 0 {
				val.add(e)
			}
		}
	}
}
