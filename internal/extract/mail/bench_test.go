package mail

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// discard is a scanner that reads and drops everything: the benchmark
// measures extraction, not detection.
type discard struct{}

func (discard) ScanText(_ context.Context, _ finding.Location, _ string, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	n, err := io.Copy(io.Discard, r)
	return finding.Stats{Bytes: n}, err
}

func (discard) ScanBinary(_ context.Context, _ finding.Location, _ string, _ []byte, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	n, err := io.Copy(io.Discard, r)
	return finding.Stats{Bytes: n}, err
}

// writeMbox writes a mailbox of about size bytes: messages of 20-80 KB
// with a text body and a base64 attachment of random (so never deduplicated)
// bytes, and now and then a quoted ">From " line.
func writeMbox(tb testing.TB, path string, size int64) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	var written int64
	para := strings.Repeat("The quarterly figures are attached; do not forward outside the team. ", 8) + "\n"
	for i := 1; written < size; i++ {
		var b strings.Builder
		day := time.Date(2014, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		fmt.Fprintf(&b, "From sender%d@example.com %s\n", i%97, day.Format(time.ANSIC))
		fmt.Fprintf(&b, "From: Sender %d <sender%d@example.com>\nTo: team@example.com\nSubject: Report %d\nDate: %s\n",
			i%97, i%97, i, day.Format(time.RFC1123Z))
		b.WriteString("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"sep\"\n\n--sep\nContent-Type: text/plain; charset=utf-8\n\n")
		for p := 0; p < 5+rng.IntN(20); p++ {
			b.WriteString(para)
		}
		b.WriteString(">From the archive\n--sep\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"data" + strconv.Itoa(i) + ".bin\"\nContent-Transfer-Encoding: base64\n\n")
		blob := make([]byte, 10_000+rng.IntN(40_000))
		for k := range blob {
			blob[k] = byte(rng.Uint32())
		}
		b.WriteString(b64(blob))
		b.WriteString("--sep--\n\n")
		n, err := w.WriteString(b.String())
		if err != nil {
			tb.Fatal(err)
		}
		written += int64(n)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// heapPeak samples the live heap until stopped and returns its maximum.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// BenchmarkMbox streams a generated 200 MB mailbox through a registry and
// reports throughput and the peak live heap, which must stay flat however
// large the mailbox: run it with
//
//	go test -run X -bench Mbox -benchtime 1x ./internal/extract/mail
//
// LEAKGUARD_MBOX_MB sets the size (default 200); with LEAKGUARD_BENCH_DIR
// the mailbox is written there and kept, for whole-process measurements.
func BenchmarkMbox(b *testing.B) {
	size := int64(200 << 20)
	if mb, err := strconv.Atoi(os.Getenv("LEAKGUARD_MBOX_MB")); err == nil && mb > 0 {
		size = int64(mb) << 20
	}
	dir := os.Getenv("LEAKGUARD_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, "big.mbox")
	writeMbox(b, path, size)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	reg, err := extract.New(extract.Config{Scanner: discard{}, Extractors: []extract.Extractor{New()}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	var peak uint64
	for range b.N {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		stop := heapPeak()
		var problems []finding.ItemError
		stats, err := reg.Extract(context.Background(), extract.Top{Location: finding.Location{Path: path}, Size: st.Size(), R: f, At: f},
			extract.Output{Finding: func(finding.Finding) error { return nil },
				Problem: func(e finding.ItemError) error { problems = append(problems, e); return nil }})
		peak = max(peak, stop())
		f.Close()
		if err != nil || len(problems) > 0 {
			b.Fatalf("extract: %v %+v", err, problems)
		}
		// Attachments are scanned decoded (base64 is 4/3 of that).
		if stats.Bytes < size*7/10 {
			b.Fatalf("scanned %d bytes of a %d-byte mailbox", stats.Bytes, st.Size())
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
}

// peakRSS is the process's resident-set high-water mark (Linux), or 0.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
