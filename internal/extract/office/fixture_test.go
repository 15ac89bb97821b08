package office

import (
	"archive/zip"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// part is one member of a generated package.
type part struct{ name, body string }

// zipOf writes the parts, in order, into a zip; a part named "mimetype" is
// stored, as ODF and EPUB require.
func zipOf(t testing.TB, parts ...part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate}
		if p.name == "mimetype" {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func run(t testing.TB, name string, data []byte) extracttest.Result {
	t.Helper()
	return extracttest.Run(t, name, data, extracttest.Options{}, New())
}

// wantAt asserts that each token was reported exactly at the given places.
func wantAt(t *testing.T, r extracttest.Result, want map[string][]string) {
	t.Helper()
	for tok, where := range want {
		got := slices.Clone(r.Where(tok))
		slices.Sort(got)
		w := slices.Clone(where)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("%s at %q, want %q", tok, got, w)
		}
	}
	if t.Failed() {
		t.Logf("problems: %+v", r.Problems)
		for _, tx := range r.Texts {
			t.Logf("text %s: %q", tx.Where, tx.Text)
		}
	}
}

// textAt returns the text of the stream located at where.
func textAt(r extracttest.Result, where string) string {
	var b strings.Builder
	for _, t := range r.Texts {
		if t.Where == where {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// relsXML writes a relationships part; each rel is "Id Type Target" with an
// optional fourth field "External".
func relsXML(rels ...string) string {
	var b strings.Builder
	b.WriteString(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for _, r := range rels {
		f := strings.Fields(r)
		mode := ""
		if len(f) > 3 {
			mode = ` TargetMode="External"`
		}
		fmt.Fprintf(&b, `<Relationship Id="%s" Type="%s" Target="%s"%s/>`, f[0], relType(f[1]), f[2], mode)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func relType(short string) string {
	switch short {
	case "core-properties":
		return "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
	}
	return "http://schemas.openxmlformats.org/officeDocument/2006/relationships/" + short
}

func contentTypes(overrides ...string) string {
	var b strings.Builder
	b.WriteString(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`)
	for i := 0; i+1 < len(overrides); i += 2 {
		fmt.Fprintf(&b, `<Override PartName="%s" ContentType="%s"/>`, overrides[i], overrides[i+1])
	}
	b.WriteString(`</Types>`)
	return b.String()
}

const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

func wordPart(root, body string) string {
	return xmlHead + `<w:` + root + ` ` + nsW + `>` + body + `</w:` + root + `>`
}

func para(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func coreXML(title string) string {
	return xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` +
		title + `</dc:title><dc:creator>Ann Author</dc:creator></cp:coreProperties>`
}

// xlsxOf builds a workbook: sheets are (name, sheetData XML) pairs; shared
// is the shared-string table's si elements.
func xlsxOf(t testing.TB, shared []string, extra []part, sheets ...[2]string) []byte {
	return xlsxWith(t, shared, nil, extra, sheets...)
}

// xlsxWith is xlsxOf with more workbook relationships (styles,
// connections).
func xlsxWith(t testing.TB, shared []string, wbRelsExtra []string, extra []part, sheets ...[2]string) []byte {
	t.Helper()
	var wb, wbRels strings.Builder
	wb.WriteString(xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	var rels []string
	parts := []part{{"[Content_Types].xml", contentTypes("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")},
		{"_rels/.rels", relsXML("rId1 officeDocument xl/workbook.xml", "rId2 core-properties docProps/core.xml")}}
	for i, s := range sheets {
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s[0], i+1, i+1)
		rels = append(rels, fmt.Sprintf("rId%d worksheet worksheets/sheet%d.xml", i+1, i+1))
		parts = append(parts, part{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1),
			xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + s[1] + `</worksheet>`})
	}
	wb.WriteString(`</sheets></workbook>`)
	rels = append(rels, "rIdS sharedStrings sharedStrings.xml")
	rels = append(rels, wbRelsExtra...)
	wbRels.WriteString(relsXML(rels...))
	var sst strings.Builder
	sst.WriteString(xmlHead + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for _, s := range shared {
		sst.WriteString(`<si>` + s + `</si>`)
	}
	sst.WriteString(`</sst>`)
	parts = append(parts, part{"xl/workbook.xml", wb.String()}, part{"xl/_rels/workbook.xml.rels", wbRels.String()},
		part{"xl/sharedStrings.xml", sst.String()})
	parts = append(parts, extra...)
	return zipOf(t, parts...)
}
