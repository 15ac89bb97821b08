package pdf

import (
	"bytes"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// FuzzExtract feeds mutated PDFs through the registry to the extractor.
// PDFium itself runs sandboxed; what is fuzzed is everything around it:
// opening, page and annotation walking, attachments, error mapping. Any
// input must give text or item errors, never a panic or a failed scan.
func FuzzExtract(f *testing.F) {
	inner := docSpec{pages: [][]string{{"PLANT-inner"}}}.build()
	f.Add(docSpec{pages: [][]string{{"PLANT-a"}, {"PLANT-b"}}}.build())
	f.Add(docSpec{
		pages:       [][]string{{"x"}, {"y"}},
		attachments: map[string][]byte{"a.txt": []byte("PLANT-c"), "in.pdf": inner},
		comments:    map[int]string{1: "PLANT-d"},
		fields:      map[int][2]string{0: {"k", "PLANT-e"}},
		annotFiles:  map[int][2]string{1: {"n.txt", "PLANT-f"}},
	}.build())
	f.Add(docSpec{pages: [][]string{{"a"}, {"b"}}, broken: map[int]bool{1: true}}.build())
	f.Add([]byte("%PDF-1.7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			// Only a PDF header routes the input to this extractor.
			data = append([]byte("%PDF-1.7\n"), data...)
		}
		res := extracttest.Run(t, "fuzz.pdf", data, extracttest.Options{File: true}, extractor(t))
		for _, p := range res.Problems {
			if p.Reason == "" {
				t.Errorf("problem without a reason: %+v", p)
			}
		}
	})
}
