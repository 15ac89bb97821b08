package office

import (
	"testing"
)

func memoDocx(t testing.TB, embedded []byte) []byte {
	body := `<w:body>` +
		`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>` +
		`<w:r><w:t>Dear</w:t></w:r><w:r><w:tab/><w:t>PLANT-body1</w:t></w:r><w:r><w:br/><w:t>second line</w:t></w:r></w:p>` +
		`<w:p/>` + // an empty paragraph adds nothing
		`<w:p><w:r><w:t xml:space="preserve">kept </w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:delText>PLANT-deleted</w:delText></w:r></w:del>` +
		`<w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve"> PLANT-inserted</w:t></w:r></w:ins></w:p>` +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>password:</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>PLANT-cell2</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:p><w:r><w:t>row2</w:t></w:r></w:p><w:p><w:r><w:t>para2</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>end</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` +
		`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>` + para("PLANT-textbox") + `</w:txbxContent></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><w:txbxContent>` + para("PLANT-textbox") + `</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>` +
		`<w:r><w:instrText xml:space="preserve">INCLUDETEXT "\\fileserver\hr\PLANT-instr.docx"</w:instrText></w:r></w:p>` +
		`<w:p><w:hyperlink r:id="rId9"><w:r><w:t>our site</w:t></w:r></w:hyperlink></w:p>` +
		`</w:body>`
	parts := []part{
		{"[Content_Types].xml", contentTypes("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")},
		{"_rels/.rels", relsXML("rId1 officeDocument word/document.xml", "rId2 core-properties docProps/core.xml")},
		{"word/document.xml", wordPart("document", body)},
		{"word/_rels/document.xml.rels", relsXML("rId3 header header1.xml", "rId4 footer footer2.xml", "rId5 footnotes footnotes.xml",
			"rId6 endnotes endnotes.xml", "rId7 comments comments.xml", "rId8 package embeddings/Microsoft_Excel_Worksheet.xlsx",
			"rId9 hyperlink https://admin:PLANT-linkpw@intranet.example.com/ External")},
		{"word/header1.xml", wordPart("hdr", para("PLANT-header"))},
		{"word/footer2.xml", wordPart("ftr", para("PLANT-footer"))},
		{"word/footnotes.xml", wordPart("footnotes", `<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1">`+para("PLANT-footnote")+`</w:footnote>`)},
		{"word/endnotes.xml", wordPart("endnotes", `<w:endnote w:id="1">`+para("PLANT-endnote")+`</w:endnote>`)},
		{"word/comments.xml", wordPart("comments", `<w:comment w:id="0" w:author="Rev">`+para("PLANT-comment")+`</w:comment>`)},
		{"docProps/core.xml", coreXML("PLANT-title")},
	}
	if embedded != nil {
		parts = append(parts, part{"word/embeddings/Microsoft_Excel_Worksheet.xlsx", string(embedded)})
	}
	return zipOf(t, parts...)
}

func TestDocx(t *testing.T) {
	inner := xlsxOf(t, []string{`<t>PLANT-embedded</t>`}, nil, [2]string{"S1", `<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>`})
	r := run(t, "memo.docx", memoDocx(t, inner))
	wantAt(t, r, map[string][]string{
		"PLANT-body1":    {"memo.docx"},
		"PLANT-deleted":  {"memo.docx"},
		"PLANT-inserted": {"memo.docx"},
		"PLANT-cell2":    {"memo.docx"},
		"PLANT-textbox":  {"memo.docx"},
		"PLANT-instr":    {"memo.docx"},
		"PLANT-header":   {"memo.docx!header1"},
		"PLANT-footer":   {"memo.docx!footer2"},
		"PLANT-footnote": {"memo.docx!footnotes"},
		"PLANT-endnote":  {"memo.docx!endnotes"},
		"PLANT-comment":  {"memo.docx!comments"},
		"PLANT-title":    {"memo.docx!metadata"},
		"PLANT-linkpw":   {"memo.docx!links"},
		"PLANT-embedded": {"memo.docx!embedded:Microsoft_Excel_Worksheet.xlsx!sheet:S1!cell:A1"},
	})
	const wantBody = "Dear\tPLANT-body1\nsecond line\nkept PLANT-deleted PLANT-inserted\npassword:\tPLANT-cell2\nrow2\npara2\tend\nPLANT-textbox\nINCLUDETEXT \"\\\\fileserver\\hr\\PLANT-instr.docx\"\nour site\n"
	if got := textAt(r, "memo.docx"); got != wantBody {
		t.Errorf("body text\n got %q\nwant %q", got, wantBody)
	}
	if got := textAt(r, "memo.docx!metadata"); got != "title: PLANT-title\ncreator: Ann Author\n" {
		t.Errorf("metadata %q", got)
	}
	if len(r.Problems) != 0 {
		t.Errorf("problems: %+v", r.Problems)
	}
}
