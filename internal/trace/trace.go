// Package trace answers the questions asked of a dump found outside: which
// of our registered records, documents and files it holds, how much of
// each and where, and which other credentials and personal data it
// carries. It builds that report from a scan's findings (the scan itself
// is the pipeline's job) and writes it for people (text, HTML) or machines
// (JSON). Like every report it names rows, documents and masked values,
// never a registered value.
package trace

import (
	"cmp"
	"slices"

	"github.com/leakguard/leakguard/internal/finding"
)

// Report is the answer of a trace.
type Report struct {
	Dumps []string `json:"dumps"`
	// Sets summarise each registered set found: how many of its records
	// (people, accounts), documents or files the dump holds.
	Sets      []SetSummary `json:"sets"`
	Documents []Document   `json:"documents"`
	Files     []File       `json:"files"`
	Records   []Record     `json:"records"`
	// Findings are every other finding (credentials, personal data,
	// markings), masked; Summary counts them.
	Findings []finding.Finding   `json:"findings"`
	Summary  Summary             `json:"summary"`
	Errors   []finding.ItemError `json:"item_errors"`
	Stats    finding.Stats       `json:"stats"`
}

// SetSummary is what the dump holds of one registered set.
type SetSummary struct {
	Type string `json:"type"` // records, docs, files
	Set  string `json:"set"`
	// Found counts distinct records, document versions or file versions;
	// Total the set's registered records when known.
	Found int64 `json:"found"`
	Total int64 `json:"total,omitempty"`
	// Columns counts, for a records set, the found records of which each
	// column was seen.
	Columns map[string]int64 `json:"columns,omitempty"`
}

// Record is one registered record found, with where.
type Record struct {
	Set       string   `json:"set"`
	Row       int64    `json:"row"`
	Columns   []string `json:"columns"`
	Locations []string `json:"locations"`
}

// Document is what the dump holds of one registered document version.
type Document struct {
	Set      string `json:"set"`
	Document string `json:"document"`
	Version  int    `json:"version"`
	// Coverage is the share of the document present in the dump, all
	// items together (its found word ranges merged); ShareOfDump the share
	// of the dump's text that comes from it.
	Coverage    float64 `json:"coverage"`
	ShareOfDump float64 `json:"share_of_dump"`
	Locations   []Place `json:"locations"`
}

// File is what the dump holds of one registered file version.
type File struct {
	Set       string  `json:"set"`
	File      string  `json:"file"`
	Version   int     `json:"version"`
	Size      int64   `json:"size,omitempty"`
	Coverage  float64 `json:"coverage"` // the largest share one item holds
	Locations []Place `json:"locations"`
}

// Place is one item holding part of a registered document or file.
type Place struct {
	Location string  `json:"location"`
	Coverage float64 `json:"coverage"`
	// Share is the part of the item that comes from the document.
	Share float64 `json:"share,omitempty"`
	Exact bool    `json:"exact,omitempty"` // the item is the whole file
}

// Summary counts the findings of the rules.
type Summary struct {
	Total    int64            `json:"total"`
	ByKind   map[string]int64 `json:"by_kind"`
	ByEntity map[string]int64 `json:"by_entity"`
	// Items are the items with most findings, most first (at most 50).
	Items []Count `json:"items"`
}

// Count is a name with a number.
type Count struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// maxItems bounds the items ranked by findings.
const maxItems = 50

// Build makes the report from a scan's findings. totals gives the
// registered row count of each records set, when known.
func Build(dumps []string, fs []finding.Finding, errs []finding.ItemError, st finding.Stats, totals map[string]int64) *Report {
	r := &Report{Dumps: dumps, Errors: errs, Stats: st, Findings: []finding.Finding{},
		Summary: Summary{ByKind: map[string]int64{}, ByEntity: map[string]int64{}}}
	recs := map[recKey]*recordAcc{}
	docs := map[docKey]*docAcc{}
	files := map[docKey]*File{}
	items := map[string]int64{}
	for _, f := range fs {
		where := f.Location.Where()
		m := f.Match
		switch {
		case f.Kind == finding.Registered && m != nil && m.Type == "records":
			k := recKey{m.Set, m.Row}
			a := recs[k]
			if a == nil {
				a = &recordAcc{cols: map[string]bool{}, places: map[string]bool{}}
				recs[k] = a
			}
			for _, c := range m.Columns {
				a.cols[c] = true
			}
			a.places[where] = true
		case f.Kind == finding.Registered && m != nil && m.Type == "docs":
			k := docKey{m.Set, m.Document, m.Version}
			a := docs[k]
			if a == nil {
				a = &docAcc{words: m.Words}
				docs[k] = a
			}
			a.parts = append(a.parts, m.Parts...)
			for _, sp := range m.Spans {
				a.bytes += sp[1] - sp[0]
			}
			a.places = append(a.places, Place{Location: where, Coverage: m.Coverage, Share: m.Share})
		case f.Kind == finding.Registered && m != nil && m.Type == "files":
			k := docKey{m.Set, m.Document, m.Version}
			a := files[k]
			if a == nil {
				a = &File{Set: m.Set, File: m.Document, Version: m.Version, Size: m.Size}
				files[k] = a
			}
			a.Coverage = max(a.Coverage, m.Coverage)
			a.Locations = append(a.Locations, Place{Location: where, Coverage: m.Coverage, Exact: m.Exact})
		default:
			r.Summary.Total++
			r.Summary.ByKind[string(f.Kind)]++
			if f.Entity != "" {
				r.Summary.ByEntity[f.Entity]++
			}
			items[where]++
			r.Findings = append(r.Findings, f)
		}
	}
	r.Records, r.Sets = records(recs, totals)
	for k, a := range docs {
		r.Documents = append(r.Documents, a.report(k, st.Bytes))
	}
	slices.SortFunc(r.Documents, func(a, b Document) int {
		return cmp.Or(cmp.Compare(b.Coverage, a.Coverage), cmp.Compare(a.Set, b.Set), cmp.Compare(a.Document, b.Document), cmp.Compare(a.Version, b.Version))
	})
	for _, f := range files {
		slices.SortFunc(f.Locations, byCoverage)
		r.Files = append(r.Files, *f)
	}
	slices.SortFunc(r.Files, func(a, b File) int {
		return cmp.Or(cmp.Compare(b.Coverage, a.Coverage), cmp.Compare(a.Set, b.Set), cmp.Compare(a.File, b.File), cmp.Compare(a.Version, b.Version))
	})
	r.Sets = append(r.Sets, summarise(Docs, r.Documents, func(d Document) string { return d.Set })...)
	r.Sets = append(r.Sets, summarise(Files, r.Files, func(f File) string { return f.Set })...)
	r.Summary.Items = top(items, maxItems)
	if r.Documents == nil {
		r.Documents = []Document{}
	}
	if r.Files == nil {
		r.Files = []File{}
	}
	if r.Errors == nil {
		r.Errors = []finding.ItemError{}
	}
	return r
}

