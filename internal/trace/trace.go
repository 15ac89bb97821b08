// Package trace answers the questions asked of a dump found outside: which
// of our registered records, documents and files it holds, how much of
// each and where, and which other credentials and personal data it
// carries. It builds that report from a scan's findings (the scan itself
// is the pipeline's job) and writes it for people (text) or machines
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
	Dumps     []string            `json:"dumps"`
	Records   []RecordSet         `json:"records"`
	Documents []Document          `json:"documents"`
	Files     []File              `json:"files"`
	Other     Other               `json:"other"`
	Errors    []finding.ItemError `json:"item_errors"`
	Stats     finding.Stats       `json:"stats"`
}

// RecordSet is what the dump holds of one registered records set.
type RecordSet struct {
	Set string `json:"set"`
	// Total is the set's registered rows, when known; Found how many
	// distinct rows (people, accounts) the dump holds.
	Total int64 `json:"total,omitempty"`
	Found int64 `json:"found"`
	// Columns counts, per column, the found rows of which it was seen.
	Columns map[string]int64 `json:"columns"`
	// Where lists the items holding records of the set, most rows first.
	Where []RecordPlace `json:"where"`
	// Rows are the found row numbers, ascending.
	Rows []int64 `json:"rows"`
}

// RecordPlace is one item holding records of a set.
type RecordPlace struct {
	Location string  `json:"location"`
	Rows     int64   `json:"rows"`
	Sample   []int64 `json:"sample_rows"` // the first few row numbers
}

// Document is what the dump holds of one registered document version.
type Document struct {
	Set      string `json:"set"`
	Document string `json:"document"`
	Version  int    `json:"version"`
	// Coverage is the share of the document present in the dump, all
	// items together (its found word ranges merged); Best the largest
	// share one item holds.
	Coverage float64         `json:"coverage"`
	Best     float64         `json:"best_item_coverage"`
	Where    []DocumentPlace `json:"where"`
}

// DocumentPlace is one item holding part of a registered document.
type DocumentPlace struct {
	Location string  `json:"location"`
	Coverage float64 `json:"coverage"`
	// Share is the part of the item that comes from the document.
	Share float64 `json:"share"`
}

// File is what the dump holds of one registered file version.
type File struct {
	Set     string      `json:"set"`
	File    string      `json:"file"`
	Version int         `json:"version"`
	Size    int64       `json:"size,omitempty"`
	Best    float64     `json:"best_coverage"`
	Where   []FilePlace `json:"where"`
}

// FilePlace is one item holding a copy or part of a registered file.
type FilePlace struct {
	Location string  `json:"location"`
	Coverage float64 `json:"coverage"`
	Exact    bool    `json:"exact,omitempty"`
}

// Other summarises the findings of the rules: credentials, personal data,
// markings.
type Other struct {
	Total    int64            `json:"total"`
	ByKind   map[string]int64 `json:"by_kind"`
	ByEntity map[string]int64 `json:"by_entity"`
	// Items are the items with most findings, most first (at most 50).
	Items []Count `json:"items"`
	// Findings is every one of them, masked.
	Findings []finding.Finding `json:"findings"`
}

// Count is a name with a number.
type Count struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// maxPlaces bounds the places listed per record set or item ranking.
const maxPlaces = 50

