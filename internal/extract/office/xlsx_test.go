package office

import (
	"testing"
)

const nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`

func bookXlsx(t testing.TB) []byte {
	shared := []string{
		`<t>password:</t>`,
		`<t>PLANT-cellC17</t>`,
		`<r><t>PLANT-</t></r><r><rPr><b/></rPr><t>rich</t></r><rPh sb="0" eb="1"><t>PLANT-phonetic</t></rPh>`,
	}
	other := `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>PLANT-other</t></is></c></row></sheetData>`
	payroll := `<sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c><c r="C1"><v>4.1111111111111E+15</v></c><c r="D1" s="1"><v>27154</v></c><c r="E1" t="b"><v>1</v></c></row>` +
		`<row r="2"><c t="inlineStr"><is><t>PLANT-noref</t></is></c><c t="str"><f>CONCAT("Server=db;Pwd=","PLANT-formula")</f><v>Server=db;Pwd=PLANT-cached</v></c><c><f>SUM(A1:A9)</f><v>42</v></c></row>` +
		`<row r="17"><c r="B17" t="s"><v>0</v></c><c r="C17" t="s"><v>1</v></c></row>` +
		`</sheetData><headerFooter><oddFooter>&amp;CPLANT-sheetfooter</oddFooter></headerFooter>`
	extra := []part{
		{"xl/styles.xml", xmlHead + `<styleSheet ` + nsMain + `><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd;@"/></numFmts>` +
			`<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`},
		{"xl/worksheets/_rels/sheet2.xml.rels", relsXML("rId1 comments ../comments1.xml", "rId2 drawing ../drawings/drawing1.xml")},
		{"xl/comments1.xml", xmlHead + `<comments ` + nsMain + `><authors><author>PLANT-author</author></authors><commentList>` +
			`<comment ref="C17" authorId="0"><text><r><t>PLANT-comment</t></r></text></comment></commentList></comments>`},
		{"xl/drawings/drawing1.xml", xmlHead + `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">` +
			`<xdr:twoCellAnchor><xdr:sp><xdr:txBody><a:p><a:r><a:t>PLANT-textbox</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor></xdr:wsDr>`},
		{"xl/connections.xml", xmlHead + `<connections ` + nsMain + `><connection id="1" name="HR db" type="1"><dbPr connection="Provider=SQLOLEDB;Password=PLANT-connpw;User ID=sa" command="SELECT * FROM pay"/></connection></connections>`},
	}
	return xlsxWith(t, shared, []string{"rIdT styles styles.xml", "rIdC connections connections.xml"}, extra,
		[2]string{"Other", other}, [2]string{"Payroll", payroll})
}

func TestXlsx(t *testing.T) {
	r := run(t, "book.xlsx", bookXlsx(t))
	wantAt(t, r, map[string][]string{
		"PLANT-cellC17":     {"book.xlsx!sheet:Payroll!cell:C17"},
		"PLANT-rich":        {"book.xlsx!sheet:Payroll!cell:B1"},
		"PLANT-phonetic":    nil,
		"PLANT-other":       {"book.xlsx!sheet:Other!cell:A1"},
		"PLANT-noref":       {"book.xlsx!sheet:Payroll!cell:A2"},
		"PLANT-cached":      {"book.xlsx!sheet:Payroll!cell:B2"},
		"PLANT-formula":     {"book.xlsx!sheet:Payroll!cell:B2"},
		"PLANT-comment":     {"book.xlsx!sheet:Payroll!comment:C17"},
		"PLANT-textbox":     {"book.xlsx!sheet:Payroll!drawing"},
		"PLANT-sheetfooter": {"book.xlsx!sheet:Payroll!footer"},
		"PLANT-connpw":      {"book.xlsx!connections"},
	})
	const want = "password:\tPLANT-rich\t4111111111111100\t1974-05-05\tTRUE\n" +
		"PLANT-noref\tServer=db;Pwd=PLANT-cached =CONCAT(\"Server=db;Pwd=\",\"PLANT-formula\")\t42\n" +
		"\tpassword:\tPLANT-cellC17\n&CPLANT-sheetfooter\nPLANT-comment\nPLANT-textbox\n"
	if got := textAt(r, "book.xlsx!sheet:Payroll"); got != want {
		t.Errorf("sheet text\n got %q\nwant %q", got, want)
	}
	if len(r.Texts) == 0 || r.Texts[0].Where != "book.xlsx!sheet:Other" {
		t.Errorf("sheets not in workbook order: first stream %+v", r.Texts)
	}
	if len(r.Problems) != 0 {
		t.Errorf("problems: %+v", r.Problems)
	}
}
