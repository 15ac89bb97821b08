package cli

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/trace"
)

// workbook writes a minimal xlsx whose one sheet holds rows of inline
// strings; an empty string leaves its cell out, as Excel does.
func workbook(t *testing.T, rows [][]string) []byte {
	t.Helper()
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`
	var sheet strings.Builder
	sheet.WriteString(head + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, i+1)
		for j, v := range row {
			if v != "" {
				fmt.Fprintf(&sheet, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+j, i+1, v)
			}
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	rel := func(id, typ, target string) string {
		return `<Relationship Id="` + id + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/` + typ + `" Target="` + target + `"/>`
	}
	rels := func(body string) string {
		return head + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + body + `</Relationships>`
	}
	parts := [][2]string{
		{"[Content_Types].xml", head + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`},
		{"_rels/.rels", rels(rel("rId1", "officeDocument", "xl/workbook.xml"))},
		{"xl/workbook.xml", head + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", rels(rel("rId1", "worksheet", "worksheets/sheet1.xml"))},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRegisterRecordsFromWorkbook registers an xlsx sheet with an empty
// cell in one row and checks that the row's later values stay in their
// columns: found by its own e-mail and birth date, not shifted.
func TestRegisterRecordsFromWorkbook(t *testing.T) {
	t.Setenv("LEAKGUARD_HOME", t.TempDir())
	dir := t.TempDir()
	book := filepath.Join(dir, "staff.xlsx")
	os.WriteFile(book, workbook(t, [][]string{
		{"employee_id", "full_name", "email", "birth_date"},
		{"800111", "Ingrid Halvorsen", "ingrid.h@corp.example", "1971-05-23"},
		{"800112", "", "tomasz.w@corp.example", "1983-11-02"},
	}), 0o600)
	code, out, errs := run(t, "", "register", "records", book, "--name", "staff", "--primary", "employee_id,email")
	if code != ExitClean || !strings.Contains(out, "registered 2 rows") {
		t.Fatalf("register: exit %d\n%s%s", code, out, errs)
	}
	dump := filepath.Join(dir, "dump.txt")
	os.WriteFile(dump, []byte("From HR: tomasz.w@corp.example, date of birth 02.11.1983\n"), 0o600)
	code, out, errs = run(t, "", "trace", "--format", "json", "--no-progress", dump)
	var rep trace.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitFindings {
		t.Fatalf("trace: exit %d, %v\n%s%s", code, err, out, errs)
	}
	if len(rep.Records) != 1 || rep.Records[0].Row != 2 || strings.Join(rep.Records[0].Columns, ",") != "birth_date,email" {
		t.Errorf("want row 2 by email and birth_date, got %+v", rep.Records)
	}
}