// Build makes the report from a scan's findings. totals gives the
// registered row count of each records set, when known.
func Build(dumps []string, fs []finding.Finding, errs []finding.ItemError, st finding.Stats, totals map[string]int64) *Report {
	r := &Report{Dumps: dumps, Errors: errs, Stats: st,
		Other: Other{ByKind: map[string]int64{}, ByEntity: map[string]int64{}}}
	recs := map[string]*recordAcc{}
	docs := map[docKey]*docAcc{}
	files := map[docKey]*File{}
	items := map[string]int64{}
	for _, f := range fs {
		where := f.Location.Where()
		m := f.Match
		switch {
		case f.Kind == finding.Registered && m != nil && m.Type == "records":
			a := recs[m.Set]
			if a == nil {
				a = &recordAcc{rows: map[int64]map[string]bool{}, places: map[string]map[int64]bool{}}
				recs[m.Set] = a
			}
			cols := a.rows[m.Row]
			if cols == nil {
				cols = map[string]bool{}
				a.rows[m.Row] = cols
			}
			for _, c := range m.Columns {
				cols[c] = true
			}
			if a.places[where] == nil {
				a.places[where] = map[int64]bool{}
			}
			a.places[where][m.Row] = true
		case f.Kind == finding.Registered && m != nil && m.Type == "docs":
			k := docKey{m.Set, m.Document, m.Version}
			a := docs[k]
			if a == nil {
				a = &docAcc{words: m.Words}
				docs[k] = a
			}
			a.parts = append(a.parts, m.Parts...)
			a.places = append(a.places, DocumentPlace{Location: where, Coverage: m.Coverage, Share: m.Share})
		case f.Kind == finding.Registered && m != nil && m.Type == "files":
			k := docKey{m.Set, m.Document, m.Version}
			a := files[k]
			if a == nil {
				a = &File{Set: m.Set, File: m.Document, Version: m.Version, Size: m.Size}
				files[k] = a
			}
			a.Best = max(a.Best, m.Coverage)
			a.Where = append(a.Where, FilePlace{Location: where, Coverage: m.Coverage, Exact: m.Exact})
		default:
			r.Other.Total++
			r.Other.ByKind[string(f.Kind)]++
			if f.Entity != "" {
				r.Other.ByEntity[f.Entity]++
			}
			items[where]++
			r.Other.Findings = append(r.Other.Findings, f)
		}
	}
	for set, a := range recs {
		r.Records = append(r.Records, a.report(set, totals[set]))
	}
	slices.SortFunc(r.Records, func(a, b RecordSet) int { return cmp.Or(cmp.Compare(b.Found, a.Found), cmp.Compare(a.Set, b.Set)) })
	for k, a := range docs {
		r.Documents = append(r.Documents, a.report(k))
	}
	slices.SortFunc(r.Documents, func(a, b Document) int {
		return cmp.Or(cmp.Compare(b.Coverage, a.Coverage), cmp.Compare(a.Set, b.Set), cmp.Compare(a.Document, b.Document), cmp.Compare(a.Version, b.Version))
	})
	for _, f := range files {
		slices.SortFunc(f.Where, func(a, b FilePlace) int {
			return cmp.Or(cmp.Compare(b.Coverage, a.Coverage), cmp.Compare(a.Location, b.Location))
		})
		r.Files = append(r.Files, *f)
	}
	slices.SortFunc(r.Files, func(a, b File) int {
		return cmp.Or(cmp.Compare(b.Best, a.Best), cmp.Compare(a.Set, b.Set), cmp.Compare(a.File, b.File), cmp.Compare(a.Version, b.Version))
	})
	r.Other.Items = top(items, maxPlaces)
	return r
}

type docKey struct {
	set, doc string
	version  int
}

type recordAcc struct {
	rows   map[int64]map[string]bool // row → columns seen
	places map[string]map[int64]bool // item → rows
}

func (a *recordAcc) report(set string, total int64) RecordSet {
	rs := RecordSet{Set: set, Total: total, Found: int64(len(a.rows)), Columns: map[string]int64{}}
	for row, cols := range a.rows {
		rs.Rows = append(rs.Rows, row)
		for c := range cols {
			rs.Columns[c]++
		}
	}
	slices.Sort(rs.Rows)
	for where, rows := range a.places {
		p := RecordPlace{Location: where, Rows: int64(len(rows))}
		for row := range rows {
			p.Sample = append(p.Sample, row)
		}
		slices.Sort(p.Sample)
		p.Sample = p.Sample[:min(len(p.Sample), 10)]
		rs.Where = append(rs.Where, p)
	}
	slices.SortFunc(rs.Where, func(a, b RecordPlace) int {
		return cmp.Or(cmp.Compare(b.Rows, a.Rows), cmp.Compare(a.Location, b.Location))
	})
	rs.Where = rs.Where[:min(len(rs.Where), maxPlaces)]
	return rs
}

type docAcc struct {
	words  int64
	parts  [][2]int64
	places []DocumentPlace
}

func (a *docAcc) report(k docKey) Document {
	d := Document{Set: k.set, Document: k.doc, Version: k.version, Where: a.places}
	for _, p := range a.places {
		d.Best = max(d.Best, p.Coverage)
	}
	d.Coverage = d.Best
	if a.words > 0 && len(a.parts) > 0 {
		d.Coverage = max(d.Best, min(1, float64(mergedLen(a.parts))/float64(a.words)))
	}
	slices.SortFunc(d.Where, func(a, b DocumentPlace) int {
		return cmp.Or(cmp.Compare(b.Coverage, a.Coverage), cmp.Compare(a.Location, b.Location))
	})
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
