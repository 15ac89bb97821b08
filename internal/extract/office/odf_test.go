package office

import (
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

const nsODF = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"`

func odfPackage(t testing.TB, mime, body string, extra ...part) []byte {
	parts := []part{
		{"mimetype", mime},
		{"content.xml", xmlHead + `<office:document-content ` + nsODF + `><office:body>` + body + `</office:body></office:document-content>`},
		{"styles.xml", xmlHead + `<office:document-styles ` + nsODF + `><office:styles><style:style style:name="x"><style:paragraph-properties><style:tab-stops><style:tab-stop/></style:tab-stops></style:paragraph-properties></style:style></office:styles>` +
			`<office:master-styles><style:master-page style:name="Standard"><draw:frame presentation:class="title"><draw:text-box><text:p>Click to edit</text:p></draw:text-box></draw:frame><draw:frame presentation:class="footer"><draw:text-box><text:p>PLANT-masterfooter</text:p></draw:text-box></draw:frame><style:header><text:p>PLANT-odtheader</text:p></style:header><style:footer><text:p>PLANT-odtfooter</text:p></style:footer></style:master-page></office:master-styles></office:document-styles>`},
		{"meta.xml", xmlHead + `<office:document-meta ` + nsODF + `><office:meta><dc:title>PLANT-odttitle</dc:title><meta:user-defined meta:name="Client">PLANT-userdefined</meta:user-defined></office:meta></office:document-meta>`},
		{"META-INF/manifest.xml", xmlHead + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="` + mime + `"/></manifest:manifest>`},
	}
	return zipOf(t, append(parts, extra...)...)
}

func TestOdt(t *testing.T) {
	body := `<office:text><text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>Ed</dc:creator></office:change-info><text:p>PLANT-odtdeleted</text:p></text:deletion></text:changed-region></text:tracked-changes>` +
		`<text:h text:outline-level="1">Heading</text:h>` +
		"<text:p>one<text:s text:c=\"3\"/>two<text:tab/>three<text:line-break/>four\nwrapped <text:span>PLANT-span</text:span></text:p>" +
		`<text:p>before<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>PLANT-odtnote</text:p></text:note-body></text:note> after</text:p>` +
		`<text:p>x<office:annotation><dc:creator>PLANT-annauthor</dc:creator><dc:date>2020-01-01</dc:date><text:p>PLANT-odtcomment</text:p></office:annotation>y</text:p>` +
		`<table:table table:name="T"><table:table-row><table:table-cell><text:p>pin:</text:p></table:table-cell><table:table-cell/><table:table-cell><text:p>PLANT-odtcell</text:p></table:table-cell></table:table-row></table:table>` +
		`<text:p><draw:frame><svg:title>PLANT-svgtitle</svg:title><draw:image><office:binary-data>UExBTlQtYmFzZTY0</office:binary-data></draw:image></draw:frame></text:p>` +
		`</office:text>`
	sub := xmlHead + `<office:document-content ` + nsODF + `><office:body><office:text><text:p>PLANT-subdoc</text:p></office:text></office:body></office:document-content>`
	data := odfPackage(t, "application/vnd.oasis.opendocument.text", body,
		part{"Object 1/content.xml", sub},
		part{"Object 2", "PLANT-oleobject bytes"},
		part{"Basic/Standard/Module1.xml", xmlHead + `<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1">Sub Main` + "\n" + `  pw = "PLANT-macro"` + "\nEnd Sub</script:module>"},
		part{"Pictures/1.png", "not text"})
	r := run(t, "memo.odt", data)
	wantAt(t, r, map[string][]string{
		"PLANT-odtdeleted":  {"memo.odt"},
		"PLANT-span":        {"memo.odt"},
		"PLANT-odtnote":     {"memo.odt!footnotes"},
		"PLANT-odtcomment":  {"memo.odt!comments"},
		"PLANT-annauthor":   nil,
		"PLANT-odtcell":     {"memo.odt"},
		"PLANT-svgtitle":    {"memo.odt"},
		"PLANT-odtheader":   {"memo.odt!header"},
		"PLANT-odtfooter":   {"memo.odt!footer"},
		"PLANT-odttitle":    {"memo.odt!metadata"},
		"PLANT-userdefined": {"memo.odt!metadata"},
		"PLANT-subdoc":      {"memo.odt!embedded:Object 1"},
		"PLANT-oleobject":   {"memo.odt!embedded:Object 2"},
		"PLANT-macro":       {"memo.odt!macro:Basic/Standard/Module1.xml"},
	})
	const want = "PLANT-odtdeleted\nHeading\none two\tthree\nfour wrapped PLANT-span\nbefore PLANT-odtnote\n after\nx\nPLANT-odtcomment\ny\npin:\tPLANT-odtcell\nPLANT-svgtitle\n"
	var body0 string
	for _, tx := range r.Texts {
		if tx.Where == "memo.odt" {
			body0 = tx.Text
			break
		}
	}
	if body0 != want {
		t.Errorf("odt body\n got %q\nwant %q", body0, want)
	}
	if strings.Contains(r.All(), "UExBTlQ") {
		t.Error("binary data written as text")
	}
}

func TestOds(t *testing.T) {
	body := `<office:spreadsheet><table:table table:name="Payroll">` +
		`<table:table-column table:number-columns-repeated="1024"/>` +
		`<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><text:p>PLANT-C1</text:p></table:table-cell></table:table-row>` +
		`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>` +
		`<table:table-row><table:table-cell><text:p>name</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"><text:p>PLANT-repeated</text:p></table:table-cell>` +
		`<table:covered-table-cell/><table:table-cell office:value-type="float" office:value="4111111111111111"/>` +
		`<table:table-cell><office:annotation><dc:creator>me</dc:creator><text:p>PLANT-odscomment</text:p></office:annotation><text:p>PLANT-annotated</text:p></table:table-cell></table:table-row>` +
		`</table:table><table:table table:name="Second"><table:table-row><table:table-cell><text:p>PLANT-second</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>`
	r := run(t, "book.ods", odfPackage(t, "application/vnd.oasis.opendocument.spreadsheet", body))
	wantAt(t, r, map[string][]string{
		"PLANT-C1":         {"book.ods!sheet:Payroll!cell:C1"},
		"PLANT-repeated":   {"book.ods!sheet:Payroll!cell:B1048002"},
		"PLANT-odscomment": {"book.ods!sheet:Payroll!comment:G1048002"},
		"PLANT-annotated":  {"book.ods!sheet:Payroll!cell:G1048002"},
		"PLANT-second":     {"book.ods!sheet:Second!cell:A1"},
	})
	if got, want := textAt(r, "book.ods!sheet:Payroll"), "PLANT-C1\nname\tPLANT-repeated\t4111111111111111\nPLANT-odscomment\nPLANT-annotated\n"; got != want {
		t.Errorf("sheet text %q, want %q", got, want)
	}
}

// A cell's value stands in for its text only when it has none.
func TestOdsValueFallback(t *testing.T) {
	body := `<office:spreadsheet><table:table table:name="S"><table:table-row>` +
		`<table:table-cell office:value-type="float" office:value="123456789"/>` +
		`<table:table-cell office:value-type="float" office:value="0.5"><text:p>50%</text:p></table:table-cell>` +
		`</table:table-row></table:table></office:spreadsheet>`
	r := run(t, "v.ods", odfPackage(t, "application/vnd.oasis.opendocument.spreadsheet", body))
	if got, want := textAt(r, "v.ods!sheet:S"), "123456789\t50%\n"; got != want {
		t.Errorf("values %q, want %q", got, want)
	}
}

func TestOdp(t *testing.T) {
	body := `<office:presentation><presentation:footer-decl presentation:name="f1">PLANT-footerdecl</presentation:footer-decl>` +
		`<draw:page draw:name="p1"><draw:frame><draw:text-box><text:p>PLANT-slide1</text:p></draw:text-box></draw:frame>` +
		`<presentation:notes><draw:frame><draw:text-box><text:p>PLANT-notes1</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>` +
		`<draw:page draw:name="p2"><draw:custom-shape><text:p>PLANT-slide2</text:p></draw:custom-shape></draw:page></office:presentation>`
	r := run(t, "deck.odp", odfPackage(t, "application/vnd.oasis.opendocument.presentation", body))
	wantAt(t, r, map[string][]string{
		"PLANT-footerdecl":   {"deck.odp"},
		"PLANT-slide1":       {"deck.odp!slide:1"},
		"PLANT-notes1":       {"deck.odp!slide:1!notes"},
		"PLANT-slide2":       {"deck.odp!slide:2"},
		"PLANT-masterfooter": {"deck.odp!footer"},
	})
	if strings.Contains(r.All(), "Click to edit") {
		t.Error("master-page placeholder written")
	}
}

func TestOdtEncrypted(t *testing.T) {
	manifest := xmlHead + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>`
	data := zipOf(t, part{"mimetype", "application/vnd.oasis.opendocument.text"}, part{"content.xml", "\x8f\x01garbage"},
		part{"META-INF/manifest.xml", manifest})
	r := run(t, "secret.odt", data)
	if len(r.Problems) != 1 || r.Problems[0].Reason != finding.ReasonEncrypted || r.Problems[0].Location.Where() != "secret.odt" {
		t.Errorf("problems %+v, want one encrypted at secret.odt", r.Problems)
	}
}
