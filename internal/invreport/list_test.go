package invreport

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/report"
	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/sqlite"
)

// bigInventory holds n findings, one an item, over more pages than one.
func bigInventory(t *testing.T, n int) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := keyed.New([]byte("list"))
	id, err := st.BeginScan(ctx, store.ScanStart{Roots: []string{"/d"}})
	if err != nil {
		t.Fatal(err)
	}
	var b store.Batch
	for i := range n {
		kind := finding.Secret
		if i%2 == 1 {
			kind = finding.PII
		}
		b.Findings = append(b.Findings, finding.Finding{Rule: "r" + fmt.Sprint(i%3), Kind: kind, Confidence: finding.Medium, Severity: finding.SevHigh,
			Location: finding.Location{Path: fmt.Sprintf("/d/f%05d.txt", i), Line: 1}, Masked: "v…" + fmt.Sprint(i%10), Fingerprint: h.Sum([]byte(fmt.Sprint(i)))})
	}
	if err := st.Write(ctx, id, b); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FinishScan(ctx, id, store.ScanEnd{}); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestListPages reads more findings than a page holds, in order, twice (as
// a two-pass writer does), and through the scan report writers.
func TestListPages(t *testing.T) {
	n := store.MaxLimit + 7
	st := bigInventory(t, n)
	ctx := context.Background()
	l, err := NewList(ctx, st, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != n {
		t.Fatalf("Len %d, want %d", l.Len(), n)
	}
	for pass := range 2 {
		prev := ""
		for i := range l.Len() {
			f, ok := l.Get(i)
			if !ok || f.ID <= prev {
				t.Fatalf("pass %d: finding %d: %v, id %q after %q", pass, i, l.Err(), f.ID, prev)
			}
			prev = f.ID
		}
	}
	if got := l.At(n - 1); got.Fingerprint == "" || got.Location.Path == "" || got.Masked == "" {
		t.Errorf("last finding as a scan reports it: %+v", got)
	}

	// CSV makes two passes; JSON one. Both see every finding, once.
	flt := store.Filter{Kind: []finding.Kind{finding.PII}}
	for _, format := range []string{"csv", "json", "jsonl", "sarif"} {
		l, err := NewList(ctx, st, flt)
		if err != nil {
			t.Fatal(err)
		}
		w, err := report.New(format)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := w.Write(&b, &report.Result{List: l}); err != nil || l.Err() != nil {
			t.Fatalf("%s: %v %v", format, err, l.Err())
		}
		var got int
		switch format {
		case "csv":
			rows, err := csv.NewReader(&b).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got = len(rows) - 1
		case "json":
			var doc struct{ Findings []finding.Finding }
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			got = len(doc.Findings)
		case "jsonl":
			got = strings.Count(b.String(), "\n")
		case "sarif":
			var doc struct{ Runs []struct{ Results []any } }
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			got = len(doc.Runs[0].Results)
		}
		if got != n/2 {
			t.Errorf("%s: %d findings, want %d", format, got, n/2)
		}
	}
}

// TestListChanged: findings leaving the filter while a report is written
// make the report fail rather than come out short.
func TestListChanged(t *testing.T) {
	st := bigInventory(t, store.MaxLimit+10)
	ctx := context.Background()
	open := store.Filter{Status: []store.Status{store.Open}}
	l, err := NewList(ctx, st, open)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := l.Get(0); !ok {
		t.Fatal(l.Err())
	}
	// Triage takes the last findings, on the second page, out of "open".
	other, err := NewList(ctx, st, open)
	if err != nil {
		t.Fatal(err)
	}
	for i := range other.Len() {
		f, ok := other.Get(i)
		if !ok {
			t.Fatal(other.Err())
		}
		if i >= other.Len()-20 {
			if _, err := st.SetStatus(ctx, f.ID, store.FalsePositive, "bob", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	w, _ := report.New("jsonl")
	if err := w.Write(&b, &report.Result{List: l}); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(l.Err(), ErrChanged) {
		t.Errorf("error %v, want ErrChanged", l.Err())
	}
	if f := l.At(0); f.Rule != "" {
		t.Errorf("a failed list still hands out findings: %+v", f)
	}
}
