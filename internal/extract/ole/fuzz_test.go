package ole

import (
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// FuzzCompoundFile runs damaged compound files through the extractor: an
// item error is fine, a panic or a hang is not.
func FuzzCompoundFile(f *testing.F) {
	for _, name := range []string{"testVISIO.vsd", "testWORKS2000.wps", "protect.xlsx"} {
		f.Add(tika(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		extracttest.Run(t, "x.bin", data, extracttest.Options{}, New())
	})
}
