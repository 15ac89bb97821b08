package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// WriteJSON writes the report as one indented JSON document.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a person: the registered data first,
// largest exposure first, then the other findings by kind and entity and
// the items holding most of them.
func WriteText(w io.Writer, r *Report) error {
	p := &printer{w: w}
	p.f("Trace of %s: %d items, %s read, %d item errors\n", strings.Join(r.Dumps, ", "), r.Stats.Items, size(r.Stats.Bytes), len(r.Errors))

	p.f("\nRegistered records\n")
	if len(r.Records) == 0 {
		p.f("  none found\n")
	}
	for _, s := range r.Records {
		of := ""
		if s.Total > 0 {
			of = fmt.Sprintf(" of %d (%s)", s.Total, pct(float64(s.Found)/float64(s.Total)))
		}
		p.f("  %s: %d records%s\n", s.Set, s.Found, of)
		cols := make([]string, 0, len(s.Columns))
		for c, n := range s.Columns {
			cols = append(cols, c+" "+strconv.FormatInt(n, 10))
		}
		slices.Sort(cols)
		p.f("    columns exposed: %s\n", strings.Join(cols, ", "))
		for _, pl := range s.Where {
			p.f("    %6d  %s (rows %s)\n", pl.Rows, pl.Location, rows(pl.Sample, pl.Rows))
		}
	}

	p.f("\nRegistered documents\n")
	if len(r.Documents) == 0 {
		p.f("  none found\n")
	}
	for _, d := range r.Documents {
		p.f("  %s: %s v%d: %s of it present\n", d.Set, d.Document, d.Version, pct(d.Coverage))
		for _, pl := range d.Where {
			p.f("    %6s of the document, %6s of the item  %s\n", pct(pl.Coverage), pct(pl.Share), pl.Location)
		}
	}

	p.f("\nRegistered files\n")
	if len(r.Files) == 0 {
		p.f("  none found\n")
	}
	for _, f := range r.Files {
		p.f("  %s: %s v%d (%s)\n", f.Set, f.File, f.Version, size(f.Size))
		for _, pl := range f.Where {
			what := pct(pl.Coverage) + " of it"
			if pl.Exact {
				what = "exact copy"
			}
			p.f("    %-12s  %s\n", what, pl.Location)
		}
	}

	p.f("\nOther findings: %d\n", r.Other.Total)
	if r.Other.Total > 0 {
		p.f("  by kind:   %s\n", counts(r.Other.ByKind))
		p.f("  by entity: %s\n", counts(r.Other.ByEntity))
		p.f("  items with most:\n")
		for i, c := range r.Other.Items {
			if i == 10 {
				p.f("    … %d more items (--format json lists every finding)\n", len(r.Other.Items)-10)
				break
			}
			p.f("    %6d  %s\n", c.Count, c.Name)
		}
	}
	if len(r.Errors) > 0 {
		p.f("\nNot fully read: %d items (--format json lists them with reasons)\n", len(r.Errors))
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// rows shows a sample of row numbers, with how many more there are.
func rows(sample []int64, n int64) string {
	s := make([]string, len(sample))
	for i, r := range sample {
		s[i] = strconv.FormatInt(r, 10)
	}
	out := strings.Join(s, ", ")
	if more := n - int64(len(sample)); more > 0 {
		out += fmt.Sprintf(" and %d more", more)
	}
	return out
}

func counts(m map[string]int64) string {
	cs := top(m, len(m))
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.Name + " " + strconv.FormatInt(c.Count, 10)
	}
	return strings.Join(s, ", ")
}
