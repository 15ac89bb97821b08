package pdf

import (
	"os"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// TestStartupCache: the first start compiles the WebAssembly module and
// fills the cache; a second extractor (as a second process would) loads it
// from there, much faster. Close releases the pool and Extract then fails
// with a reason instead of restarting it.
func TestStartupCache(t *testing.T) {
	dir := t.TempDir()
	first := New(WithWorkers(1), WithCacheDir(dir))
	cold, err := first.Start()
	if err != nil {
		t.Fatal(err)
	}
	doc := docSpec{pages: [][]string{{"PLANT-x"}}}.build()
	assertWhere(t, extracttest.Run(t, "doc.pdf", doc, extracttest.Options{}, first), "PLANT-x", "doc.pdf!page:1")
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) == 0 {
		t.Fatalf("nothing cached in %s", dir)
	}
	second := New(WithWorkers(1), WithCacheDir(dir))
	defer second.Close()
	warm, err := second.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PDFium start: %v compiling, %v from the cache", cold, warm)
	if warm*2 > cold {
		t.Errorf("cached start %v is not much faster than compiling (%v)", warm, cold)
	}

	res := extracttest.Run(t, "doc.pdf", doc, extracttest.Options{}, first)
	if len(res.Problems) != 1 || res.Problems[0].Reason != "unsupported" {
		t.Errorf("after Close: want one unsupported problem, got %+v", res.Problems)
	}
	// Closing an extractor never started starts nothing.
	if err := New(WithCacheDir(dir)).Close(); err != nil {
		t.Error(err)
	}
}
