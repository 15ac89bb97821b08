// Package formats is the explicit list of extractors a scan uses: which
// code reads which format is decided here and nowhere else.
package formats

import (
	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/archive"
	"github.com/leakguard/leakguard/internal/extract/office"
	"github.com/leakguard/leakguard/internal/extract/ole"
)

// Default returns the extractors of a normal scan.
func Default() []extract.Extractor {
	return []extract.Extractor{
		archive.New(),
		office.New(),
		ole.New(),
	}
}
