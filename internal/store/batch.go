package store

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/internal/finding"
)

// Rows is a Batch checked and turned into the rows a backend writes: one
// finding row per id (a database cannot upsert the same row twice in one
// statement) and one location row per place. Both backends write Rows, so
// they store the same thing for the same input.
type Rows struct {
	Findings  []FindingRow
	Locations []LocationRow
	Items     []Item // deduplicated by path and container chain, last wins
	// Holders are the paths of places whose top-level item is not in the
	// batch. Each gets an item row if it has none (size -1, read by this
	// scan), so that a caller that records places without their items
	// still has them settled by the next scan (see FinishScan); a scan
	// recording the item later overwrites the row.
	Holders []string
	Errors  []finding.ItemError
}

// FindingRow is the per-finding part of a batch's findings.
type FindingRow struct {
	ID, Rule, Name string
	Kind           finding.Kind
	Entity         string
	Confidence     finding.Confidence // the highest among the batch's places
	Severity       finding.Severity
	Masked, Finger string
}

// LocationRow is one place of a finding.
type LocationRow struct {
	FindingID, Path, Container string
	Line, Column               int
	EndLine, EndColumn         int
	Offset, EndOffset          int64
	Match                      string // finding.Match as JSON, "" for none
}

// PrepareRows checks every finding (CheckFinding) and deduplicates the batch.
func PrepareRows(b Batch) (Rows, error) {
	r := Rows{Findings: make([]FindingRow, 0, len(b.Findings)), Locations: make([]LocationRow, 0, len(b.Findings)),
		Items: make([]Item, 0, len(b.Items))}
	byID := make(map[string]int, len(b.Findings))
	type locKey struct {
		id, path, container string
		off                 int64
	}
	seen := make(map[locKey]int, len(b.Findings))
	for i := range b.Findings {
		f := &b.Findings[i]
		if err := CheckFinding(f); err != nil {
			return Rows{}, err
		}
		id := FindingID(f.Rule, f.Fingerprint)
		if j, ok := byID[id]; ok {
			r.Findings[j].Confidence = max(r.Findings[j].Confidence, f.Confidence)
		} else {
			byID[id] = len(r.Findings)
			r.Findings = append(r.Findings, FindingRow{ID: id, Rule: f.Rule, Name: f.Name, Kind: f.Kind,
				Entity: f.Entity, Confidence: f.Confidence, Severity: f.Severity, Masked: f.Masked, Finger: f.Fingerprint})
		}
		l := f.Location
		lr := LocationRow{FindingID: id, Path: l.Path, Container: EncodeContainer(l.Container),
			Line: l.Line, Column: l.Column, EndLine: l.EndLine, EndColumn: l.EndColumn,
			Offset: l.Offset, EndOffset: l.EndOffset}
		if f.Match != nil {
			m, err := json.Marshal(f.Match)
			if err != nil {
				return Rows{}, err
			}
			lr.Match = string(m)
		}
		k := locKey{id, lr.Path, lr.Container, lr.Offset}
		if j, ok := seen[k]; ok {
			r.Locations[j] = lr
			continue
		}
		seen[k] = len(r.Locations)
		r.Locations = append(r.Locations, lr)
	}
	items := make(map[[2]string]int, len(b.Items))
	for _, it := range b.Items {
		k := [2]string{it.Path, EncodeContainer(it.Container)}
		if j, ok := items[k]; ok {
			r.Items[j] = it
			continue
		}
		items[k] = len(r.Items)
		r.Items = append(r.Items, it)
	}
	held := map[string]bool{}
	for _, l := range r.Locations {
		if _, ok := items[[2]string{l.Path, ""}]; !ok && !held[l.Path] {
			held[l.Path] = true
			r.Holders = append(r.Holders, l.Path)
		}
	}
	r.Errors = b.Errors
	// Writing in key order makes index updates local (each B-tree page
	// is visited once per batch, not once per row) and two backends' work
	// identical. Workers finish items in any order, so places and items
	// arrive shuffled among the batch's folders.
	sortByID(r.Findings)
	slices.SortFunc(r.Locations, func(a, b LocationRow) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Container, b.Container),
			cmp.Compare(a.Offset, b.Offset), strings.Compare(a.FindingID, b.FindingID))
	})
	slices.Sort(r.Holders)
	slices.SortFunc(r.Items, func(a, b Item) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), slices.Compare(a.Container, b.Container))
	})
	return r, nil
}

// StoredItem is what a backend reads back for Unchanged.
type StoredItem struct {
	Item
	Digest string // of the scan that last recorded it
}

// SameItem decides Unchanged for one item from what is stored.
func SameItem(digest string, stored StoredItem, probe Item) bool {
	switch {
	case stored.Digest != digest, stored.Errors > 0:
		return false
	case stored.Size != probe.Size, stored.ModTime.UnixNano() != probe.ModTime.UnixNano():
		return false
	case stored.Ident != "" && probe.Ident != "" && stored.Ident != probe.Ident:
		return false
	case stored.Hash != "" && probe.Hash != "" && stored.Hash != probe.Hash:
		return false
	}
	return true
}

// sortByID orders rows by id. A FindingID is 16 hex digits, whose order as
// a number is their order as text: the rows are sorted through 16-byte keys
// and then each moved once, where sorting the 152-byte rows themselves by
// comparing strings was 0.52 CPU s of a first scan of the benchmark corpus.
func sortByID(rows []FindingRow) {
	type key struct {
		id  uint64
		row int
	}
	keys := make([]key, len(rows))
	for i := range rows {
		keys[i] = key{hexValue(rows[i].ID), i}
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Compare(a.id, b.id) })
	// Place j takes the row keys[j] names: follow each cycle of that
	// permutation once, marking the places filled.
	for j := range rows {
		if keys[j].row < 0 {
			continue
		}
		held, k := rows[j], j
		for {
			from := keys[k].row
			keys[k].row = -1
			if from == j {
				rows[k] = held
				break
			}
			rows[k] = rows[from]
			k = from
		}
	}
}

// hexValue is the number lower-case hex digits write, the first most
// significant; other bytes count as zero digits.
func hexValue(s string) uint64 {
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c = 0
		}
		v = v<<4 | uint64(c)
	}
	return v
}
