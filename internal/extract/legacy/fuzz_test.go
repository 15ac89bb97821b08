package legacy

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/richardlehane/mscfb"

	"github.com/leakguard/leakguard/internal/extract"
)

// discardText is a text sink for fuzzing: it only checks marks are sane.
type discardText struct{ n int }

func (d *discardText) WriteString(s string) (int, error) { d.n += len(s); return len(s), nil }
func (d *discardText) Mark(string)                       {}

// stream returns a root stream of a compound file, or nil.
func stream(data []byte, name string) []byte {
	cf, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	for _, f := range cf.File {
		if len(f.Path) == 0 && strings.EqualFold(f.Name, name) && f.Size < 1<<20 {
			b, _ := io.ReadAll(io.LimitReader(f, f.Size))
			return b
		}
	}
	return nil
}

// FuzzPPT fuzzes the record walker with a "PowerPoint Document" stream and
// the offset of its current edit.
func FuzzPPT(f *testing.F) {
	seed := func(file []byte) {
		s, u := stream(file, "PowerPoint Document"), stream(file, "Current User")
		if s != nil && len(s) <= 64<<10 {
			f.Add(s, u32(u, 16))
		}
	}
	seed(presentationFile(tokenPlain))
	for _, data := range tikaFiles(f, extract.KindPpt) {
		seed(data)
	}
	f.Fuzz(func(t *testing.T, s []byte, current uint32) {
		user := binary.LittleEndian.AppendUint32(make([]byte, 12), tokenPlain)
		user = binary.LittleEndian.AppendUint32(user, current)
		w := &slideWriter{tw: &discardText{}}
		p, objects := readPresentation(user, s, w)
		for _, o := range objects {
			if r, ok := p.object(o.persist, rtExOleObjStg); ok && r.off+8+len(r.data) > len(s) {
				t.Fatalf("object record beyond the stream")
			}
		}
	})
}

// FuzzSheetReplay fuzzes the BIFF walk that names xls2csv's sheets.
func FuzzSheetReplay(f *testing.F) {
	f.Add(stream(workbook(sheet{"A", []cell{{0, 0, "x"}}}, sheet{"B", nil}), "Workbook"))
	for _, data := range tikaFiles(f, extract.KindXls) {
		if s := stream(data, "Workbook"); s != nil && len(s) <= 64<<10 {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		if names := replaySheets(bytes.NewReader(s)); len(names) > len(s)/4+1 {
			t.Fatalf("%d sheets from %d bytes", len(names), len(s))
		}
	})
}

// FuzzSheetSplitter fuzzes the CSV reader of xls2csv's output.
func FuzzSheetSplitter(f *testing.F) {
	f.Add("\"a\",,\"b\"\n,\"x\"\"y\",3.5\n\f\"page\fbreak\",\"two\nlines\"\n\f")
	f.Add("\"unterminated\n\f,,,")
	f.Fuzz(func(t *testing.T, csv string) {
		var done []string
		s := &sheetSplitter{names: []string{"a"}, sheet: 1,
			open: func(label string) textStream { return &sheetText{label: label, done: &done} }}
		if err := s.read(strings.NewReader(csv)); err != nil {
			t.Fatal(err)
		}
		s.close()
		if len(done) > strings.Count(csv, "\f")+1 {
			t.Fatalf("%d sheets from %d form feeds", len(done), strings.Count(csv, "\f"))
		}
	})
}
