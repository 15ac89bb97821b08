package markup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// tikaDir returns the folder of Apache Tika's test documents, which the
// repository expects beside it in ../shared.
func tikaDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "documents", "tika")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the Tika test documents are missing (expected at %s, from ../shared/data beside the repository): %v", dir, err)
	}
	return dir
}

// tikaFiles returns the Tika documents the registry identifies as one of
// kinds, by name.
func tikaFiles(t testing.TB, kinds ...extract.Kind) map[string][]byte {
	t.Helper()
	dir := tikaDir(t)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		head := b[:min(len(b), extract.HeadSize)]
		k := extract.Identify(head, e.Name())
		for _, want := range kinds {
			if k == want {
				files[e.Name()] = b
			}
		}
	}
	return files
}

func TestTikaDocuments(t *testing.T) {
	files := tikaFiles(t, extract.KindHTML, extract.KindRTF)
	if len(files) < 70 {
		t.Fatalf("found %d HTML and RTF documents in the Tika folder, want at least 70", len(files))
	}
	// Text each of these documents must yield, somewhere in its streams.
	want := map[string]string{
		"testHTML.html":                      "Indexation du fichier",
		"testSrcDoc.html":                    "this is the iframe content",
		"testHTML_embedded_data_uri_js.html": "alert( 'Hello, world!' )",
		"testXHTML.html":                     "This document tests the ability of Apache Tika",
		"testHTML_utf8.html":                 "åäö",
		"testRTF.rtf":                        "Test d'indexation Word",
		"testRTFWindowsCodepage1250.rtf":     "zażółć gęślą jaźń",
		"testRTF-ms932.rtf":                  "こんにちは",
		"testRTFJapanese.rtf":                "ゾルゲと尾崎、淡々と最期",
		"testRTFVarious.rtf":                 "Row 2 Col 1\tRow 2 Col 2\tRow 2 Col 3",
		"testRTFTableCellSeparation.rtf":     "a\tb\nc\td",
		"testRTFHexEscapeInsideWord.rtf":     "ESPÍRITO SANTO",
		"testRTFEmbeddedFiles.rtf":           "Content with UTF-8 chars",
		"testComment.rtf":                    "Here is a comment",
	}
	for name, data := range files {
		res := extracttest.Run(t, name, data, extracttest.Options{}, New())
		if len(res.Problems) > 0 {
			t.Errorf("%s: problems %+v", name, res.Problems)
		}
		all := res.All()
		if strings.TrimSpace(all) == "" {
			t.Errorf("%s: no text", name)
		}
		if w, ok := want[name]; ok && !strings.Contains(all, w) {
			t.Errorf("%s: text does not hold %q:\n%s", name, w, all)
		}
	}
	for name := range want {
		if files[name] == nil {
			t.Errorf("%s is not identified as HTML or RTF", name)
		}
	}
}
