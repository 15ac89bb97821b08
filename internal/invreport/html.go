package invreport

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"time"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

//go:embed report.html.tmpl
var pageTemplate string

// page is what the template renders: the report and its charts.
type page struct {
	R                             *Report
	Severity, Status, Kind        barChart
	Entity, Rule, Folders, People barChart
	Trend                         trendChart
	// TableCut and NewCut say that a listing shows fewer findings than
	// there are.
	TableCut, NewCut bool
}

// WriteHTML writes the report as one self-contained HTML page: inline CSS,
// inline SVG charts, a few lines of inline script to sort the tables, and a
// Content-Security-Policy that forbids loading anything, so that the page
// opens the same from a mail attachment, a share or an air-gapped laptop.
// Every name in it (paths, rules, sets) comes from scanned data and is
// escaped by html/template.
func WriteHTML(w io.Writer, r *Report) error {
	t, err := template.New("report").Funcs(template.FuncMap{
		"num":     num,
		"stamp":   stamp,
		"unix":    func(t time.Time) int64 { return t.Unix() },
		"where":   whereLine,
		"sevRank": func(s finding.Severity) int { return s.Rank() },
		"sevClass": func(s finding.Severity) string {
			return "sev-" + known(string(s), "critical", "high", "medium", "low", "info")
		},
		"stClass": func(s store.Status) string {
			return "st-" + known(string(s), "open", "acknowledged", "false-positive", "accepted-risk", "resolved")
		},
	}).Parse(pageTemplate)
	if err != nil {
		return err
	}
	p := page{R: r,
		Severity: hbars("By severity", r.BySeverity, 8, severityColor),
		Status:   hbars("By status", r.ByStatus, 8, statusColor),
		Kind:     hbars("By kind", r.ByKind, 8, kindColor),
		Entity:   hbars("By entity (top 12)", r.ByEntity, 12, defaultColor),
		Rule:     hbars("By rule (top 12)", r.ByRule, 12, defaultColor),
		Trend:    trend(r.Trend),
		TableCut: int64(len(r.Table)) < r.Findings,
		NewCut:   int64(len(r.NewList)) < r.New,
	}
	var folders, people []Count
	for _, f := range r.Folders {
		name := f.Folder
		if name == "" {
			name = "(no folder)"
		}
		folders = append(folders, Count{name, f.Findings})
	}
	p.Folders = hbars("Findings per folder", folders, len(folders), func(string) string { return "#b03a2e" })
	for _, s := range r.Registered {
		if s.Type == "records" {
			people = append(people, Count{s.Set, s.Records})
		}
	}
	p.People = hbars("Records (people) exposed per set", people, len(people), func(string) string { return kindColor("registered") })
	return t.Execute(w, p)
}

// known returns s when it is one of the names, else "other": a CSS class is
// built from it.
func known(s string, names ...string) string {
	for _, n := range names {
		if s == n {
			return s
		}
	}
	return "other"
}

// num writes an integer with thousands separators.
func num(v any) string {
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int64:
		n = x
	}
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// whereLine renders a location as path[!member…][:line].
func whereLine(l finding.Location) string {
	s := l.Where()
	if l.Line > 0 {
		s += ":" + strconv.Itoa(l.Line)
	}
	return s
}
