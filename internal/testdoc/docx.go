package testdoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strings"
)

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// Docx returns a Word document whose body has one paragraph per element of
// paras, in order. Line breaks inside a paragraph become <w:br/>, tabs
// <w:tab/>.
func Docx(paras []string) []byte {
	var body strings.Builder
	body.WriteString(xmlHead)
	body.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		body.WriteString(`<w:p><w:r>`)
		for i, line := range strings.Split(p, "\n") {
			if i > 0 {
				body.WriteString(`<w:br/>`)
			}
			for j, seg := range strings.Split(line, "\t") {
				if j > 0 {
					body.WriteString(`<w:tab/>`)
				}
				if seg != "" {
					// preserve keeps leading and trailing spaces, which
					// Word would otherwise drop.
					body.WriteString(`<w:t xml:space="preserve">`)
					xml.EscapeText(&body, []byte(seg))
					body.WriteString(`</w:t>`)
				}
			}
		}
		body.WriteString(`</w:r></w:p>`)
	}
	// A section's page size ends the body, as Word writes it.
	body.WriteString(`<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>`)

	parts := [][2]string{
		{"[Content_Types].xml", xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`</Types>`},
		{"_rels/.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
			`</Relationships>`},
		{"word/document.xml", body.String()},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		// Writing to memory cannot fail.
		w, _ := zw.Create(p[0])
		w.Write([]byte(p[1]))
	}
	zw.Close()
	return buf.Bytes()
}
