package archive_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	dbzip2 "github.com/dsnet/compress/bzip2"
	"github.com/klauspost/compress/zstd"
	"github.com/sorairolake/lzip-go"
	"github.com/ulikunitz/xz"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/archive"
	"github.com/leakguard/leakguard/internal/finding"
)

// compressor writes one compressed stream of data.
type compressor func(t testing.TB, data []byte) []byte

func writeWith(t testing.TB, data []byte, open func(io.Writer) (io.WriteCloser, error)) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := open(&b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func bzip2Of(t testing.TB, data []byte) []byte {
	return writeWith(t, data, func(w io.Writer) (io.WriteCloser, error) { return dbzip2.NewWriter(w, nil) })
}

func xzOf(t testing.TB, data []byte) []byte {
	return writeWith(t, data, func(w io.Writer) (io.WriteCloser, error) {
		return xz.WriterConfig{DictCap: 1 << 16}.NewWriter(w) // small windows keep the tests fast
	})
}

func zstdOf(t testing.TB, data []byte) []byte {
	return writeWith(t, data, func(w io.Writer) (io.WriteCloser, error) {
		return zstd.NewWriter(w, zstd.WithSingleSegment(false), zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<16))
	})
}

func lzipOf(t testing.TB, data []byte) []byte {
	return writeWith(t, data, func(w io.Writer) (io.WriteCloser, error) {
		return lzip.NewWriterOptions(w, &lzip.WriterOptions{DictSize: 1 << 16})
	})
}

var streams = []struct {
	ext string
	of  compressor
}{
	{".gz", func(t testing.TB, d []byte) []byte { return gzipOf(t, "", d) }},
	{".bz2", bzip2Of},
	{".xz", xzOf},
	{".zst", zstdOf},
	{".lz", lzipOf},
}

// TestStreams reads each compressed format, a single stream and two
// concatenated ones (gzip, bzip2, xz, zstd and lzip all allow that).
func TestStreams(t *testing.T) {
	for _, s := range streams {
		t.Run(s.ext, func(t *testing.T) {
			one := s.of(t, []byte("api_key: PLANT-one"+strings.TrimPrefix(s.ext, ".")+"\n"))
			res := run(t, "secret.txt"+s.ext, one, extract.Limits{})
			wantAt(t, res, "PLANT-one"+strings.TrimPrefix(s.ext, "."), "secret.txt"+s.ext+"!secret.txt")

			two := append(s.of(t, []byte("first PLANT-first\n")), s.of(t, []byte("second PLANT-second\n"))...)
			res = run(t, "two"+s.ext, two, extract.Limits{})
			wantAt(t, res, "PLANT-first", "two"+s.ext+"!two")
			wantAt(t, res, "PLANT-second", "two"+s.ext+"!two")
			if len(res.Problems) != 0 {
				t.Errorf("problems: %+v", res.Problems)
			}
		})
	}
}

// TestStreamsTruncated: a cut stream is scanned up to the cut and the cut
// is an item error of the compressed file.
func TestStreamsTruncated(t *testing.T) {
	// Words of random letters: every part of the stream holds some text.
	rng := rand.New(rand.NewPCG(1, 2))
	var text strings.Builder
	text.WriteString("PLANT-early\n")
	for text.Len() < 300<<10 {
		for range 1 + rng.IntN(9) {
			text.WriteByte(byte('a' + rng.IntN(26)))
		}
		text.WriteByte(" \n"[rng.IntN(2)])
	}
	for _, s := range streams {
		t.Run(s.ext, func(t *testing.T) {
			data := s.of(t, []byte(text.String()))
			res := run(t, "cut"+s.ext, data[:len(data)*3/4], extract.Limits{})
			ps := problems(res, "cut"+s.ext)
			if len(ps) != 1 || ps[0].Reason != finding.ReasonCorrupt {
				t.Fatalf("problems: %+v", res.Problems)
			}
			// bzip2 works in 900 kB blocks: a cut in the only block
			// leaves nothing; the others stream.
			if s.ext != ".bz2" {
				wantAt(t, res, "PLANT-early", "cut"+s.ext+"!cut")
			}
		})
	}
}

// TestStreamNames: the child is named after the stream's own record or
// the compressed file's name.
func TestStreamNames(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"x.tbz2", "x.tbz2!x.tar"}, {"x.tar.bz2", "x.tar.bz2!x.tar"}, {"x.txz", "x.txz!x.tar"},
		{"x.tzst", "x.tzst!x.tar"}, {"dir\\x.tlz", "dir\\x.tlz!x.tar"}, {"noext", "noext!noext"},
	} {
		data := tarOf(t, txt("in.txt", "PLANT-name"))
		var comp []byte
		switch {
		case strings.HasSuffix(c.name, "bz2"):
			comp = bzip2Of(t, data)
		case strings.HasSuffix(c.name, "xz"):
			comp = xzOf(t, data)
		case strings.HasSuffix(c.name, "zst"):
			comp = zstdOf(t, data)
		case strings.HasSuffix(c.name, "lz"):
			comp = lzipOf(t, data)
		default:
			comp = gzipOf(t, "", data)
		}
		res := run(t, c.name, comp, extract.Limits{})
		wantAt(t, res, "PLANT-name", c.want+"!in.txt")
	}
}