// The set types, as findings' matches name them.
const (
	Records = "records"
	Docs    = "docs"
	Files   = "files"
)

func byCoverage(a, b Place) int {
	return cmp.Or(cmp.Compare(b.Coverage, a.Coverage), cmp.Compare(a.Location, b.Location))
}

type recKey struct {
	set string
	row int64
}

type docKey struct {
	set, doc string
	version  int
}

type recordAcc struct {
	cols   map[string]bool
	places map[string]bool
}

// records lists the found records by set and row, and summarises each set.
func records(recs map[recKey]*recordAcc, totals map[string]int64) ([]Record, []SetSummary) {
	out := make([]Record, 0, len(recs))
	sums := map[string]*SetSummary{}
	for k, a := range recs {
		rec := Record{Set: k.set, Row: k.row}
		s := sums[k.set]
		if s == nil {
			s = &SetSummary{Type: Records, Set: k.set, Total: totals[k.set], Columns: map[string]int64{}}
			sums[k.set] = s
		}
		s.Found++
		for c := range a.cols {
			rec.Columns = append(rec.Columns, c)
			s.Columns[c]++
		}
		for p := range a.places {
			rec.Locations = append(rec.Locations, p)
		}
		slices.Sort(rec.Columns)
		slices.Sort(rec.Locations)
		out = append(out, rec)
	}
	slices.SortFunc(out, func(a, b Record) int { return cmp.Or(cmp.Compare(a.Set, b.Set), cmp.Compare(a.Row, b.Row)) })
	var sets []SetSummary
	for _, s := range sums {
		sets = append(sets, *s)
	}
	slices.SortFunc(sets, func(a, b SetSummary) int { return cmp.Or(cmp.Compare(b.Found, a.Found), cmp.Compare(a.Set, b.Set)) })
	return out, sets
}

// summarise counts the entries of each set.
func summarise[T any](typ string, entries []T, set func(T) string) []SetSummary {
	n := map[string]int64{}
	for _, e := range entries {
		n[set(e)]++
	}
	var out []SetSummary
	for s, c := range n {
		out = append(out, SetSummary{Type: typ, Set: s, Found: c})
	}
	slices.SortFunc(out, func(a, b SetSummary) int { return cmp.Or(cmp.Compare(b.Found, a.Found), cmp.Compare(a.Set, b.Set)) })
	return out
}

type docAcc struct {
	words  int64
	bytes  int64
	parts  [][2]int64
	places []Place
}

func (a *docAcc) report(k docKey, dumpBytes int64) Document {
	d := Document{Set: k.set, Document: k.doc, Version: k.version, Locations: a.places}
	for _, p := range a.places {
		d.Coverage = max(d.Coverage, p.Coverage)
	}
	if a.words > 0 && len(a.parts) > 0 {
		d.Coverage = max(d.Coverage, min(1, float64(mergedLen(a.parts))/float64(a.words)))
	}
	if dumpBytes > 0 {
		d.ShareOfDump = min(1, float64(a.bytes)/float64(dumpBytes))
	}
	slices.SortFunc(d.Locations, byCoverage)
	return d
}

// mergedLen is the number of words in the union of inclusive ranges.
func mergedLen(rs [][2]int64) int64 {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	var n int64
	cur := rs[0]
	for _, r := range rs[1:] {
		if r[0] <= cur[1]+1 {
			cur[1] = max(cur[1], r[1])
			continue
		}
		n += cur[1] - cur[0] + 1
		cur = r
	}
	return n + cur[1] - cur[0] + 1
}

func top(m map[string]int64, n int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name)) })
	return out[:min(len(out), n)]
}
