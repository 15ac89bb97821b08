package office

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/finding"
)

// discard is a Scanner that reads and counts: the engine's cost left out.
type discard struct{ n atomic.Int64 }

func (d *discard) ScanText(_ context.Context, _ finding.Location, _ string, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	n, err := io.Copy(io.Discard, r)
	d.n.Add(n)
	return finding.Stats{Bytes: n}, err
}

func (d *discard) ScanBinary(_ context.Context, _ finding.Location, _ string, _ []byte, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	n, err := io.Copy(io.Discard, r)
	return finding.Stats{Bytes: n}, err
}

// writeLargeXlsx writes a workbook whose one sheet is at least size bytes
// of XML: shared strings, inline strings, numbers and dates. It returns
// the sheet's uncompressed size.
func writeLargeXlsx(tb testing.TB, path string, size int64) int64 {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(w, body)
	}
	put("[Content_Types].xml", contentTypes("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"))
	put("_rels/.rels", relsXML("rId1 officeDocument xl/workbook.xml"))
	put("xl/workbook.xml", xmlHead+`<workbook `+nsMain+` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Big" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", relsXML("rId1 worksheet worksheets/sheet1.xml", "rId2 sharedStrings sharedStrings.xml", "rId3 styles styles.xml"))
	put("xl/styles.xml", xmlHead+`<styleSheet `+nsMain+`><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`)
	const nShared = 100_000
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		tb.Fatal(err)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(xmlHead + `<sst ` + nsMain + `>`)
	for i := range nShared {
		fmt.Fprintf(bw, `<si><t>employee %d name</t></si>`, i)
	}
	bw.WriteString(`</sst>`)
	bw.Flush()
	w, err = zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		tb.Fatal(err)
	}
	cw := &countWriter{w: w}
	bw = bufio.NewWriterSize(cw, 1<<20)
	bw.WriteString(xmlHead + `<worksheet ` + nsMain + `><sheetData>`)
	for row := 1; cw.n+int64(bw.Buffered()) < size; row++ {
		fmt.Fprintf(bw, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d.25</v></c><c r="C%d" t="inlineStr"><is><t>note for row %d</t></is></c><c r="D%d" s="1"><v>%d</v></c></row>`,
			row, row, row%nShared, row, row*7, row, row, row, 30000+row%20000)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	bw.Flush()
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return cw.n
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// peakHeap samples the live heap until stop is closed and returns the
// highest value seen.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// BenchmarkXlsxLarge extracts a workbook with a 200 MB sheet from a file,
// as a scan of a file server would, and reports the sheet's MB/s, the
// bytes allocated and the peak live heap: memory must not follow the
// sheet's size.
//
// LEAKGUARD_XLSX_SHEET_MB sets the sheet's size; with LEAKGUARD_BENCH_DIR set the workbook is written there and kept, for
// whole-process measurements (/usr/bin/time -v leakguard scan DIR/large.xlsx).
func BenchmarkXlsxLarge(b *testing.B) {
	dir := os.Getenv("LEAKGUARD_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, "large.xlsx")
	sheet := int64(benchSize)
	if mb, err := strconv.Atoi(os.Getenv("LEAKGUARD_XLSX_SHEET_MB")); err == nil && mb > 0 {
		sheet = int64(mb) << 20 // 1400 makes a workbook of about 200 MB on disk
	}
	size := writeLargeXlsx(b, path, sheet)
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	sc := &discard{}
	reg, err := extract.New(extract.Config{Scanner: sc, Extractors: []extract.Extractor{New()}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	cpu0 := cpuTime()
	for b.Loop() {
		var problems []finding.ItemError
		_, err := reg.Extract(context.Background(), extract.Top{Location: finding.Location{Path: "large.xlsx"}, Size: st.Size(), R: io.NewSectionReader(f, 0, st.Size()), At: f},
			extract.Output{Finding: func(finding.Finding) error { return nil }, Problem: func(e finding.ItemError) error { problems = append(problems, e); return nil }})
		if err != nil || len(problems) > 0 {
			b.Fatalf("err %v, problems %+v", err, problems)
		}
	}
	cpu := cpuTime() - cpu0
	close(stop)
	if cpu > 0 { // the machine may be shared: CPU time says what wall time cannot
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		b.ReportMetric(float64(size)/(1<<20)/(cpu.Seconds()/float64(b.N)), "MB/cpu-s")
	}
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(sc.n.Load())/float64(b.N)/(1<<20), "text-MB/op")
	b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
	if hwm := peakRSS(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MB")
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set (Linux VmHWM), 0 when
// unknown; it includes generating the workbook.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// benchSize is the sheet size BenchmarkXlsxLarge generates.
const benchSize = 200 << 20
