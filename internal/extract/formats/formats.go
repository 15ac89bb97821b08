// Package formats is the explicit list of extractors a scan uses: which
// code reads which format is decided here and nowhere else.
package formats

import (
	"errors"
	"runtime"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/archive"
	"github.com/leakguard/leakguard/internal/extract/legacy"
	"github.com/leakguard/leakguard/internal/extract/mail"
	"github.com/leakguard/leakguard/internal/extract/markup"
	"github.com/leakguard/leakguard/internal/extract/office"
	"github.com/leakguard/leakguard/internal/extract/ole"
	"github.com/leakguard/leakguard/internal/extract/pdf"
)

// Set is the extractors of one scan. Some hold resources (the PDF engine's
// pool of WebAssembly instances, started on the first PDF): Close releases
// them when the scan is done.
type Set struct {
	list []extract.Extractor
	pdf  *pdf.Extractor
}

// Default returns the extractors of a normal scan run by workers workers
// (0: one per CPU, as the scan does).
func Default(workers int) *Set {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := pdf.New(pdf.WithWorkers(workers))
	return &Set{pdf: p, list: []extract.Extractor{
		archive.New(),
		legacy.New(),
		mail.New(),
		markup.New(),
		office.New(),
		ole.New(),
		p,
	}}
}

// List returns the extractors, for extract.Config and scan.Options.
func (s *Set) List() []extract.Extractor { return s.list }

// Close releases what the extractors hold.
func (s *Set) Close() error {
	return errors.Join(s.pdf.Close())
}
