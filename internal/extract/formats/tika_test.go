package formats_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/extract/formats"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
	"github.com/leakguard/leakguard/internal/scan"
	fssource "github.com/leakguard/leakguard/internal/source/fs"
)

func sharedData(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"..", "..", "..", "..", "shared", "data"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("labelled data not found at %s (the repository expects ../shared beside it): %v", p, err)
	}
	return p
}

func engine(t testing.TB) *detect.Engine {
	t.Helper()
	rs := rules.Builtin()
	e, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("test key"))))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// sink collects a scan's output.
type sink struct {
	findings []finding.Finding
	errors   []finding.ItemError
	stats    finding.Stats
}

func (s *sink) Finding(_ context.Context, f finding.Finding) error {
	s.findings = append(s.findings, f)
	return nil
}
func (s *sink) ItemError(_ context.Context, e finding.ItemError) error {
	s.errors = append(s.errors, e)
	return nil
}
func (s *sink) Close(_ context.Context, st finding.Stats) error { s.stats = st; return nil }

// TestTikaCorpus scans Apache Tika's 604 test documents, many broken on
// purpose, with every extractor: nothing may crash or hang, memory stays
// bounded, and each document that cannot be read is an item error that
// says why.
func TestTikaCorpus(t *testing.T) {
	dir := sharedData(t, "documents", "tika")
	set := formats.Default(2)
	defer set.Close()
	sc, err := scan.New(engine(t), scan.Options{Workers: 2, Extractors: set.List()})
	if err != nil {
		t.Fatal(err)
	}
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out := &sink{}
	start := time.Now()
	st, err := sc.Run(ctx, fssource.New([]string{dir}, fssource.Options{Workers: 2}), out)
	close(stop)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	took := time.Since(start)
	if st.Items < 600 {
		t.Errorf("scanned %d items, want the 604 documents", st.Items)
	}
	reasons := map[string]int{}
	for _, e := range out.errors {
		reasons[e.Reason]++
		switch e.Reason {
		case finding.ReasonPanic:
			t.Errorf("panic in %s: %s", e.Location.Where(), e.Error)
		case finding.ReasonLimit:
			if strings.Contains(e.Error, "time limit") {
				t.Errorf("hang in %s: %s", e.Location.Where(), e.Error)
			}
		case "":
			t.Errorf("item error without a reason at %s: %s", e.Location.Where(), e.Error)
		}
		if e.Error == "" {
			t.Errorf("item error without a message at %s", e.Location.Where())
		}
	}
	var rs []string
	for r, n := range reasons {
		rs = append(rs, r+"="+strconv.Itoa(n))
	}
	sort.Strings(rs)
	t.Logf("%d items, %d bytes read, %d findings, %d item errors (%s), skipped %v, deduped %d, in %s, peak heap %d MiB",
		st.Items, st.Bytes, len(out.findings), len(out.errors), strings.Join(rs, " "), st.Skipped, st.Deduped, took.Round(time.Millisecond), peak.Load()>>20)
	if took > 5*time.Minute {
		t.Errorf("took %s, want under 5 minutes", took)
	}
	if p := peak.Load(); p > 1<<30 {
		t.Errorf("peak heap %d MiB", p>>20)
	}
}
