package office

import (
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func xhtml(body string) string {
	return xmlHead + `<html xmlns="http://www.w3.org/1999/xhtml"><head><title>c</title></head><body><p>` + body + `</p></body></html>`
}

func TestEpub(t *testing.T) {
	opf := xmlHead + `<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		`<dc:title>PLANT-booktitle</dc:title><dc:creator>A. Writer</dc:creator></metadata>` +
		`<manifest><item id="c1" href="text/ch%201.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>` +
		`<item id="c3" href="text/locked.xhtml" media-type="application/xhtml+xml"/><item id="css" href="s.css" media-type="text/css"/></manifest>` +
		`<spine><itemref idref="c2"/><itemref idref="c1"/><itemref idref="c3"/></spine></package>`
	enc := xmlHead + `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">` +
		`<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/text/locked.xhtml"/></enc:CipherData></enc:EncryptedData>` +
		`<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/><enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData></enc:EncryptedData></encryption>`
	data := zipOf(t,
		part{"mimetype", "application/epub+zip"},
		part{"META-INF/container.xml", xmlHead + `<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`},
		part{"META-INF/encryption.xml", enc},
		part{"OEBPS/content.opf", opf},
		part{"OEBPS/text/ch 1.xhtml", xhtml("PLANT-chapter1")},
		part{"OEBPS/text/ch2.xhtml", xhtml("PLANT-chapter2")},
		part{"OEBPS/text/locked.xhtml", "\x01\x02encrypted"},
	)
	r := run(t, "book.epub", data)
	wantAt(t, r, map[string][]string{
		"PLANT-booktitle": {"book.epub!metadata"},
		"PLANT-chapter1":  {"book.epub!OEBPS/text/ch 1.xhtml"},
		"PLANT-chapter2":  {"book.epub!OEBPS/text/ch2.xhtml"},
	})
	var order []string
	for _, tx := range r.Texts {
		order = append(order, tx.Where)
	}
	if len(order) < 3 || order[1] != "book.epub!OEBPS/text/ch2.xhtml" || order[2] != "book.epub!OEBPS/text/ch 1.xhtml" {
		t.Errorf("not in spine order: %q", order)
	}
	if len(r.Problems) != 1 || r.Problems[0].Reason != finding.ReasonEncrypted || r.Problems[0].Location.Where() != "book.epub!OEBPS/text/locked.xhtml" {
		t.Errorf("problems %+v, want locked.xhtml encrypted", r.Problems)
	}
}
