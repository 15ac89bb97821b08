package testdoc

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/extract/office"
	"github.com/leakguard/leakguard/internal/extract/pdf"
	"github.com/leakguard/leakguard/internal/fingerprint/docs/leakgen"
)

// sample is text with what a writer must escape or encode: XML and PDF
// string syntax, WinAnsi characters beyond ASCII, a tab and a line break.
var sample = []string{
	`Fellow-Citizens of the Senate & House: <in> "meeting" (again) \ PLANT-first`,
	"Café, naïve “quotes” — and 50 € \tafter a tab\nand a line break",
	strings.Repeat("Long paragraph words flow over several lines here. ", 30) + "PLANT-mid",
}

// words splits text the way a comparison after extraction can rely on.
func words(s string) []string { return strings.Fields(s) }

func TestDocxExtracts(t *testing.T) {
	res := extracttest.Run(t, "leak.docx", Docx(sample), extracttest.Options{}, office.New())
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	var body string
	for _, x := range res.Texts {
		if x.Where == "leak.docx" {
			body = x.Text
		}
	}
	if got, want := strings.Join(words(body), " "), strings.Join(words(strings.Join(sample, "\n")), " "); got != want {
		t.Errorf("docx text\n got %q\nwant %q", got, want)
	}
	// One paragraph per line of text, the line break in the second kept.
	if n := strings.Count(strings.TrimRight(body, "\n"), "\n"); n != len(sample) {
		t.Errorf("%d line ends in %q, want %d", n, body, len(sample))
	}
	if got := res.Where("PLANT-mid"); len(got) != 1 || got[0] != "leak.docx" {
		t.Errorf("PLANT-mid at %v", got)
	}
}

var pdfx struct {
	once sync.Once
	x    *pdf.Extractor
}

// extractor returns one PDFium pool for the package's tests: starting it
// is the slow part.
func extractor(t *testing.T) *pdf.Extractor {
	t.Helper()
	pdfx.once.Do(func() { pdfx.x = pdf.New(pdf.WithWorkers(1)) })
	if _, err := pdfx.x.Start(); err != nil {
		t.Fatalf("start PDFium: %v", err)
	}
	return pdfx.x
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pdfx.x != nil {
		pdfx.x.Close()
	}
	os.Exit(code)
}

func TestPDFExtracts(t *testing.T) {
	// Enough text for several pages, with the sample at both ends.
	paras := append([]string{}, sample...)
	paras = append(paras, leakgen.NewText(1).Doc(3000)...)
	paras = append(paras, "The last paragraph PLANT-last ends it.")
	doc := PDF(paras)
	pages := bytes.Count(doc, []byte("/Type /Page "))
	if pages < 3 {
		t.Fatalf("%d pages for 3000 words", pages)
	}
	res := extracttest.Run(t, "leak.pdf", doc, extracttest.Options{File: true}, extractor(t))
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	if len(res.Texts) == 0 {
		t.Fatal("no text")
	}
	got := words(res.Texts[0].Text)
	want := words(strings.Join(paras, "\n"))
	if strings.Join(got, " ") != strings.Join(want, " ") {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("word %d of %d: got %q, want %q (context %q)", i, len(want), got[i], want[i], got[max(0, i-5):min(len(got), i+5)])
			}
		}
		t.Fatalf("got %d words, want %d", len(got), len(want))
	}
	if w := res.Where("PLANT-first"); len(w) != 1 || w[0] != "leak.pdf!page:1" {
		t.Errorf("PLANT-first at %v", w)
	}
	if w := res.Where("PLANT-last"); len(w) != 1 || w[0] != "leak.pdf!page:"+strconv.Itoa(pages) {
		t.Errorf("PLANT-last at %v, want the last of %d pages", w, pages)
	}
}

// TestPDFStructure checks the cross-reference table against the file: each
// entry's offset is where its object starts, and startxref points at it.
func TestPDFStructure(t *testing.T) {
	doc := PDF(sample)
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(doc[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the table", xref)
	}
	lines := strings.Split(string(doc[xref:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for i := 1; i < n; i++ {
		e := lines[2+i]
		if len(e)+1 != 20 {
			t.Errorf("entry %d is %d bytes, want 20", i, len(e)+1)
		}
		off, _ := strconv.Atoi(e[:10])
		if want := fmt.Sprintf("%d 0 obj\n", i); !bytes.HasPrefix(doc[off:], []byte(want)) {
			t.Errorf("object %d not at offset %d", i, off)
		}
	}
}

func TestWrap(t *testing.T) {
	line := strings.Repeat("Wide MMMM words and narrow iiii ones ", 40) + strings.Repeat("x", 200)
	got := wrap(line)
	if len(got) < 5 {
		t.Fatalf("%d lines", len(got))
	}
	for _, l := range got {
		w := 0
		for _, r := range l {
			w += glyphWidth(r)
		}
		if w > maxUnits {
			t.Errorf("line %q is %d units wide, more than %d", l, w, maxUnits)
		}
	}
	// The same characters in the same order; only spaces became breaks
	// (and the overlong word was cut).
	if strings.ReplaceAll(strings.Join(got, ""), " ", "") != strings.Join(words(line), "") {
		t.Error("wrapping lost or added characters")
	}
}

func TestWinAnsi(t *testing.T) {
	if got := string(winAnsi(`a(b)\c é € ✓`)); got != "a\\(b\\)\\\\c \xe9 \x80 ?" {
		t.Errorf("winAnsi = %q", got)
	}
}
