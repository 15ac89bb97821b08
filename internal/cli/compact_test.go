package cli

import (
	"reflect"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func TestCompactFindingsRoundTripAndOrder(t *testing.T) {
	in := []finding.Finding{
		{Rule: "b-rule", Name: "B", Kind: finding.PII, Entity: "EMAIL", Confidence: finding.Low, Severity: finding.SevLow,
			Location: finding.Location{Path: "z.txt", Line: 3, Column: 2, EndLine: 3, EndColumn: 9, Offset: 40, EndOffset: 47},
			Masked:   "j…@x.org", Fingerprint: "00112233445566778899aabbccddeeff"},
		{Rule: "a-rule", Kind: finding.Secret, Confidence: finding.High, Severity: finding.Critical,
			Location: finding.Location{Path: "a.zip", Container: []string{"in.xlsx", "sheet:S", "cell:C17"}, Line: 1, Offset: 5, EndOffset: 9},
			Masked:   "AK…LE", Fingerprint: "not-hex-fingerprint", Secret: "plain"},
		{Rule: "a-rule", Kind: finding.Secret, Confidence: finding.High, Severity: finding.Critical,
			Location: finding.Location{Path: "a.zip", Container: []string{"in.xlsx", "sheet:S", "cell:B2"}, Offset: 1, EndOffset: 3},
			Masked:   "x", Fingerprint: "ffeeddccbbaa99887766554433221100"},
	}
	c := newCompactFindings()
	for _, f := range in {
		c.Add(f)
	}
	for i, f := range in {
		if got := c.At(i); !reflect.DeepEqual(got, f) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, f)
		}
	}
	c.Sort()
	var order []string
	for i := range c.Len() {
		f := c.At(i)
		order = append(order, f.Location.Where())
	}
	want := []string{"a.zip!in.xlsx!sheet:S!cell:B2", "a.zip!in.xlsx!sheet:S!cell:C17", "z.txt"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if c.At(1).Secret != "plain" || c.At(0).Secret != "" {
		t.Error("secrets did not follow their findings through the sort")
	}
}
