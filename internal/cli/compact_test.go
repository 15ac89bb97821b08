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
		// The end of a 2 GiB file with no newline: columns past int32.
		{Rule: "c-rule", Kind: finding.Secret, Confidence: finding.Medium, Severity: finding.SevHigh,
			Location: finding.Location{Path: "big.env", Line: 1, Column: 2147483656, EndLine: 1, EndColumn: 2147483669, Offset: 2147483655, EndOffset: 2147483668},
			Masked:   "Zq…t9", Fingerprint: "6c978aa626e78cba6f89925be19d2ead"},
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
	want := []string{"a.zip!in.xlsx!sheet:S!cell:B2", "a.zip!in.xlsx!sheet:S!cell:C17", "big.env", "z.txt"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if c.At(1).Secret != "plain" || c.At(0).Secret != "" {
		t.Error("secrets did not follow their findings through the sort")
	}
}
