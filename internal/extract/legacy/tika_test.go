package legacy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// tikaFiles returns the Tika test documents the registry identifies as one
// of kinds, by name; they are expected in ../shared beside the repository.
func tikaFiles(t testing.TB, kinds ...extract.Kind) map[string][]byte {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "documents", "tika")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("the Tika test documents are missing (expected at %s, from ../shared/data beside the repository): %v", dir, err)
	}
	files := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(kinds, extract.Identify(b[:min(len(b), extract.HeadSize)], e.Name())) {
			files[e.Name()] = b
		}
	}
	return files
}

func TestTikaDocuments(t *testing.T) {
	needHelper(t, "catdoc")
	needHelper(t, "xls2csv")
	files := tikaFiles(t, extract.KindDoc, extract.KindXls, extract.KindPpt)
	if len(files) < 90 {
		t.Fatalf("found %d doc, xls and ppt documents in the Tika folder, want at least 90", len(files))
	}
	// The documents that cannot be read, and why.
	problems := map[string][]string{
		"jxl.xls":                             {finding.ReasonCorrupt}, // xls2csv crashes on it
		"password.xls":                        {finding.ReasonEncrypted},
		"testEXCEL_protected_passtika.xls":    {finding.ReasonEncrypted},
		"testWORD_protected_passtika.doc":     {finding.ReasonEncrypted},
		"testPPT_protected_passtika.ppt":      {finding.ReasonEncrypted},
		"simple_lower_case.doc":               {finding.ReasonCorrupt}, // catdoc gives up (exit 69)
		"simple_upper_case.doc":               {finding.ReasonCorrupt},
		"testPPT_skipBadCompressedObject.ppt": {finding.ReasonCorrupt, finding.ReasonCorrupt}, // two damaged objects
	}
	// Documents with no text of their own: pictures, links, embedded files,
	// text boxes xls2csv does not read, Excel 95 labels it prints blank.
	empty := map[string]bool{
		"pic.xls": true, "pictures.ppt": true, "testEXCEL_95.xls": true, "testEXCEL_textbox.xls": true,
		"testEXCEL_embeddedPDF_mac.xls": true, "testEXCEL_embeddedPDF_windows.xls": true,
		"testExcel_embeddedPDF.xls": true, "testPPT_EmbeddedPDF.ppt": true, "testWORD_multi_authors.doc": true,
		"testDocumentLink.doc":   true, // a link to another document
		"Doc1_ole.doc":           true, // two embedded sound files
		"resources-Doc1_ole.doc": true,
	}
	want := map[string]string{
		"testWORD.doc":             "This is a sample Microsoft Word Document.",
		"testWORD_various.doc":     "Row 2 Col 1\tRow 2 Col 2\tRow 2 Col 3",
		"testEXCEL.xls":            "Sample Excel Worksheet - Numbers and their Squares",
		"testPPT_various.ppt":      "ゾルゲと尾崎、淡々と最期",
		"testPPT_masterFooter.ppt": "Master footer is here",
	}
	// Streams some documents must yield: named sheets, embedded objects.
	wantStream := map[string]string{
		"testPPT_embeded.ppt":       "testPPT_embeded.ppt!embedded:object1!sheet:Sheet1",
		"testEXCEL_1img.xls":        "testEXCEL_1img.xls!sheet:Sheet2",
		"testEXCEL-charts.xls":      "testEXCEL-charts.xls!sheet:charttabyodawg",
		"Doc1_ole.doc":              "Doc1_ole.doc!embedded:ObjectPool/_1310388059",
		"testWORD_embedded_pdf.doc": "testWORD_embedded_pdf.doc!embedded:ObjectPool/_1402837031",
	}
	for name, data := range files {
		res := extracttest.Run(t, name, data, extracttest.Options{}, New())
		var reasons []string
		for _, p := range res.Problems {
			reasons = append(reasons, p.Reason)
		}
		if !slices.Equal(reasons, problems[name]) {
			t.Errorf("%s: problems %+v, want reasons %v", name, res.Problems, problems[name])
		}
		all := res.All()
		if problems[name] == nil && !empty[name] && strings.TrimSpace(all) == "" {
			t.Errorf("%s: no text", name)
		}
		if w, ok := want[name]; ok && !strings.Contains(all, w) {
			t.Errorf("%s: text does not hold %q:\n%s", name, w, all)
		}
		if w, ok := wantStream[name]; ok && !hasStream(res, w) {
			t.Errorf("%s: no stream at %s: %+v %q", name, w, res.Texts, res.Binaries)
		}
	}
	// Sheets are named as in the workbook.
	res := extracttest.Run(t, "testEXCEL_extra_metadata.xls", files["testEXCEL_extra_metadata.xls"], extracttest.Options{}, New())
	var where []string
	for _, tx := range res.Texts {
		where = append(where, tx.Where)
	}
	wantWhere := []string{"testEXCEL_extra_metadata.xls!sheet:hidden-sheet", "testEXCEL_extra_metadata.xls!sheet:hidden-columns-and-hidden-rows",
		"testEXCEL_extra_metadata.xls!sheet:very-hidden-sheet", "testEXCEL_extra_metadata.xls!sheet:Sheet4"}
	if !slices.Equal(where, wantWhere) {
		t.Errorf("sheet streams %q, want %q", where, wantWhere)
	}
}

// hasStream reports whether res has a text or binary leaf at where (or
// below it).
func hasStream(res extracttest.Result, where string) bool {
	for _, tx := range res.Texts {
		if tx.Where == where || strings.HasPrefix(tx.Where, where+"!") {
			return true
		}
	}
	for _, b := range res.Binaries {
		if b == where || strings.HasPrefix(b, where+"!") {
			return true
		}
	}
	return false
}
