package office

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// tikaDir is Apache Tika's test documents, shared beside the repository.
func tikaDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "documents", "tika")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("test documents missing: %v (expected ../shared/data/documents/tika beside the repository)", err)
	}
	return dir
}

// officeFiles lists the Tika documents with the names of formats read here.
func officeFiles(t testing.TB) []string {
	ents, err := os.ReadDir(tikaDir(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".pptm", ".vsdx", ".odt", ".ods", ".odp", ".epub":
			out = append(out, e.Name())
		}
	}
	return out
}

// Every Tika document of these formats: no panic, text from each healthy
// one, and an item error with its reason from each broken one.
func TestTikaDocuments(t *testing.T) {
	dir := tikaDir(t)
	x := New()
	mine := map[extract.Kind]bool{}
	for _, k := range x.Kinds() {
		mine[k] = true
	}
	broken := map[string]string{
		"testODTEncrypted.odt":    finding.ReasonEncrypted,
		"testWORD_truncated.docx": finding.ReasonCorrupt,
	}
	// Documents with nothing to read but an embedded object.
	empty := map[string]bool{"testEXCEL_embeddedPDF_windows.xlsx": true}
	files := officeFiles(t)
	if len(files) < 150 {
		t.Fatalf("only %d office documents in %s", len(files), dir)
	}
	read := 0
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		kind := extract.Identify(data[:min(len(data), extract.HeadSize)], name)
		r := extracttest.Run(t, name, data, extracttest.Options{File: true}, x)
		if !mine[kind] {
			// Password-protected OOXML is an OLE compound file; a text
			// file named .odt is text: the registry sends neither here.
			if bytes.HasPrefix(data, []byte("PK")) {
				t.Errorf("%s: a zip identified as %s", name, kind)
			}
			continue
		}
		read++
		if reason, ok := broken[name]; ok {
			if len(r.Problems) != 1 || r.Problems[0].Reason != reason || r.Problems[0].Location.Where() != name {
				t.Errorf("%s: problems %+v, want one %s", name, r.Problems, reason)
			}
			continue
		}
		for _, p := range r.Problems {
			if len(p.Location.Container) == 0 || !strings.HasPrefix(p.Location.Container[0], "embedded:") {
				t.Errorf("%s: %s %s: %s", name, p.Location.Where(), p.Reason, p.Error)
			}
		}
		if n := len(strings.TrimSpace(r.All())); n == 0 && !empty[name] {
			t.Errorf("%s: no text", name)
		}
	}
	if read < 140 {
		t.Errorf("only %d documents read", read)
	}
}

// What some Tika documents are known to hold, where.
func TestTikaContent(t *testing.T) {
	dir := tikaDir(t)
	cases := []struct{ file, where, text string }{
		{"testWORD.docx", "testWORD.docx", "This is a sample Microsoft Word Document."},
		{"testWORD.docx", "testWORD.docx!header1", "This is the header for our document"},
		{"testWORD.docx", "testWORD.docx!links", "http://tika.apache.org/"},
		{"footnotes.docx", "footnotes.docx!footnotes", "snoska"},
		{"testComment.docx", "testComment.docx!comments", "Here is a comment"},
		{"testWORD_various.docx", "testWORD_various.docx", "Row 1 Col 1\tRow 1 Col 2\tRow 1 Col 3\nRow 2 Col 1"},
		// The table starts in column B: each row keeps its empty column A.
		{"testEXCEL.xlsx", "testEXCEL.xlsx!sheet:Feuil1", "\tNumber\tSquare\n\t1\t1\n\t2\t4\n"},
		{"testEXCEL_dateFormats.xlsx", "testEXCEL_dateFormats.xlsx!sheet:Munka1", "2018-09-20"},
		{"testDataConnections.xlsx", "testDataConnections.xlsx!connections", "User ID=user;Password=secret123"},
		{"testComment.xlsx", "testComment.xlsx!sheet:Sheet1", "Here is a comment"},
		{"testPPT.pptx", "testPPT.pptx!slide:3", "Watershed\nAvalanche"},
		{"testComment.pptx", "testComment.pptx!slide:1!comments", "Here is a comment"},
		{"testVISIO_text.vsdx", "testVISIO_text.vsdx!page:1", "Text, text, everywhere!"},
		{"testODFwithOOo3.odt", "testODFwithOOo3.odt", "Tika is part of the Lucene project."},
		{"testODFwithOOo3.odt", "testODFwithOOo3.odt!embedded:Object 1!sheet:Sheet1", "1\tone embedded"},
		{"testFooter.odt", "testFooter.odt", "Here is footer text"},
		{"testMasterFooter.odp", "testMasterFooter.odp", "Master footer is here"},
		{"LibreOfficeCalc_ods_1.3.ods", "LibreOfficeCalc_ods_1.3.ods!sheet:Sheet1", "This\tis\tan\texample\tspreadsheet\n0\t1\t2\t3\t4"},
		{"testEPUB.epub", "testEPUB.epub!metadata", "title: An ePub  for Tika"},
		{"testEPUB.epub", "testEPUB.epub!OPS/chapters/chapter2.html", "This is the text for chapter Two"},
	}
	results := map[string]extracttest.Result{}
	for _, c := range cases {
		r, ok := results[c.file]
		if !ok {
			data, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			r = extracttest.Run(t, c.file, data, extracttest.Options{File: true}, New())
			results[c.file] = r
		}
		if got := textAt(r, c.where); !strings.Contains(got, c.text) {
			t.Errorf("%s: %q not in %q", c.where, c.text, got)
		}
	}
}
