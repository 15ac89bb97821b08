package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func readCSV(t *testing.T, r *Result) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", r))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestCSVRows(t *testing.T) {
	in := fixture()
	rows := readCSV(t, in)
	if len(rows) != 1+len(in.Findings) {
		t.Fatalf("%d rows for %d findings", len(rows), len(in.Findings))
	}
	header := rows[0]
	want := []string{"rule", "kind", "entity", "confidence", "severity", "path", "container",
		"line", "column", "end_line", "end_column", "offset", "end_offset", "masked", "fingerprint", "secret"}
	if !slices.Equal(header, want) {
		t.Fatalf("header %v, want %v", header, want)
	}
	col := func(row []string, name string) string { return row[slices.Index(header, name)] }
	ssn := rows[2]
	if col(ssn, "container") != "hr/2014.xlsx > sheet:Pay" || col(ssn, "line") != "3" || col(ssn, "end_offset") != "51" {
		t.Errorf("container row: %v", ssn)
	}
	if noLine := rows[3]; col(noLine, "line") != "" || col(noLine, "offset") != "1024" {
		t.Errorf("a finding without a line should leave line empty and keep offsets: %v", noLine)
	}
	if col(rows[1], "secret") != apiKeyValue || col(rows[2], "secret") != "" {
		t.Errorf("secret column: %q, %q", col(rows[1], "secret"), col(rows[2], "secret"))
	}
}

// Without any value in clear, there is no secret column at all.
func TestCSVNoSecretColumn(t *testing.T) {
	in := fixture()
	for i := range in.Findings {
		in.Findings[i].Secret = ""
	}
	for _, row := range readCSV(t, in) {
		if len(row) != len(csvHeader) {
			t.Fatalf("row has %d columns, want %d: %v", len(row), len(csvHeader), row)
		}
	}
	if got := string(render(t, "csv", in)); strings.Contains(got, ",secret\n") || strings.Contains(got, apiKeyValue) {
		t.Errorf("CSV has a secret column or value:\n%s", got)
	}
}

// Cells a spreadsheet would run as formulas get a leading apostrophe; quotes
// and line breaks inside cells survive.
func TestCSVFormulaInjection(t *testing.T) {
	r := &Result{Findings: []finding.Finding{{
		Rule: "r", Kind: finding.PII, Entity: "@SUM(A1)",
		Location: finding.Location{Path: "+cmd|' /C calc'!A0", Container: []string{"-x", "y"}},
		Masked:   "=1+1", Fingerprint: "\tx",
	}, {
		Rule: "r", Kind: finding.PII,
		Location: finding.Location{Path: "a \"quoted\"\nname.txt"},
		Masked:   "x=1", Fingerprint: "f",
	}}}
	rows := readCSV(t, r)
	row := rows[1]
	for i, want := range map[int]string{2: "'@SUM(A1)", 5: "'+cmd|' /C calc'!A0", 6: "'-x > y", 13: "'=1+1", 14: "'\tx"} {
		if row[i] != want {
			t.Errorf("%s = %q, want %q", csvHeader[i], row[i], want)
		}
	}
	if row := rows[2]; row[5] != "a \"quoted\"\nname.txt" || row[13] != "x=1" {
		t.Errorf("plain cells changed: %q %q", row[5], row[13])
	}
}
