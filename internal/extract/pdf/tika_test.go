package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium/requests"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// TestTikaCorpus reads every PDF of the Tika test documents: none may
// panic or hang, each unreadable one is an item error with a reason, and
// memory stays bounded.
func TestTikaCorpus(t *testing.T) {
	dir := dataDir(t, "documents", "tika")
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no PDFs in %s: %v", dir, err)
	}
	x := extractor(t)
	runtime.GC() // what earlier tests left (compiling the module) is not this test's
	var pages, size int
	var peak uint64
	t0 := time.Now()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		size += len(data)
		pages += countPages(t, x, data)
		name := filepath.Base(f)
		t1 := time.Now()
		res := extracttest.Run(t, name, data, extracttest.Options{File: true}, x)
		d := time.Since(t1)
		text := res.All()
		for _, p := range res.Problems {
			if p.Reason == "" {
				t.Errorf("%s: problem without a reason: %v", p.Location.Where(), p.Error)
			}
			t.Logf("%s: item error at %s: %s: %s", name, p.Location.Where(), p.Reason, p.Error)
		}
		if len(res.Texts) == 0 && len(res.Problems) == 0 {
			t.Errorf("%s: neither text nor an item error", name)
		}
		if testing.Verbose() {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			t.Logf("%s: %d bytes of text, %d children, %v, heap %d MB", name, len(text), len(res.Texts)-1+len(res.Binaries), d, ms.HeapInuse>>20)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	el := time.Since(t0)
	t.Logf("%d PDFs, %d MB, %d top-level pages, in %v (%.0f docs/s, %.0f pages/s); peak Go heap in use %d MB, peak RSS %s",
		len(files), size>>20, pages, el, float64(len(files))/el.Seconds(), float64(pages)/el.Seconds(), peak>>20, peakRSS())
	if peak > 512<<20 {
		t.Errorf("Go heap reached %d MB", peak>>20)
	}
}

// countPages returns the page count PDFium sees, 0 for a document it
// cannot open.
func countPages(t testing.TB, x *Extractor, data []byte) int {
	t.Helper()
	s, err := x.open(context.Background(), bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0
	}
	defer s.close()
	pc, err := s.inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: s.doc})
	if err != nil {
		return 0
	}
	return pc.PageCount
}

// peakRSS is the process's peak resident memory, from Linux's
// /proc/self/status (VmHWM), or "unknown".
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
