package invreport

import (
	"context"
	"slices"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/store"
)

func TestBuild(t *testing.T) {
	inv := newInventory(t)
	r, err := Build(context.Background(), inv.st, store.Filter{}, Options{Version: "1.0"})
	if err != nil {
		t.Fatal(err)
	}
	// key, password, records 1-3, token, e-mail, card.
	if r.Findings != 8 || r.Open() != 7 {
		t.Errorf("%d findings, %d open; want 8 and 7 (the e-mail is resolved)", r.Findings, r.Open())
	}
	want := []Count{{"open", 6}, {"acknowledged", 1}, {"false-positive", 0}, {"accepted-risk", 0}, {"resolved", 1}}
	if !slices.Equal(r.ByStatus, want) {
		t.Errorf("by status %v, want %v", r.ByStatus, want)
	}
	if r.BySeverity[0] != (Count{"critical", 4}) || r.BySeverity[1] != (Count{"high", 3}) || r.BySeverity[3] != (Count{"low", 1}) {
		t.Errorf("by severity %v", r.BySeverity)
	}
	if r.ByKind[0] != (Count{"registered", 3}) || r.ByKind[1] != (Count{"secret", 3}) {
		t.Errorf("by kind %v", r.ByKind)
	}
	if !slices.Contains(r.ByEntity, Count{"(secret)", 3}) || !slices.Contains(r.ByEntity, Count{"RECORD", 3}) {
		t.Errorf("by entity %v", r.ByEntity)
	}
	// Live places: key 2, password 1, records 4, token 1, card 1.
	if r.Exposure != (store.Exposure{Findings: 7, Places: 9, Files: 7}) {
		t.Errorf("exposure %+v", r.Exposure)
	}
	if len(r.Folders) == 0 || r.Folders[0].Folder != "/srv/share/hr/" || r.Folders[0].Findings != 3 {
		t.Errorf("most exposed folder %+v, want hr/ with its three records", r.Folders)
	}
	if r.People != 3 || len(r.Registered) != 1 || r.Registered[0].Files != 2 {
		t.Errorf("people %d, sets %+v; want rows 1-3 of hr-people in 2 files", r.People, r.Registered)
	}
	if r.LastScan == nil || r.LastScan.ID != 2 || r.New != 1 || len(r.NewList) != 1 || r.NewList[0].ID != inv.card {
		t.Errorf("new since the last scan: %d %+v", r.New, r.NewList)
	}
	if len(r.Trend) != 2 || r.Trend[0].New != 7 || r.Trend[1].New != 1 || r.Trend[1].Resolved != 1 || r.Trend[1].Open != 7 {
		t.Errorf("trend %+v", r.Trend)
	}
	// The table: most severe first, every finding.
	if len(r.Table) != 8 {
		t.Fatalf("table of %d findings, want 8", len(r.Table))
	}
	for i := 1; i < len(r.Table); i++ {
		if r.Table[i-1].Severity.Rank() < r.Table[i].Severity.Rank() {
			t.Errorf("table not most severe first: %s before %s", r.Table[i-1].Severity, r.Table[i].Severity)
		}
	}

	// A filter applies to everything; a small table is cut.
	r, err = Build(context.Background(), inv.st, store.Filter{Kind: []finding.Kind{finding.Secret}}, Options{Table: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Findings != 3 || len(r.Table) != 2 || r.Table[0].Severity != finding.Critical || r.People != 0 || r.New != 0 {
		t.Errorf("secrets only: %d findings, table %d, people %d, new %d", r.Findings, len(r.Table), r.People, r.New)
	}
	if !slices.Equal(r.Filter, []string{"kind secret"}) {
		t.Errorf("filter described as %q", r.Filter)
	}
}

func TestBuildEmpty(t *testing.T) {
	st := newInventory(t).st
	r, err := Build(context.Background(), st, store.Filter{Rule: []string{"no-such-rule"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Findings != 0 || len(r.Table) != 0 || len(r.Folders) != 0 || r.New != 0 {
		t.Errorf("empty report %+v", r)
	}
}
