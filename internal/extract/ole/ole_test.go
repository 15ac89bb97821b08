package ole

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/extract/legacy"
	"github.com/leakguard/leakguard/internal/finding"
)

func tika(t testing.TB, name string) []byte {
	t.Helper()
	p := filepath.Join("..", "..", "..", "..", "shared", "data", "documents", "tika", name)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("test document missing (the repository expects ../shared beside it): %v", err)
	}
	return b
}

func TestEncryptedOOXMLIsReportedAsEncrypted(t *testing.T) {
	for _, name := range []string{"testWORD_protected_passtika.docx", "testEXCEL_protected_passtika.xlsx", "testPPT_protected_passtika.pptx", "protected_upper_case.docx"} {
		res := extracttest.Run(t, name, tika(t, name), extracttest.Options{File: true}, New())
		if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonEncrypted {
			t.Errorf("%s: problems %+v, want one encrypted", name, res.Problems)
		}
	}
}

func TestOfficeFileUnderAnotherNameIsRerouted(t *testing.T) {
	data := tika(t, "testEXCEL.xls")
	res := extracttest.Run(t, "oleObject1.bin", data, extracttest.Options{}, New(), legacy.New())
	if len(res.Problems) != 0 || !strings.Contains(res.All(), "Sample Excel Worksheet") {
		t.Errorf("problems %+v, text %.200q", res.Problems, res.All())
	}
}

func TestUnknownApplicationIsSaid(t *testing.T) {
	res := extracttest.Run(t, "testVISIO.vsd", tika(t, "testVISIO.vsd"), extracttest.Options{File: true}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonUnsupported || !strings.Contains(res.Problems[0].Error, "streams:") {
		t.Errorf("problems %+v, want one unsupported naming the streams", res.Problems)
	}
}

func TestNotACompoundFile(t *testing.T) {
	data := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...)
	res := extracttest.Run(t, "x.bin", data, extracttest.Options{}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt {
		t.Errorf("problems %+v, want one corrupt", res.Problems)
	}
}
