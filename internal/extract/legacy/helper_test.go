package legacy

import (
	"bytes"
	"encoding/binary"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/extract/extracttest"
	"github.com/leakguard/leakguard/internal/finding"
)

// needHelper fails the test when a helper the package is meant to run is
// not installed: these tests exist to prove the helpers are used.
func needHelper(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is not installed (apt-get install catdoc): the legacy Office tests need it", tool)
	}
}

// wordDocument builds a Word 97 file whose text is stored as UTF-16 right
// after the file information block: what catdoc reads when the document
// is not fast-saved. flags is the FIB's flag word.
func wordDocument(text string, flags uint16) []byte {
	const textStart = 1024
	body := utf16le(text)
	ws := make([]byte, textStart+len(body))
	binary.LittleEndian.PutUint16(ws[0:], 0xA5EC) // wIdent
	binary.LittleEndian.PutUint16(ws[2:], 0x00C1) // nFib: Word 97
	binary.LittleEndian.PutUint16(ws[10:], flags)
	binary.LittleEndian.PutUint32(ws[24:], textStart)
	binary.LittleEndian.PutUint32(ws[28:], uint32(textStart+len(body)))
	copy(ws[textStart:], body)
	return compoundFile(map[string][]byte{"WordDocument": ws})
}

const (
	fibExtChar   = 0x1000
	fibEncrypted = 0x0100
)

func TestDocTextThroughCatdoc(t *testing.T) {
	needHelper(t, "catdoc")
	doc := wordDocument("Quarterly report, draft one\rПароль: PLANT-docpass for the team\rsecond paragraph PLANT-doc2 ends\r", fibExtChar)
	res := extracttest.Run(t, "report.doc", doc, extracttest.Options{}, New())
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	const want = "Quarterly report, draft one\nПароль: PLANT-docpass for the team\nsecond paragraph PLANT-doc2 ends\n"
	if got := res.All(); got != want+"\n" {
		t.Errorf("text %q, want %q", got, want)
	}
	for _, tok := range []string{"PLANT-docpass", "PLANT-doc2"} {
		if got := res.Where(tok); !slices.Equal(got, []string{"report.doc"}) {
			t.Errorf("%s at %v", tok, got)
		}
	}
}

func TestDocEncrypted(t *testing.T) {
	needHelper(t, "catdoc")
	doc := wordDocument("secret words here, PLANT-hidden\r", fibExtChar|fibEncrypted)
	res := extracttest.Run(t, "locked.doc", doc, extracttest.Options{}, New())
	if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonEncrypted {
		t.Fatalf("problems %+v, want one encrypted", res.Problems)
	}
}

func TestMissingHelperIsSaid(t *testing.T) {
	doc := wordDocument("text, PLANT-x\r", fibExtChar)
	xls := workbook(sheet{"S", []cell{{0, 0, "PLANT-y"}}})
	t.Setenv("PATH", "")
	for name, data := range map[string][]byte{"a.doc": doc, "b.xls": xls} {
		res := extracttest.Run(t, name, data, extracttest.Options{}, New())
		if len(res.Problems) != 1 || res.Problems[0].Reason != finding.ReasonNoHelper ||
			!strings.Contains(res.Problems[0].Error, "apt-get install catdoc") {
			t.Errorf("%s: problems %+v, want one %s naming the package", name, res.Problems, finding.ReasonNoHelper)
		}
		if len(res.Texts) != 0 {
			t.Errorf("%s: text streams %+v, want none", name, res.Texts)
		}
	}
}

// cell is a text cell of a workbook fixture.
type cell struct {
	row, col uint16
	text     string
}

// sheet is a worksheet of a workbook fixture.
type sheet struct {
	name  string
	cells []cell
}

