package archive_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/archive"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// fuzzLimits keep one fuzz input cheap.
var fuzzLimits = extract.Limits{MaxBytes: 8 << 20, MaxBuffer: 8 << 20, MaxEntries: 2000, Timeout: 5 * time.Second}

// addTikaSeeds adds Tika's small documents with one of exts as seeds.
func addTikaSeeds(f *testing.F, exts ...string) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "documents", "tika")
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.Fatalf("the shared test documents are missing (%v): they are expected at %s", err, dir)
	}
	for _, e := range entries {
		if !slices.Contains(exts, strings.ToLower(filepath.Ext(e.Name()))) {
			continue
		}
		if info, err := e.Info(); err != nil || info.Size() > 64<<10 {
			continue
		}
		if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
			f.Add(data)
		}
	}
}

// fuzzOne extracts data as name and checks what must hold for any input:
// no panic, no hang, every problem with a known reason.
func fuzzOne(t *testing.T, name string, data []byte) {
	res := extracttest.Run(t, name, data, extracttest.Options{Limits: fuzzLimits}, archive.New())
	for _, p := range res.Problems {
		switch p.Reason {
		case finding.ReasonLimit, finding.ReasonEncrypted, finding.ReasonCorrupt, finding.ReasonUnsupported:
		default:
			t.Fatalf("problem at %s with reason %q: %s", p.Location.Where(), p.Reason, p.Error)
		}
	}
}

func FuzzZip(f *testing.F) {
	f.Add(zipOf(f, txt("a.txt", "PLANT-a"), txt("d/", ""), txt("d/b.txt", "PLANT-b")))
	f.Add(zipOf(f, file{"in.zip", zipOf(f, txt("x.txt", "PLANT-x"))}, file{"t.tgz", gzipOf(f, "", tarOf(f, txt("y", "PLANT-y")))}))
	var z rawZip
	e := z.local("0", 0, 0, []byte("PLANT-0"), crc([]byte("PLANT-0")), 7)
	z.dir(e)
	e.name = "1"
	z.dir(e)
	f.Add(z.bytes())
	addTikaSeeds(f, ".zip")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOne(t, "f.zip", data) })
}

func FuzzTar(f *testing.F) {
	f.Add(tarOf(f, txt("a.txt", "PLANT-a"), txt("d/", ""), txt("d/b.txt", "PLANT-b")))
	f.Add(gzipOf(f, "t.tar", tarOf(f, txt("a.txt", "PLANT-a"))))
	f.Add(tarOf(f, file{"in.zip", zipOf(f, txt("x.txt", "PLANT-x"))}))
	addTikaSeeds(f, ".tar", ".tgz")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOne(t, "f.tar", withTarChecksum(data)) })
}

// withTarChecksum fixes the checksum of the first tar header, which the
// registry checks to recognise a tar: without it nearly every mutation of
// a header would be fuzzing the binary-file path instead of the reader.
func withTarChecksum(data []byte) []byte {
	if len(data) < 512 {
		return data
	}
	data = slices.Clone(data)
	copy(data[148:156], "        ")
	sum := 0
	for _, c := range data[:512] {
		sum += int(c)
	}
	copy(data[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return data
}

// FuzzLzip exercises the lzip framing, the one stream format whose framing
// is parsed here rather than by a library.
func FuzzLzip(f *testing.F) {
	f.Add(lzipOf(f, []byte("PLANT-lzip")))
	f.Add(append(lzipOf(f, []byte("PLANT-one")), lzipOf(f, []byte("PLANT-two"))...))
	f.Add(lzipOf(f, []byte(strings.Repeat("PLANT-many ", 1000))))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOne(t, "f.lz", data) })
}
