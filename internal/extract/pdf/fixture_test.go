package pdf

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// pdfBuilder writes a minimal PDF by hand: numbered objects, a
// cross-reference table and a trailer. Text uses Helvetica, one of the
// standard 14 fonts, which needs no embedding.
type pdfBuilder struct {
	objs []string // object i+1's body
}

// add appends an object and returns its number.
func (b *pdfBuilder) add(body string) int {
	b.objs = append(b.objs, body)
	return len(b.objs)
}

// reserve returns the number of an object set later with set.
func (b *pdfBuilder) reserve() int { return b.add("null") }

func (b *pdfBuilder) set(n int, body string) { b.objs[n-1] = body }

// stream returns a stream object's body.
func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// textContent is a page content stream showing each line of text.
func textContent(lines ...string) string {
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&c, "(%s) Tj T*\n", pdfEscape(l))
	}
	c.WriteString("ET")
	return c.String()
}

func pdfEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s)
}

// bytes writes the file; root is the catalog's object number.
func (b *pdfBuilder) bytes(root int) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(b.objs))
	for i, body := range b.objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, body)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(b.objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(b.objs)+1, root, xref)
	return out.Bytes()
}

// docSpec describes a generated document.
type docSpec struct {
	pages       [][]string        // each page's lines
	attachments map[string][]byte // EmbeddedFiles name tree
	comments    map[int]string    // page index → a text annotation's comment
	fields      map[int][2]string // page index → a text field's name and value
	annotFiles  map[int][2]string // page index → a file attachment annotation's name and content
	broken      map[int]bool      // 1-based pages whose object is missing
}

// build writes the document described.
func (d docSpec) build() []byte {
	var b pdfBuilder
	catalog := b.reserve()
	pages := b.reserve()
	font := b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids, fields []string
	for i, lines := range d.pages {
		if d.broken[i+1] {
			kids = append(kids, "999 0 R") // no such object
			continue
		}
		page := b.reserve()
		content := b.add(stream("", textContent(lines...)))
		var annots []string
		if c, ok := d.comments[i]; ok {
			annots = append(annots, fmt.Sprintf("%d 0 R", b.add(fmt.Sprintf(
				"<< /Type /Annot /Subtype /Text /Rect [300 700 320 720] /Contents (%s) /P %d 0 R >>", pdfEscape(c), page))))
		}
		if f, ok := d.fields[i]; ok {
			w := b.add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (%s) /V (%s) /Rect [72 600 300 620] /P %d 0 R /F 4 >>",
				pdfEscape(f[0]), pdfEscape(f[1]), page))
			annots = append(annots, fmt.Sprintf("%d 0 R", w))
			fields = append(fields, fmt.Sprintf("%d 0 R", w))
		}
		if f, ok := d.annotFiles[i]; ok {
			spec := b.add(fileSpec(&b, f[0], []byte(f[1])))
			annots = append(annots, fmt.Sprintf("%d 0 R", b.add(fmt.Sprintf(
				"<< /Type /Annot /Subtype /FileAttachment /Rect [300 650 320 670] /FS %d 0 R /Contents (attached note) /P %d 0 R >>", spec, page))))
		}
		annotEntry := ""
		if len(annots) > 0 {
			annotEntry = " /Annots [" + strings.Join(annots, " ") + "]"
		}
		b.set(page, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R%s >>",
			pages, font, content, annotEntry))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	b.set(pages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids)))

	extra := ""
	if len(d.attachments) > 0 {
		names := make([]string, 0, len(d.attachments))
		for name := range d.attachments {
			names = append(names, name)
		}
		slices.Sort(names) // a name tree's keys are sorted
		var entries []string
		for _, name := range names {
			entries = append(entries, fmt.Sprintf("(%s) %d 0 R", pdfEscape(name), b.add(fileSpec(&b, name, d.attachments[name]))))
		}
		extra += fmt.Sprintf(" /Names << /EmbeddedFiles << /Names [%s] >> >>", strings.Join(entries, " "))
	}
	if len(fields) > 0 {
		extra += fmt.Sprintf(" /AcroForm << /Fields [%s] /DA (/Helv 0 Tf 0 g) >>", strings.Join(fields, " "))
	}
	b.set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R%s >>", pages, extra))
	return b.bytes(catalog)
}

// fileSpec adds an embedded file stream and returns its file specification.
func fileSpec(b *pdfBuilder, name string, data []byte) string {
	ef := b.add(stream(fmt.Sprintf("/Type /EmbeddedFile /Params << /Size %d >>", len(data)), string(data)))
	return fmt.Sprintf("<< /Type /Filespec /F (%s) /UF (%s) /EF << /F %d 0 R >> >>", pdfEscape(name), pdfEscape(name), ef)
}
