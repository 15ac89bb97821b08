package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"

	"github.com/leakguard/leakguard/internal/testdoc"
)

// TestMalformed: broken input is an item error or a partial read, never a
// panic or a failed scan.
func TestMalformed(t *testing.T) {
	good := docSpec{pages: [][]string{{"PLANT-a"}, {"PLANT-b"}}, attachments: map[string][]byte{"x.txt": []byte("PLANT-c")}}.build()
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	cases := map[string][]byte{
		"header only":   []byte("%PDF-1.7\n"),
		"header+noise":  append([]byte("%PDF-1.4\n"), garbage...),
		"no xref":       good[:bytes.Index(good, []byte("xref"))],
		"bad startxref": bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n9"), 1),
	}
	for _, cut := range []int{10, 100, len(good) / 4, len(good) / 2, len(good) * 3 / 4, len(good) - 10} {
		cases["truncated at "+strconv.Itoa(cut)] = good[:cut]
	}
	flipped := bytes.Clone(good)
	for i := 0; i < 40; i++ {
		flipped[rng.IntN(len(flipped)-20)+10] ^= byte(1 + rng.UintN(255))
	}
	cases["bytes flipped"] = flipped
	x := extractor(t)
	for name, data := range cases {
		res := extracttest.Run(t, "bad.pdf", data, extracttest.Options{File: true}, x)
		for _, p := range res.Problems {
			if p.Reason == "" || p.Error == "" {
				t.Errorf("%s: problem without reason or message: %+v", name, p)
			}
		}
		t.Logf("%s: %d bytes: %d texts, %d problems %v", name, len(data), len(res.Texts), len(res.Problems), reasons(res))
		if len(res.Texts) == 0 && len(res.Problems) == 0 {
			t.Errorf("%s: neither text nor an item error", name)
		}
	}
	// Unreadable as a whole: said so, with the corrupt reason.
	for _, name := range []string{"header only", "header+noise", "truncated at 10"} {
		res := extracttest.Run(t, "bad.pdf", cases[name], extracttest.Options{}, x)
		if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonCorrupt || res.Problems[0].Location.Where() != "bad.pdf" {
			t.Errorf("%s: want one corrupt problem at bad.pdf, got %+v", name, res.Problems)
		}
	}
}

// TestEmpty: zero bytes never reach PDFium. The registry identifies an
// empty file as text, so the extractor is called directly.
func TestEmpty(t *testing.T) {
	err := extractor(t).Extract(context.Background(), &extract.Node{Name: "empty.pdf"}, &randomOnly{})
	if err == nil || extract.Reason(err) != finding.ReasonCorrupt {
		t.Fatalf("want a corrupt error, got %v", err)
	}
}

// TestTimeout: a document that keeps PDFium busy past the time bound is
// stopped (the instance killed) and reported as a time limit of that
// document alone; the pool goes on serving.
func TestTimeout(t *testing.T) {
	x := New(WithWorkers(1), WithTimeout(300*time.Millisecond))
	defer x.Close()
	if _, err := x.Start(); err != nil {
		t.Fatal(err)
	}
	doc := docSpec{pages: [][]string{{"PLANT-slow"}}}.build()
	slow := &slowReader{r: bytes.NewReader(doc), delay: 150 * time.Millisecond}
	t0 := time.Now()
	problems, err := runTop(context.Background(), x, extract.Top{Size: int64(len(doc)), R: bytes.NewReader(doc), At: slow})
	if el := time.Since(t0); el > 3*time.Second {
		t.Errorf("took %v to stop", el)
	}
	if err != nil {
		t.Fatalf("scan failed: %v", err)
	}
	if len(problems) != 1 || problems[0].Reason != finding.ReasonLimit {
		t.Fatalf("want one limit problem, got %+v", problems)
	}
	t.Logf("stopped after %v: %s", time.Since(t0), problems[0].Error)
	// The killed instance was replaced.
	res := extracttest.Run(t, "doc.pdf", doc, extracttest.Options{File: true}, x)
	assertWhere(t, res, "PLANT-slow", "doc.pdf!page:1")
}

// TestCancel: cancelling the scan stops a document promptly and the
// cancellation comes back as the scan's error, not as an item error.
func TestCancel(t *testing.T) {
	x := extractor(t)
	doc := docSpec{pages: [][]string{{"a"}, {"b"}}}.build()
	ctx, cancel := context.WithCancel(context.Background())
	slow := &slowReader{r: bytes.NewReader(doc), delay: 50 * time.Millisecond}
	time.AfterFunc(200*time.Millisecond, cancel)
	t0 := time.Now()
	problems, err := runTop(ctx, x, extract.Top{Size: int64(len(doc)), R: bytes.NewReader(doc), At: slow})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v (problems %+v)", err, problems)
	}
	if el := time.Since(t0); el > 2*time.Second {
		t.Errorf("took %v to stop", el)
	}
}

