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
	if len(r.Sets) != 2 || r.Sets[0].Type != Records || r.Sets[0].Found != 2 || r.Sets[0].Total != 100 {
		t.Fatalf("sets: %+v", r.Sets)
	}
	if c := r.Sets[0].Columns; c["ssn"] != 1 || c["name"] != 2 || c["dob"] != 1 || c["email"] != 1 {
		t.Errorf("columns per person: %v", c)
	}
	if len(r.Records) != 2 || r.Records[0].Row != 7 || strings.Join(r.Records[0].Locations, ",") != "a.txt,b.txt" ||
		strings.Join(r.Records[0].Columns, ",") != "dob,name,ssn" {
		t.Errorf("records: %+v", r.Records)
	}
	if len(r.Documents) != 1 || r.Documents[0].Coverage != 0.5 || len(r.Documents[0].Locations) != 2 {
		t.Errorf("documents: %+v (want coverage 0.5 from words 0-499)", r.Documents)
	}
	if r.Summary.Total != 1 || r.Summary.ByKind["secret"] != 1 || len(r.Findings) != 1 {
		t.Errorf("other: %+v", r.Summary)
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

// TestHTMLEscapes checks that the incident page is one self-contained
// document that escapes what it shows: paths come from the dump.
func TestHTMLEscapes(t *testing.T) {
	fs := []finding.Finding{
		reg(`<script>alert(1)</script>.txt`, finding.Match{Set: "hr", Type: "records", Row: 3, Columns: []string{"ssn"}}),
		{Rule: "email-address", Kind: finding.PII, Masked: "a…z", Location: finding.Location{Path: `"><img src=x>.csv`}},
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, Build([]string{"dump"}, fs, nil, finding.Stats{}, map[string]int64{"hr": 10})); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x>") {
		t.Errorf("unescaped input in the page")
	}
	for _, want := range []string{"<svg", "records: hr", "1 records of 10 (10.0%)", "&lt;script&gt;", "</html>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Errorf("the page refers to the network")
	}
}
