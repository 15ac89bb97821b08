package trace

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func reg(where string, m finding.Match) finding.Finding {
	return finding.Finding{Rule: "registered", Kind: finding.Registered, Location: finding.Location{Path: where}, Match: &m}
}

// TestBuildAddsUp checks that one person found in two items counts once,
// that a document's parts in several items add up to its coverage, and
// that other findings are counted apart.
func TestBuildAddsUp(t *testing.T) {
	fs := []finding.Finding{
		reg("a.txt", finding.Match{Set: "hr", Type: "records", Row: 7, Columns: []string{"ssn", "name"}}),
		reg("b.txt", finding.Match{Set: "hr", Type: "records", Row: 7, Columns: []string{"ssn", "dob"}}),
		reg("b.txt", finding.Match{Set: "hr", Type: "records", Row: 9, Columns: []string{"email", "name"}}),
		reg("c.txt", finding.Match{Set: "docs", Type: "docs", Document: "plan.docx", Version: 2, Coverage: 0.3, Words: 1000, Parts: [][2]int64{{0, 299}}}),
		reg("d.txt", finding.Match{Set: "docs", Type: "docs", Document: "plan.docx", Version: 2, Coverage: 0.3, Words: 1000, Parts: [][2]int64{{200, 499}}}),
		{Rule: "aws-access-key-id", Kind: finding.Secret, Entity: "AWS_KEY", Location: finding.Location{Path: "a.txt"}},
	}
	r := Build([]string{"dump"}, fs, nil, finding.Stats{Items: 4}, map[string]int64{"hr": 100})
	if len(r.Records) != 1 || r.Records[0].Found != 2 || r.Records[0].Total != 100 {
		t.Fatalf("records: %+v", r.Records)
	}
	if c := r.Records[0].Columns; c["ssn"] != 1 || c["name"] != 2 || c["dob"] != 1 || c["email"] != 1 {
		t.Errorf("columns per person: %v", c)
	}
	if w := r.Records[0].Where; len(w) != 2 || w[0].Location != "b.txt" || w[0].Rows != 2 {
		t.Errorf("places: %+v", w)
	}
	if len(r.Documents) != 1 || r.Documents[0].Coverage != 0.5 || r.Documents[0].Best != 0.3 {
		t.Errorf("documents: %+v (want coverage 0.5 from words 0-499)", r.Documents)
	}
	if r.Other.Total != 1 || r.Other.ByKind["secret"] != 1 {
		t.Errorf("other: %+v", r.Other)
	}
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"hr: 2 records of 100 (2.0%)", "plan.docx v2: 50.0% of it present", "Other findings: 1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, b.String())
		}
	}
}
