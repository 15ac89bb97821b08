package pdf

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// BenchmarkGeoTopo extracts a 100-odd page LaTeX book and reports pages/s.
func BenchmarkGeoTopo(b *testing.B) {
	path := filepath.Join(dataDir(b, "documents", "pdf-samples"), "009-pdflatex-geotopo", "GeoTopo-komprimiert.pdf")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	x := extractor(b)
	pages := countPages(b, x, data)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		res := extracttest.Run(b, "geotopo.pdf", data, extracttest.Options{File: true}, x)
		if len(res.Problems) > 0 {
			b.Fatal(res.Problems)
		}
	}
	b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
}