// TestExpansion: compressed streams, by any of their suffixes and in any
// case, are expected to expand most, zip-like archives less, anything else
// not at all; the registry takes the estimate of the formats it reads.
func TestExpansion(t *testing.T) {
	x := archive.New()
	for _, c := range []struct {
		name string
		want int
	}{
		{"regexp/testdata/re2-exhaustive.txt.bz2", 16}, {"logs/app.log.GZ", 16}, {"a.tar.zst", 16},
		{"backup.tgz", 16}, {"x.txz", 16}, {`dir\x.lz`, 16},
		{"site.zip", 4}, {"lib.JAR", 4}, {"b.7z", 4},
		{"notes.txt", 1}, {"gz", 1}, {"bz2/readme", 1}, {"report.docx", 1}, {"", 1},
	} {
		if got := x.Expansion(c.name); got != c.want {
			t.Errorf("Expansion(%q) = %d, want %d", c.name, got, c.want)
		}
	}
	reg, err := extract.New(extract.Config{Scanner: nopScanner{}, Extractors: []extract.Extractor{x}})
	if err != nil {
		t.Fatal(err)
	}
	bare, err := extract.New(extract.Config{Scanner: nopScanner{}})
	if err != nil {
		t.Fatal(err)
	}
	if got, bareGot := reg.Expansion("a.gz"), bare.Expansion("a.gz"); got != 16 || bareGot != 1 {
		t.Errorf("registry expansion of a.gz: %d with archives, %d without; want 16 and 1", got, bareGot)
	}
}

// TestStreamDictionaries: a header asking for a huge dictionary is refused
// before it is allocated.
func TestStreamDictionaries(t *testing.T) {
	payload := []byte("PLANT-dict\n")

	// xz: the LZMA2 filter's dictionary byte in the first block header,
	// whose CRC32 is then fixed.
	x := xzOf(t, payload)
	hdr := x[12:]
	hsize := (int(hdr[0]) + 1) * 4
	i := bytes.Index(hdr[:hsize], []byte{0x21, 0x01})
	if i < 0 {
		t.Fatal("no LZMA2 filter in the xz block header")
	}
	hdr[i+2] = 40 // 4 GiB - 1
	binary.LittleEndian.PutUint32(hdr[hsize-4:], crc32.ChecksumIEEE(hdr[:hsize-4]))

	// zstd: the window descriptor after the frame header descriptor.
	z := zstdOf(t, payload)
	if z[4]&0x20 != 0 {
		t.Fatal("zstd frame is single-segment: no window descriptor")
	}
	z[5] = 22 << 3 // 2^(10+22) = 4 GiB

	// lzip: the coded dictionary size in the member header.
	l := lzipOf(t, payload)
	l[5] = 29 // 512 MiB

	for _, c := range []struct {
		name string
		data []byte
	}{{"big.xz", x}, {"big.zst", z}, {"big.lz", l}} {
		res := run(t, c.name, c.data, extract.Limits{})
		ps := problems(res, c.name)
		if len(res.Problems) != 1 || len(ps) != 1 || ps[0].Reason != finding.ReasonLimit ||
			!strings.Contains(ps[0].Error, "dictionary") && !strings.Contains(ps[0].Error, "window") {
			t.Errorf("%s: problems %+v", c.name, res.Problems)
		}
	}
}

// TestGzipBomb: a stream with no declared size is cut off by the measured
// ratio, without holding what it expanded.
func TestGzipBomb(t *testing.T) {
	bomb := gzipOf(t, "", make([]byte, 16<<20))
	start := time.Now()
	res := run(t, "zeros.gz", bomb, extract.Limits{})
	t.Logf("gzip bomb of %d bytes refused in %s, %s", len(bomb), time.Since(start), peakRSS())
	wantProblem(t, res, "zeros.gz!zeros", finding.ReasonLimit, "refused as a compression bomb")
	if res.Stats.Bytes != 0 {
		t.Errorf("scanned %d bytes of a bomb", res.Stats.Bytes)
	}
}

// nopScanner is a registry's scanner for tests that extract nothing.
type nopScanner struct{}

func (nopScanner) ScanText(context.Context, finding.Location, string, io.Reader, func(finding.Finding) error) (finding.Stats, error) {
	return finding.Stats{}, nil
}
func (nopScanner) ScanBinary(context.Context, finding.Location, string, []byte, io.Reader, func(finding.Finding) error) (finding.Stats, error) {
	return finding.Stats{}, nil
}
