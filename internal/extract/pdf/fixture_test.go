package pdf

import (
	"fmt"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/testdoc"
)

// The documents are written with testdoc's Builder, the project's one PDF
// writer for tests; stream is its Stream for text data.
func stream(dict, data string) string { return testdoc.Stream(dict, []byte(data)) }

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
	var b testdoc.Builder
	catalog := b.Reserve()
	pages := b.Reserve()
	font := b.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids, fields []string
	for i, lines := range d.pages {
		if d.broken[i+1] {
			kids = append(kids, "999 0 R") // no such object
			continue
		}
		page := b.Reserve()
		content := b.Add(stream("", textContent(lines...)))
		var annots []string
		if c, ok := d.comments[i]; ok {
			annots = append(annots, fmt.Sprintf("%d 0 R", b.Add(fmt.Sprintf(
				"<< /Type /Annot /Subtype /Text /Rect [300 700 320 720] /Contents (%s) /P %d 0 R >>", pdfEscape(c), page))))
		}
		if f, ok := d.fields[i]; ok {
			w := b.Add(fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (%s) /V (%s) /Rect [72 600 300 620] /P %d 0 R /F 4 >>",
				pdfEscape(f[0]), pdfEscape(f[1]), page))
			annots = append(annots, fmt.Sprintf("%d 0 R", w))
			fields = append(fields, fmt.Sprintf("%d 0 R", w))
		}
		if f, ok := d.annotFiles[i]; ok {
			spec := b.Add(fileSpec(&b, f[0], []byte(f[1])))
			annots = append(annots, fmt.Sprintf("%d 0 R", b.Add(fmt.Sprintf(
				"<< /Type /Annot /Subtype /FileAttachment /Rect [300 650 320 670] /FS %d 0 R /Contents (attached note) /P %d 0 R >>", spec, page))))
		}
		annotEntry := ""
		if len(annots) > 0 {
			annotEntry = " /Annots [" + strings.Join(annots, " ") + "]"
		}
		b.Set(page, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R%s >>",
			pages, font, content, annotEntry))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	b.Set(pages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids)))

	extra := ""
	if len(d.attachments) > 0 {
		names := make([]string, 0, len(d.attachments))
		for name := range d.attachments {
			names = append(names, name)
		}
		slices.Sort(names) // a name tree's keys are sorted
		var entries []string
		for _, name := range names {
			entries = append(entries, fmt.Sprintf("(%s) %d 0 R", pdfEscape(name), b.Add(fileSpec(&b, name, d.attachments[name]))))
		}
		extra += fmt.Sprintf(" /Names << /EmbeddedFiles << /Names [%s] >> >>", strings.Join(entries, " "))
	}
	if len(fields) > 0 {
		extra += fmt.Sprintf(" /AcroForm << /Fields [%s] /DA (/Helv 0 Tf 0 g) >>", strings.Join(fields, " "))
	}
	b.Set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R%s >>", pages, extra))
	return b.Bytes(catalog)
}

// fileSpec adds an embedded file stream and returns its file specification.
func fileSpec(b *testdoc.Builder, name string, data []byte) string {
	ef := b.Add(stream(fmt.Sprintf("/Type /EmbeddedFile /Params << /Size %d >>", len(data)), string(data)))
	return fmt.Sprintf("<< /Type /Filespec /F (%s) /UF (%s) /EF << /F %d 0 R >> >>", pdfEscape(name), pdfEscape(name), ef)
}
