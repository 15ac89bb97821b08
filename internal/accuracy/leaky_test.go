package accuracy

import (
	"context"
	"testing"
)

func TestLeakyScoring(t *testing.T) {
	r := &LeakyResult{}
	// 3 risk + 2 informative lines expected; 4 lines found by 6 findings.
	r.add(LeakyFile{Path: "a", Listed: true, Risk: 3, Info: 2, Findings: 6, Lines: []int{1, 2, 3, 4}})
	// 1 risk line expected; 3 lines found: 2 beyond the total.
	r.add(LeakyFile{Path: "b", Listed: true, Risk: 1, Findings: 3, Lines: []int{1, 5, 9}})
	// only informative lines expected; one found.
	r.add(LeakyFile{Path: "c", Listed: true, Info: 1, Findings: 1, Lines: []int{2}})
	// nothing found.
	r.add(LeakyFile{Path: "d", Listed: true, Risk: 2, Info: 1})
	// not listed: every line is a false positive, benchmark.py ignores it.
	r.add(LeakyFile{Path: "README.md", Findings: 2, Lines: []int{7, 8}})

	check := func(name string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %d, want %d", name, got, want)
		}
	}
	check("Risk", r.Risk, 6)
	check("Total", r.Total, 10)
	check("Found", r.Found, 4+1+1)
	check("RiskFound", r.RiskFound, 3+1+0)
	check("RiskFoundMin", r.RiskFoundMin, 2+1+0)
	check("FP", r.FP, 2+2)
	check("UnlistedFP", r.UnlistedFP, 2)
	check("BenchFound", r.BenchFound, 5+1+1)
	check("BenchFP", r.BenchFP, 1+2)
	covered, listed := r.FilesCovered()
	check("covered", covered, 3)
	check("listed", listed, 4)
}

func TestLeakyRepoEndToEnd(t *testing.T) {
	dir := t.TempDir()
	root := dir + "/" + LeakyRepoDir
	writeFiles(t, root, map[string]string{
		".leaky-meta/secrets.csv": "# comment\n# name,num_risk,num_informative\nconf/app.env,2,1\n\n# gone\nmissing.txt,1,0\n",
		".leaky-meta/tool.py":     "tok_ignored1\n", // the set's tooling is not scanned
		"conf/app.env":            "A=tok_aaaaaaaa tok_bbbbbbbb\nuser=bob\nB=tok_cccccccc\nC=tok_dddddddd\n",
		"README.md":               "see tok_eeeeeeee\n",
		"blob.db":                 "\x00\x00tok_ffffffff",
	})
	r, err := LeakyRepo(context.Background(), dir, testEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Risk != 3 || r.Total != 4 {
		t.Errorf("expected risk %d, total %d; want 3, 4", r.Risk, r.Total)
	}
	// app.env: 3 lines (4 findings) against 3 expected; README: 1 unlisted line.
	if r.Found != 3 || r.RiskFound != 2 || r.RiskFoundMin != 2 || r.FP != 1 || r.UnlistedFP != 1 {
		t.Errorf("found %d, risk ≤%d ≥%d, FP %d (unlisted %d); want 3, 2, 2, 1, 1", r.Found, r.RiskFound, r.RiskFoundMin, r.FP, r.UnlistedFP)
	}
	if r.BenchFound != 3 || r.BenchFP != 1 {
		t.Errorf("benchmark.py count %d / %d, want 3 / 1", r.BenchFound, r.BenchFP)
	}
	if len(r.Binary) != 1 || r.Binary[0] != "blob.db" {
		t.Errorf("binary = %v", r.Binary)
	}
	if len(r.Files) != 3 || r.Files[0].Path != "conf/app.env" || r.Files[1].Path != "missing.txt" || r.Files[2].Path != "README.md" {
		t.Fatalf("files = %+v", r.Files)
	}
	if got := r.Files[0].Lines; len(got) != 3 || got[0] != 1 || got[1] != 3 || got[2] != 4 {
		t.Errorf("app.env lines = %v, want [1 3 4]", got)
	}
}
