package archive_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// deflated compresses data with raw deflate, as a zip member holds it.
func deflated(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// TestOverlapBomb: many directory entries share one local file's data, the
// "full overlap" construction. Nothing is expanded.
func TestOverlapBomb(t *testing.T) {
	zeros := make([]byte, 4<<20)
	data := deflated(t, zeros)
	var z rawZip
	e := z.local("0", zip.Deflate, 0, data, crc(zeros), uint32(len(zeros)))
	for i := range 2000 {
		e.name = fmt.Sprint(i)
		z.dir(e)
	}
	bomb := z.bytes()
	start := time.Now()
	res := run(t, "bomb.zip", bomb, extract.Limits{})
	took := time.Since(start)
	wantProblem(t, res, "bomb.zip", finding.ReasonLimit, "overlapping entries: refused as a zip bomb")
	if len(res.Problems) != 1 || len(res.Texts)+len(res.Binaries) != 0 || res.Stats.Bytes != 0 {
		t.Errorf("the bomb was opened: %d problems, %d texts, %d binaries, %d bytes",
			len(res.Problems), len(res.Texts), len(res.Binaries), res.Stats.Bytes)
	}
	t.Logf("overlap bomb of %d bytes declaring %d GiB refused in %s", len(bomb), 2000*len(zeros)>>30, took)
}

// TestQuotedOverlapBomb: each entry's data quotes the next entry's local
// header, so the ranges nest instead of coinciding.
func TestQuotedOverlapBomb(t *testing.T) {
	kernel := []byte(strings.Repeat("PLANT-kernel ", 100))
	var z rawZip
	// Build from the innermost entry outwards: entry i's stored data is
	// the local header and data of entry i+1.
	var inner rawZip
	innerEntry := inner.local("k", zip.Store, 0, kernel, crc(kernel), uint32(len(kernel)))
	quoted := inner.b.Bytes()
	outer := z.local("q", zip.Store, 0, quoted, crc(quoted), uint32(len(quoted)))
	innerEntry.offset = outer.offset + 30 + uint32(len("q"))
	z.dir(outer)
	z.dir(innerEntry)
	res := run(t, "quoted.zip", z.bytes(), extract.Limits{})
	wantProblem(t, res, "quoted.zip", finding.ReasonLimit, "overlapping entries: refused as a zip bomb")
	if len(res.Tokens) != 0 {
		t.Errorf("members of a refused zip were scanned: %v", res.Tokens)
	}
}

// TestAbsurdSizes: entries that declare terabytes from a few kilobytes.
func TestAbsurdSizes(t *testing.T) {
	var z rawZip
	for i := range 300 {
		z.dir(z.local(fmt.Sprint(i), zip.Deflate, 0, []byte{3, 0}, 0, 0xffffffff))
	}
	res := run(t, "absurd.zip", z.bytes(), extract.Limits{})
	wantProblem(t, res, "absurd.zip", finding.ReasonLimit, "declared sizes are absurd")
}

// TestNestedBomb is a 42.zip in small: levels of zips, 8 members each,
// whose leaves expand 4 MiB of zeros from 4 KiB. Every zip differs from
// its siblings, so dedup cannot help; the leaves are refused on their
// declared ratio before one byte of them is expanded, and the entry limit
// ends the item.
func TestNestedBomb(t *testing.T) {
	zeros := make([]byte, 4<<20)
	leaf := deflated(t, zeros)
	sum := crc(zeros)
	const fan, levels = 8, 2 // three levels of zips, 512 leaves
	build := func(tag string, children func(i int) (name string, data []byte)) []byte {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		for i := range fan {
			name, data := children(i)
			fw, err := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc(data),
				CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))})
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(data)
		}
		w.SetComment(tag)
		w.Close()
		return b.Bytes()
	}
	var level func(depth int, tag string) []byte
	level = func(depth int, tag string) []byte {
		if depth == levels {
			var b bytes.Buffer
			w := zip.NewWriter(&b)
			for i := range fan {
				fw, _ := w.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("%s-%d.bin", tag, i), Method: zip.Deflate,
					CRC32: sum, CompressedSize64: uint64(len(leaf)), UncompressedSize64: uint64(len(zeros))})
				fw.Write(leaf)
			}
			w.Close()
			return b.Bytes()
		}
		return build(tag, func(i int) (string, []byte) {
			sub := fmt.Sprintf("%s%d", tag, i)
			return sub + ".zip", level(depth+1, sub)
		})
	}
	bomb := level(0, "l")
	declared := int64(len(zeros)) * fan * fan * fan

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	res := run(t, "42.zip", bomb, extract.Limits{})
	took := time.Since(start)
	runtime.ReadMemStats(&after)

	if res.Stats.Bytes > 16<<20 {
		t.Errorf("scanned %d bytes of a bomb", res.Stats.Bytes)
	}
	ratio := 0
	for _, p := range res.Problems {
		if p.Reason != finding.ReasonLimit {
			t.Fatalf("problem %s: %s %s", p.Location.Where(), p.Reason, p.Error)
		}
		if strings.Contains(p.Error, "refused as a compression bomb") {
			ratio++
		}
	}
	if ratio != fan*fan*fan {
		t.Errorf("%d leaves refused on their ratio, want %d", ratio, fan*fan*fan)
	}
	if took > 5*time.Second {
		t.Errorf("refusing the bomb took %s", took)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("42.zip-style bomb: %d bytes declaring %d GiB, %d leaves refused in %s, %d MiB allocated, %s",
		len(bomb), declared>>30, ratio, took, alloc>>20, peakRSS())

	// With a lower entry limit the item stops as a whole, once.
	res = run(t, "42.zip", bomb, extract.Limits{MaxEntries: 100})
	entries := 0
	for _, p := range res.Problems {
		if strings.Contains(p.Error, "entry limit") {
			entries++
		}
	}
	if entries != 1 {
		t.Errorf("%d entry-limit problems, want 1: %+v", entries, res.Problems[len(res.Problems)-1])
	}
}

// peakRSS reads the process's peak resident set from /proc, for the log.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "peak RSS unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return "peak RSS " + strings.Join(strings.Fields(line[6:]), " ")
		}
	}
	return "peak RSS unknown"
}
