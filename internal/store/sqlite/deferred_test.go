package sqlite_test

import (
	"context"
	"maps"
	"path/filepath"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
	"github.com/leakguard/leakguard/internal/store/sqlite"
)

// indexes returns the explicit indexes of the inventory and their SQL.
func indexes(t *testing.T, s *sqlite.Store) map[string]string {
	t.Helper()
	rows, err := s.DB.Query("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		out[name] = def
	}
	return out
}

// A first scan writes without the secondary indexes and builds them when it
// finishes; one that crashed leaves them to the next scan, which builds
// them before it begins; a scan of an inventory that holds findings drops
// nothing. Every index comes back exactly as the migrations made it.
func TestFirstScanDefersIndexes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), store.DBFile)
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := indexes(t, s)
	if len(want) < 6 {
		t.Fatalf("only %d indexes in a new inventory: %v", len(want), want)
	}
	f := finding.Finding{Rule: "r", Kind: finding.Secret, Confidence: finding.High, Severity: finding.SevHigh,
		Masked: "ab…yz", Fingerprint: "fp1", Location: finding.Location{Path: "/r/a", Line: 1}}
	id, err := s.BeginScan(ctx, store.ScanStart{Roots: []string{"/r"}})
	if err != nil {
		t.Fatal(err)
	}
	during := indexes(t, s)
	for _, name := range []string{"findings_status", "findings_rule", "findings_first_scan", "locations_finding"} {
		if _, ok := during[name]; ok {
			t.Errorf("index %s kept during a first scan", name)
		}
	}
	if err := s.Write(ctx, id, store.Batch{Findings: []finding.Finding{f}}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountFindings(ctx, store.Filter{Status: []store.Status{store.Open}}); err != nil || n != 1 {
		t.Errorf("during the scan: %d open findings (%v), want 1", n, err)
	}
	s.Close() // a crash: the scan never finishes

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id, err = s.BeginScan(ctx, store.ScanStart{Roots: []string{"/r"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := indexes(t, s); !maps.Equal(got, want) {
		t.Errorf("indexes after the next scan began:\n%v\nwant\n%v", got, want)
	}
	f.Fingerprint = "fp2"
	if err := s.Write(ctx, id, store.Batch{Findings: []finding.Finding{f}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FinishScan(ctx, id, store.ScanEnd{}); err != nil {
		t.Fatal(err)
	}
	if got := indexes(t, s); !maps.Equal(got, want) {
		t.Errorf("indexes after a second scan:\n%v\nwant\n%v", got, want)
	}

	// The usual path: a first scan that finishes.
	s2, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	rec, err := store.Record(ctx, s2, store.ScanStart{Roots: []string{"/r"}}, store.RecorderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Finding(ctx, f); err != nil {
		t.Fatal(err)
	}
	if out, err := rec.Finish(ctx, store.ScanEnd{}); err != nil || out.New != 1 {
		t.Fatalf("first scan: %+v, %v", out, err)
	}
	if got := indexes(t, s2); !maps.Equal(got, want) {
		t.Errorf("indexes after a first scan:\n%v\nwant\n%v", got, want)
	}
	var left int
	if err := s2.DB.QueryRow("SELECT count(*) FROM deferred_indexes").Scan(&left); err != nil || left != 0 {
		t.Errorf("%d deferred indexes left (%v)", left, err)
	}
}
