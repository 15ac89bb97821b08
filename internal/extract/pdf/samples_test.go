package pdf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// TestSampleWordCoverage checks, for each PDF of py-pdf's sample files
// made from a .tex or .odt source beside it, that at least 95% of the
// source's words appear in the extracted text in the same order.
func TestSampleWordCoverage(t *testing.T) {
	root := dataDir(t, "documents", "pdf-samples")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	x := extractor(t)
	checked := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(root, d.Name())
		pdfs, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
		srcs, _ := filepath.Glob(filepath.Join(dir, "*.tex"))
		odts, _ := filepath.Glob(filepath.Join(dir, "*.odt"))
		srcs = append(srcs, odts...)
		if len(pdfs) != 1 || len(srcs) != 1 {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			var src string
			var err error
			if strings.HasSuffix(srcs[0], ".tex") {
				var b []byte
				b, err = os.ReadFile(srcs[0])
				src = texText(string(b))
			} else {
				src, err = odtText(srcs[0])
			}
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(pdfs[0])
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(pdfs[0])
			res := extracttest.Run(t, name, data, extracttest.Options{File: true}, x)
			if pw, ok := samplePasswords[d.Name()]; ok {
				// Without its password the document is an item error
				// that says so; with it, its text is read.
				if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonEncrypted || len(res.Texts) != 0 {
					t.Fatalf("without a password: want one %s problem and no text, got %+v, %d texts",
						finding.ReasonEncrypted, res.Problems, len(res.Texts))
				}
				xp := New(WithWorkers(1), WithPasswords("wrong", pw))
				defer xp.Close()
				res = extracttest.Run(t, name, data, extracttest.Options{File: true}, xp)
			}
			for _, p := range res.Problems {
				t.Errorf("problem at %s: %s: %s", p.Location.Where(), p.Reason, p.Error)
			}
			want, got := words(src), words(res.All())
			found := inOrder(want, got)
			cov := 1.0
			if len(want) > 0 {
				cov = float64(found) / float64(len(want))
			}
			t.Logf("%s: %d of %d source words in order (%.1f%%); %d words extracted", d.Name(), found, len(want), 100*cov, len(got))
			if cov < 0.95 {
				t.Errorf("word coverage %.1f%% < 95%%\nsource: %q\nextracted: %q", 100*cov, want, got)
			}
			if len(got) == 0 {
				t.Errorf("no text extracted")
			}
		})
		checked++
	}
	if checked < 8 {
		t.Errorf("only %d samples with a source found", checked)
	}
}

// samplePasswords are the open passwords of the encrypted samples (from
// their README).
var samplePasswords = map[string]string{"005-libreoffice-writer-password": "openpassword"}
