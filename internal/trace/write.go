package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteJSON writes the report as one indented JSON document.
func WriteJSON(w io.Writer, r *Report) error {
	if r.Sets == nil {
		r.Sets = []SetSummary{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// maxListed bounds the rows and places a text report lists per set.
const maxListed = 20

// WriteText writes the report for a person: the registered data first,
// largest exposure first, then the other findings by kind and entity and
// the items holding most of them.
func WriteText(w io.Writer, r *Report) error {
	p := &printer{w: w}
	p.f("Trace of %s: %d items, %s read, %d item errors\n", strings.Join(r.Dumps, ", "), r.Stats.Items, size(r.Stats.Bytes), len(r.Errors))

	p.f("\nRegistered records\n")
	n := 0
	for _, s := range r.Sets {
		if s.Type != Records {
			continue
		}
		n++
		of := ""
		if s.Total > 0 {
			of = fmt.Sprintf(" of %d (%s)", s.Total, pct(float64(s.Found)/float64(s.Total)))
		}
		p.f("  %s: %d records%s\n", s.Set, s.Found, of)
		p.f("    columns exposed: %s\n", counts(s.Columns))
		listed := 0
		for _, rec := range r.Records {
			if rec.Set != s.Set {
				continue
			}
			if listed++; listed > maxListed {
				p.f("    … %d more records (--format json lists them all)\n", s.Found-maxListed)
				break
			}
			p.f("    row %-8d %-40s %s\n", rec.Row, strings.Join(rec.Columns, ", "), strings.Join(rec.Locations, "; "))
		}
	}
	if n == 0 {
		p.f("  none found\n")
	}

	p.f("\nRegistered documents\n")
	if len(r.Documents) == 0 {
		p.f("  none found\n")
	}
	for _, d := range r.Documents {
		p.f("  %s: %s v%d: %s of it present, %s of the dump\n", d.Set, d.Document, d.Version, pct(d.Coverage), pct(d.ShareOfDump))
		for i, pl := range d.Locations {
			if i == maxListed {
				p.f("    … %d more items\n", len(d.Locations)-maxListed)
				break
			}
			p.f("    %6s of the document, %6s of the item  %s\n", pct(pl.Coverage), pct(pl.Share), pl.Location)
		}
	}

	p.f("\nRegistered files\n")
	if len(r.Files) == 0 {
		p.f("  none found\n")
	}
	for _, f := range r.Files {
		p.f("  %s: %s v%d (%s)\n", f.Set, f.File, f.Version, size(f.Size))
		for i, pl := range f.Locations {
			if i == maxListed {
				p.f("    … %d more items\n", len(f.Locations)-maxListed)
				break
			}
			what := pct(pl.Coverage) + " of it"
			if pl.Exact {
				what = "exact copy"
			}
			p.f("    %-12s  %s\n", what, pl.Location)
		}
	}

	p.f("\nOther findings: %d\n", r.Summary.Total)
	if r.Summary.Total > 0 {
		p.f("  by kind:   %s\n", counts(r.Summary.ByKind))
		p.f("  by entity: %s\n", counts(r.Summary.ByEntity))
		p.f("  items with most:\n")
		for i, c := range r.Summary.Items {
			if i == 10 {
				p.f("    … %d more items (--format json lists every finding)\n", len(r.Summary.Items)-10)
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

func counts(m map[string]int64) string {
	cs := top(m, len(m))
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.Name + " " + strconv.FormatInt(c.Count, 10)
	}
	return strings.Join(s, ", ")
}