// TestConcurrentNested: more documents than PDFium instances, each with a
// PDF inside: a parent never holds its instance while its child waits for
// one, so nothing deadlocks.
func TestConcurrentNested(t *testing.T) {
	x := extractor(t)
	inner := docSpec{pages: [][]string{{"PLANT-deep"}}}.build()
	mid := docSpec{pages: [][]string{{"mid"}}, attachments: map[string][]byte{"deep.pdf": inner}}.build()
	var wg sync.WaitGroup
	done := make(chan struct{})
	for g := 0; g < 6; g++ {
		// Distinct content per goroutine, so the registry's dedup does not
		// skip the nesting.
		top := docSpec{pages: [][]string{{"top " + strconv.Itoa(g)}}, attachments: map[string][]byte{"mid.pdf": mid, "id.txt": []byte(strconv.Itoa(g))}}.build()
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := extracttest.Run(t, "top.pdf", top, extracttest.Options{File: true}, x)
			if len(res.Problems) > 0 {
				t.Errorf("problems: %+v", res.Problems)
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("nested extraction deadlocked")
	}
}

// slowReader is a document on a slow disk.
type slowReader struct {
	r     io.ReaderAt
	delay time.Duration
}

func (s *slowReader) ReadAt(p []byte, off int64) (int, error) {
	time.Sleep(s.delay)
	return s.r.ReadAt(p, off)
}

// runTop extracts one item with x through a real registry whose scanner
// discards text, and returns its item errors.
func runTop(ctx context.Context, x *Extractor, top extract.Top) ([]finding.ItemError, error) {
	top.Location = finding.Location{Path: "doc.pdf"}
	reg, err := extract.New(extract.Config{Scanner: discard{}, Extractors: []extract.Extractor{x}})
	if err != nil {
		return nil, err
	}
	var problems []finding.ItemError
	_, err = reg.Extract(ctx, top, extract.Output{
		Finding: func(finding.Finding) error { return nil },
		Problem: func(e finding.ItemError) error { problems = append(problems, e); return nil },
	})
	return problems, err
}

type discard struct{}

func (discard) ScanText(_ context.Context, _ finding.Location, _ string, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	n, err := io.Copy(io.Discard, r)
	return finding.Stats{Bytes: n}, err
}

func (discard) ScanBinary(_ context.Context, _ finding.Location, _ string, _ []byte, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	n, err := io.Copy(io.Discard, r)
	return finding.Stats{Bytes: n}, err
}

// randomOnly is an emitter for a node of no content; anything but Random
// is a test failure.
type randomOnly struct{ extract.Emitter }

func (randomOnly) Random(context.Context) (io.ReaderAt, int64, error) {
	return bytes.NewReader(nil), 0, nil
}

func reasons(res extracttest.Result) []string {
	var r []string
	for _, p := range res.Problems {
		r = append(r, p.Reason)
	}
	return r
}

// TestMemoryLimit: content that expands past an instance's memory limit
// (a flate bomb as a page's content and as an attachment) fails as an item
// error at its place; the process does not grow with it and the pool goes
// on with a fresh instance.
func TestMemoryLimit(t *testing.T) {
	x := New(WithWorkers(1), WithMemoryLimit(32<<20))
	defer x.Close()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("BT /F1 12 Tf 72 720 Td (PLANT-bomb) Tj ET\n"))
	zw.Write(bytes.Repeat([]byte{' '}, 96<<20))
	zw.Close()
	bomb := z.String()

	var b testdoc.Builder
	catalog, pages := b.Reserve(), b.Reserve()
	font := b.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	ok := b.Add(stream("", textContent("PLANT-fine")))
	heavy := b.Add(stream("/Filter /FlateDecode", bomb))
	p1 := b.Add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", pages, font, heavy))
	p2 := b.Add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", pages, font, ok))
	ef := b.Add(stream(fmt.Sprintf("/Type /EmbeddedFile /Filter /FlateDecode /Params << /Size %d >>", 96<<20), bomb))
	spec := b.Add(fmt.Sprintf("<< /Type /Filespec /F (bomb.txt) /EF << /F %d 0 R >> >>", ef))
	b.Set(pages, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count 2 >>", p1, p2))
	b.Set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Names << /EmbeddedFiles << /Names [(bomb.txt) %d 0 R] >> >> >>", pages, spec))
	doc := b.Bytes(catalog)

	runtime.GC()
	res := extracttest.Run(t, "bomb.pdf", doc, extracttest.Options{File: true}, x)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d bytes of PDF: texts %d, problems %+v; Go heap in use after: %d MB", len(doc), len(res.Texts), res.Problems, ms.HeapInuse>>20)
	assertWhere(t, res, "PLANT-fine", "bomb.pdf!page:2")
	var where []string
	for _, p := range res.Problems {
		where = append(where, p.Location.Where())
		if strings.Contains(p.Error, "\n") {
			t.Errorf("multi-line item error: %q", p.Error)
		}
	}
	if !slices.Contains(where, "bomb.pdf!attachment:bomb.txt") {
		t.Errorf("the attachment bomb is not an item error: %v", where)
	}
}
