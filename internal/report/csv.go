package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

var csvHeader = []string{
	"rule", "kind", "entity", "confidence", "severity", "path", "container",
	"line", "column", "end_line", "end_column", "offset", "end_offset",
	"masked", "fingerprint",
}

// writeCSV writes a header and one row per finding. The secret column exists
// only when some finding carries its value, so a default report has no
// column that could hold one.
func writeCSV(w io.Writer, r *Result) error {
	withSecret := r.hasSecrets()
	cw := csv.NewWriter(w)
	header := csvHeader
	if withSecret {
		header = append(header[:len(header):len(header)], "secret")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := r.each(func(_ int, f finding.Finding) error {
		l := f.Location
		row := []string{
			f.Rule, string(f.Kind), f.Entity, f.Confidence.String(), string(f.Severity),
			l.Path, strings.Join(l.Container, " > "),
			position(l.Line), position(l.Column), position(l.EndLine), position(l.EndColumn),
			strconv.FormatInt(l.Offset, 10), strconv.FormatInt(l.EndOffset, 10),
			f.Masked, f.Fingerprint,
		}
		if withSecret {
			row = append(row, f.Secret)
		}
		for i := range row {
			row[i] = defuseCell(row[i])
		}
		return cw.Write(row)
	}); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// position writes a line or column, leaving 0 (unknown) empty as JSON omits it.
func position(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// defuseCell keeps a spreadsheet from reading a cell as a formula: scanned
// paths and values are attacker-controlled, so one starting with = + - @ (or
// a tab or carriage return, which some spreadsheets skip before such a sign)
// gets a leading apostrophe, as OWASP advises against CSV injection.
func defuseCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
