package office

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func TestNotAZip(t *testing.T) {
	for name, data := range map[string][]byte{
		"truncated.docx": memoDocx(t, nil)[:300],
		"empty.xlsx":     zipOf(t, part{"readme.txt", "nothing office here"}),
	} {
		// Both reach the extractor by their names: a cut zip and a zip
		// without the parts of a document are corrupt documents.
		r := run(t, name, data)
		if len(r.Problems) != 1 || r.Problems[0].Reason != finding.ReasonCorrupt {
			t.Errorf("%s: problems %+v, want one corrupt", name, r.Problems)
		}
	}
}

// A workbook named .docx is read as the workbook it is.
func TestFamilyFromContent(t *testing.T) {
	data := xlsxOf(t, nil, nil, [2]string{"S", `<sheetData><row><c t="inlineStr"><is><t>PLANT-misnamed</t></is></c></row></sheetData>`})
	r := run(t, "report.docx", data)
	wantAt(t, r, map[string][]string{"PLANT-misnamed": {"report.docx!sheet:S!cell:A1"}})
}

// A damaged sheet is recorded where it is; what was read of it and the
// sheets after it are still scanned.
func TestCorruptSheet(t *testing.T) {
	data := xlsxOf(t, nil, nil,
		[2]string{"Bad", `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>PLANT-before</t></is></c><c r="B1" t="inlineStr"><is><t>PLANT-cut</t></is></c></row><row></sheetData><c <<`},
		[2]string{"Good", `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>PLANT-good</t></is></c></row></sheetData>`})
	r := run(t, "bad.xlsx", data)
	wantAt(t, r, map[string][]string{
		"PLANT-before": {"bad.xlsx!sheet:Bad!cell:A1"},
		"PLANT-cut":    {"bad.xlsx!sheet:Bad!cell:B1"},
		"PLANT-good":   {"bad.xlsx!sheet:Good!cell:A1"},
	})
	if len(r.Problems) != 1 || r.Problems[0].Reason != finding.ReasonCorrupt || r.Problems[0].Location.Where() != "bad.xlsx!sheet:Bad" {
		t.Errorf("problems %+v, want one corrupt at bad.xlsx!sheet:Bad", r.Problems)
	}
}

// A part whose declared sizes make it a bomb is refused before it is
// inflated; the rest of the document is read.
func TestBombPart(t *testing.T) {
	good := xlsxOf(t, nil, nil,
		[2]string{"Bomb", `<sheetData/>`},
		[2]string{"Fine", `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>PLANT-fine</t></is></c></row></sheetData>`})
	// Rewrite the zip with sheet1 claiming 10 GiB from 1 KiB.
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			h := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, CompressedSize64: 1024, UncompressedSize64: 10 << 30, CRC32: 1}
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(bytes.Repeat([]byte{0}, 1024))
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	r := run(t, "bomb.xlsx", buf.Bytes())
	wantAt(t, r, map[string][]string{"PLANT-fine": {"bomb.xlsx!sheet:Fine!cell:A1"}})
	if len(r.Problems) != 1 || r.Problems[0].Reason != finding.ReasonLimit || r.Problems[0].Location.Where() != "bomb.xlsx!sheet:Bomb" {
		t.Errorf("problems %+v, want one limit at bomb.xlsx!sheet:Bomb", r.Problems)
	}
}

// Past its bound the shared-string table stops growing, says so, and the
// cells that refer beyond it are empty while the others are read.
func TestSharedLimit(t *testing.T) {
	sst := &sharedStrings{max: 40}
	src := `<sst><si><t>PLANT-kept</t></si><si><t>` + strings.Repeat("x", 100) + `</t></si><si><t>PLANT-lost</t></si></sst>`
	err := readShared(strings.NewReader(src), sst, &ticker{})
	if err == nil || !strings.Contains(err.Error(), "shared strings larger") {
		t.Fatalf("err %v, want a limit", err)
	}
	if string(sst.get(0)) != "PLANT-kept" || sst.get(2) != nil {
		t.Errorf("table %q %q", sst.get(0), sst.get(2))
	}
}

// An encrypted OOXML file is an OLE compound file, not a zip: the registry
// does not route it here. A zip member with the encryption flag is.
func TestEncryptedMember(t *testing.T) {
	good := memoDocx(t, nil)
	zr, _ := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			fh := f.FileHeader
			fh.Flags |= 1
			w, _ := zw.CreateRaw(&fh)
			rc, _ := f.OpenRaw()
			var b bytes.Buffer
			b.ReadFrom(rc)
			w.Write(b.Bytes())
			continue
		}
		zw.Copy(f)
	}
	zw.Close()
	r := run(t, "locked.docx", buf.Bytes())
	found := false
	for _, p := range r.Problems {
		if p.Reason == finding.ReasonEncrypted {
			found = true
		}
	}
	if !found {
		t.Errorf("problems %+v, want an encrypted one", r.Problems)
	}
	wantAt(t, r, map[string][]string{"PLANT-header": {"locked.docx!header1"}})
}