// workbook builds an Excel 97 (BIFF8) file: a globals substream listing
// the sheets, then one substream per sheet holding LABEL cells.
func workbook(sheets ...sheet) []byte {
	rec := func(b *bytes.Buffer, typ uint16, data []byte) {
		binary.Write(b, binary.LittleEndian, typ)
		binary.Write(b, binary.LittleEndian, uint16(len(data)))
		b.Write(data)
	}
	bof := func(b *bytes.Buffer, dt uint16) {
		d := make([]byte, 16)
		binary.LittleEndian.PutUint16(d[0:], 0x0600)
		binary.LittleEndian.PutUint16(d[2:], dt)
		binary.LittleEndian.PutUint16(d[4:], 0x2775)
		binary.LittleEndian.PutUint16(d[6:], 0x07CD)
		rec(b, recBOF, d)
	}
	wide := func(s string) (byte, []byte) {
		for _, r := range s {
			if r > 0xFF {
				return 1, utf16le(s)
			}
		}
		b := make([]byte, 0, len(s))
		for _, r := range s {
			b = append(b, byte(r))
		}
		return 0, b
	}
	var subs [][]byte
	for _, s := range sheets {
		var b bytes.Buffer
		bof(&b, 0x0010)
		for _, c := range s.cells {
			flag, chars := wide(c.text)
			d := binary.LittleEndian.AppendUint16(nil, c.row)
			d = binary.LittleEndian.AppendUint16(d, c.col)
			d = binary.LittleEndian.AppendUint16(d, 0)
			d = binary.LittleEndian.AppendUint16(d, uint16(len([]rune(c.text))))
			d = append(append(d, flag), chars...)
			rec(&b, 0x0204, d)
		}
		rec(&b, recEOF, nil)
		subs = append(subs, b.Bytes())
	}
	// The globals' size is known before the sheets' offsets are: BOF,
	// CODEPAGE, one BoundSheet per sheet, EOF.
	var names [][]byte
	globals := 4 + 16 + 4 + 2 + 4
	for _, s := range sheets {
		flag, chars := wide(s.name)
		n := append([]byte{byte(len([]rune(s.name))), flag}, chars...)
		names = append(names, n)
		globals += 4 + 6 + len(n)
	}
	var g bytes.Buffer
	bof(&g, 0x0005)
	rec(&g, 0x0042, binary.LittleEndian.AppendUint16(nil, 1252))
	off := globals
	for i, n := range names {
		d := binary.LittleEndian.AppendUint32(nil, uint32(off))
		d = append(d, 0, 0)
		rec(&g, recBoundSheet, append(d, n...))
		off += len(subs[i])
	}
	rec(&g, recEOF, nil)
	stream := append(g.Bytes(), bytes.Join(subs, nil)...)
	return compoundFile(map[string][]byte{"Workbook": stream})
}

func TestXlsSheetsThroughXls2csv(t *testing.T) {
	needHelper(t, "xls2csv")
	book := workbook(
		sheet{"Payroll", []cell{{0, 0, "user"}, {0, 1, "password"}, {1, 0, "alice"}, {1, 2, "PLANT-xlscell"},
			{3, 1, "Пароль PLANT-cyr"}, {4, 0, "a, \"quoted\"\nline two PLANT-multiline"}}},
		sheet{"Empty", nil},
		sheet{"Keys", []cell{{0, 0, "key"}, {0, 1, "PLANT-keys"}}},
	)
	res := extracttest.Run(t, "book.xls", book, extracttest.Options{}, New())
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	want := []extracttest.Text{
		{Where: "book.xls!sheet:Payroll", Text: "user\tpassword\nalice\t\tPLANT-xlscell\n\tПароль PLANT-cyr\na, \"quoted\"\nline two PLANT-multiline\n"},
		{Where: "book.xls!sheet:Keys", Text: "key\tPLANT-keys\n"},
	}
	if len(res.Texts) != len(want) {
		t.Fatalf("streams %+v, want %+v", res.Texts, want)
	}
	for i, w := range want {
		if got := res.Texts[i]; got.Where != w.Where || got.Text != w.Text {
			t.Errorf("stream %d: %s %q, want %s %q", i, got.Where, got.Text, w.Where, w.Text)
		}
	}
	for tok, where := range map[string]string{"PLANT-xlscell": "book.xls!sheet:Payroll", "PLANT-cyr": "book.xls!sheet:Payroll",
		"PLANT-multiline": "book.xls!sheet:Payroll", "PLANT-keys": "book.xls!sheet:Keys"} {
		if got := res.Where(tok); !slices.Equal(got, []string{where}) {
			t.Errorf("%s at %v, want %s", tok, got, where)
		}
	}
}

func TestSheetSplitterCSV(t *testing.T) {
	// xls2csv's output for two sheets, with the quoting it does: "" for a
	// quote, a form feed in a quoted cell that is content, not a break.
	const csv = "\"a\",,\"b\"\n,\"x\"\"y\",3.5\n\f\"page\fbreak\",\"two\nlines\"\n\f"
	got := splitForTest(t, csv, []string{"First"})
	want := []string{"sheet:First|a\t\tb\n\tx\"y\t3.5\n", "sheet:2|page\fbreak\ttwo\nlines\n"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// sheetText is a textStream that keeps its text for a test.
type sheetText struct {
	label string
	b     strings.Builder
	done  *[]string
}

func (s *sheetText) WriteByte(c byte) error { return s.b.WriteByte(c) }
func (s *sheetText) Close() error {
	*s.done = append(*s.done, s.label+"|"+s.b.String())
	return nil
}

// splitForTest runs the sheet splitter on csv and returns each stream as
// "label|text".
func splitForTest(t *testing.T, csv string, names []string) []string {
	t.Helper()
	var done []string
	s := &sheetSplitter{names: names, sheet: 1,
		open: func(label string) textStream { return &sheetText{label: label, done: &done} }}
	if err := s.read(strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	return done
}
