package office

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
)

// collect runs walk over data with a sink whose streams all go to one
// buffer, and checks what every walker promises: no panic, valid UTF-8,
// output bounded by the input.
func collect(t *testing.T, data []byte, walk func(r io.Reader, s *sink) error) {
	var out bytes.Buffer
	s := newSink(func([]string) stream { return &teeStream{&out} })
	_ = walk(bytes.NewReader(data), s)
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(out.Bytes()) {
		t.Fatalf("invalid UTF-8 out: %q", out.Bytes())
	}
	if out.Len() > 2*len(data)+64 {
		t.Fatalf("%d bytes of text from %d of XML", out.Len(), len(data))
	}
}

// teeStream is an in-memory text stream: every stream of a fuzzed part
// goes to one buffer.
type teeStream struct{ w *bytes.Buffer }

func (s *teeStream) Write(p []byte) (int, error)       { return s.w.Write(p) }
func (s *teeStream) WriteString(p string) (int, error) { return s.w.WriteString(p) }
func (*teeStream) Mark(string)                         {}
func (*teeStream) Close() error                        { return nil }

// seedParts adds to f the members named by match of the Tika documents
// whose extension starts with ext, and of a generated document.
func seedParts(f *testing.F, generated []byte, ext string, match func(name string) bool) {
	add := func(data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, zf := range zr.File {
			if !match(zf.Name) || zf.UncompressedSize64 > 256<<10 {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				continue
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			f.Add(b)
		}
	}
	add(generated)
	dir := tikaDir(f)
	n := 0
	for _, name := range officeFiles(f) {
		if !strings.HasPrefix(filepath.Ext(name), ext) || n >= 12 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		add(data)
		n++
	}
}

func FuzzDocxBody(f *testing.F) {
	seedParts(f, memoDocx(f, nil), ".docx", func(n string) bool {
		return n == "word/document.xml" || strings.HasPrefix(n, "word/header") || n == "word/comments.xml"
	})
	f.Add([]byte(`<w:p><w:r><w:t>a</w:t><w:tab/></w:r></w:p></w:p></w:p><w:tc>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		collect(t, data, func(r io.Reader, s *sink) error { return walkRich(r, s, &ticker{}) })
	})
}

func FuzzSheet(f *testing.F) {
	seedParts(f, bookXlsx(f), ".xlsx", func(n string) bool { return strings.HasPrefix(n, "xl/worksheets/sheet") })
	f.Add([]byte(`<row r="9999999999999"><c r="ZZZZZZZZZZ1" t="s" s="-1"><v>-1</v></c><c t="b"/><c s="0"><v>1e308</v></c></row>`))
	sst := &sharedStrings{data: []byte("onetwo"), ends: []uint32{3, 6}}
	styles := []numKind{numPlain, numDate, numDateTime, numTime}
	f.Fuzz(func(t *testing.T, data []byte) {
		collect(t, data, func(r io.Reader, s *sink) error {
			return newSheetWalker(s, sst, styles, false).walk(r, &ticker{})
		})
	})
}

func FuzzODFContent(f *testing.F) {
	body := `<office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="99999999999"><table:table-cell table:number-columns-repeated="3"><text:p>x<text:s text:c="5"/></text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>`
	seedParts(f, odfPackage(f, "application/vnd.oasis.opendocument.spreadsheet", body), ".od", func(n string) bool {
		return n == "content.xml" || n == "styles.xml"
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		collect(t, data, func(r io.Reader, s *sink) error {
			return (&odfWalker{s: s}).walk(r, &ticker{})
		})
		collect(t, data, func(r io.Reader, s *sink) error {
			return (&odfWalker{s: s, onlyHF: true}).walk(r, &ticker{})
		})
	})
}

// FuzzPackage runs whole packages through the registry: the zip reader,
// relationships, every family's driver.
func FuzzPackage(f *testing.F) {
	for _, data := range [][]byte{memoDocx(f, nil), bookXlsx(f), deckPptx(f),
		odfPackage(f, "application/vnd.oasis.opendocument.text", `<office:text><text:p>x</text:p></office:text>`)} {
		f.Add(data)
	}
	dir := tikaDir(f)
	for _, name := range []string{"testWORD.docx", "testEXCEL.xlsx", "testPPT.pptx", "testEPUB.epub", "testVISIO_text.vsdx", "testFooter.ods"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	x := New()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"f.docx", "f.odt"} {
			r := extracttest.Run(t, name, data, extracttest.Options{File: true}, x)
			if !utf8.ValidString(r.All()) {
				t.Fatalf("invalid UTF-8 text")
			}
		}
	})
}
