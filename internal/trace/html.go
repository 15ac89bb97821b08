package trace

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

//go:embed report.html.tmpl
var htmlSource string

// page is the HTML template: one self-contained file, no script, no
// network, so that it can be attached to an incident ticket and opened
// anywhere.
var page = template.Must(template.New("trace").Funcs(template.FuncMap{
	"pct":    pct,
	"size":   size,
	"join":   strings.Join,
	"bar":    func(f float64) float64 { return 4 + 396*min(max(f, 0), 1) },
	"y":      func(i int) int { return 8 + 28*i },
	"h":      func(n int) int { return 16 + 28*n },
	"limit":  func(n int, rs []Record) []Record { return rs[:min(n, len(rs))] },
	"limitF": func(n int, fs []finding.Finding) []finding.Finding { return fs[:min(n, len(fs))] },
}).Parse(htmlSource))

// WriteHTML writes the report as one self-contained HTML page for an
// incident report: a chart of what leaked by set, then the records,
// documents, files and other findings, with masked values only.
func WriteHTML(w io.Writer, r *Report) error {
	type set struct {
		SetSummary
		Share float64
		Label string
	}
	var sets []set
	for _, s := range r.Sets {
		x := set{SetSummary: s}
		switch s.Type {
		case Records:
			x.Share = 1
			x.Label = itoa(s.Found) + " records"
			if s.Total > 0 {
				x.Share = float64(s.Found) / float64(s.Total)
				x.Label += " of " + itoa(s.Total) + " (" + pct(x.Share) + ")"
			}
		case Docs:
			for _, d := range r.Documents {
				if d.Set == s.Set {
					x.Share = max(x.Share, d.Coverage)
				}
			}
			x.Label = itoa(s.Found) + " documents, up to " + pct(x.Share) + " of one"
		case Files:
			for _, f := range r.Files {
				if f.Set == s.Set {
					x.Share = max(x.Share, f.Coverage)
				}
			}
			x.Label = itoa(s.Found) + " files, up to " + pct(x.Share) + " of one"
		}
		sets = append(sets, x)
	}
	return page.Execute(w, struct {
		*Report
		Chart []set
	}{r, sets})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
