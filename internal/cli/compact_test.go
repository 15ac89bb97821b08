package cli

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/report"
	"github.com/leakguard/leakguard/internal/report/reporttest"
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
	// What At handed out stays as it was through later calls (the
	// fingerprints share blocks).
	if got := c.All(); !reflect.DeepEqual(got, in) {
		t.Errorf("All after At:\n got %+v\nwant %+v", got, in)
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

// What the compact form keeps apart or stores elsewhere must come back as
// it went in: positions past 32 bits or negative, fingerprints that are
// not 32 lowercase hex digits (empty, uppercase), chains whose elements
// hold the separator a joined key would use, one rule at two confidences.
func TestCompactFindingsEdgeCases(t *testing.T) {
	loc := func(path string, chain ...string) finding.Location {
		return finding.Location{Path: path, Container: chain, Offset: 1, EndOffset: 2}
	}
	in := []finding.Finding{
		{Rule: "r", Location: finding.Location{Path: "p", Line: 1 << 33, Column: -1, EndLine: 1<<33 + 1, EndColumn: 1 << 32, Offset: 1 << 40, EndOffset: 1<<40 + 9}},
		{Rule: "r", Location: finding.Location{Path: "p", Line: 1<<32 - 1, Column: 1<<32 - 2}},
		{Rule: "r", Location: loc("p"), Fingerprint: ""},
		{Rule: "r", Location: loc("p"), Fingerprint: "00112233445566778899AABBCCDDEEFF"},
		{Rule: "r", Location: loc("p"), Fingerprint: "00112233445566778899aabbccddeefg"},
		{Rule: "r", Location: loc("p"), Fingerprint: "00000000000000000000000000000000"},
		{Rule: "r", Location: loc("q", "a\x00b"), Masked: "m"},
		{Rule: "r", Location: loc("q", "a", "b"), Masked: "m"},
		{Rule: "r", Confidence: finding.Low, Location: loc("q", "a", "b")},
		{Rule: "r", Confidence: finding.High, Location: loc("q", "a", "b")},
	}
	c := newCompactFindings()
	for _, f := range in {
		// A copy of each string: equal content, another pointer, as
		// findings read now (not replayed) have.
		f.Rule = strings.Clone(f.Rule)
		f.Masked = strings.Clone(f.Masked)
		c.Add(f)
	}
	for i, f := range in {
		if got := c.At(i); !reflect.DeepEqual(got, f) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, f)
		}
	}
}

// Sort orders by item, position and rule id and keeps the order of
// findings equal in all three, whatever else tells them apart.
func TestCompactFindingsSortStable(t *testing.T) {
	c := newCompactFindings()
	add := func(path, rule string, conf finding.Confidence, off int64, masked string) {
		c.Add(finding.Finding{Rule: rule, Confidence: conf, Masked: masked,
			Location: finding.Location{Path: path, Offset: off, EndOffset: off + 1}})
	}
	add("b", "y", finding.High, 1, "1")
	add("b", "x", finding.Low, 1, "2")
	add("b", "y", finding.Low, 1, "3") // same rule id, another confidence: equal for the sort
	add("a", "z", finding.Low, 9, "4")
	add("b", "x", finding.High, 0, "5")
	add("b", "x", finding.High, 1, "6")
	c.Sort()
	var got []string
	for i := range c.Len() {
		got = append(got, c.At(i).Masked)
	}
	if want := []string{"4", "5", "2", "6", "1", "3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if !reflect.DeepEqual(c.rules(), map[string]bool{"x": true, "y": true, "z": true}) {
		t.Errorf("rules %v", c.rules())
	}
}

// TestCompactFindingsSortMatchesReference checks Sort against a stable sort
// of the whole key on random findings: many to an item, items and rules in
// random order, equal keys (that keep their order) among them.
func TestCompactFindingsSortMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var in []finding.Finding
	for i := range 20000 {
		off := int64(rng.IntN(50))
		in = append(in, finding.Finding{
			Rule:     fmt.Sprintf("rule-%d", rng.IntN(7)),
			Masked:   strconv.Itoa(i), // tells equal keys apart
			Location: finding.Location{Path: fmt.Sprintf("f%d", rng.IntN(300)), Container: []string{"", "m"}[:rng.IntN(3)%2], Offset: off, EndOffset: off + int64(rng.IntN(3))},
		})
	}
	want := slices.Clone(in)
	slices.SortStableFunc(want, func(a, b finding.Finding) int {
		return cmp.Or(strings.Compare(a.Location.Path, b.Location.Path), slices.Compare(a.Location.Container, b.Location.Container),
			cmp.Compare(a.Location.Offset, b.Location.Offset), cmp.Compare(a.Location.EndOffset, b.Location.EndOffset), strings.Compare(a.Rule, b.Rule))
	})
	c := newCompactFindings()
	for _, f := range in {
		c.Add(f)
	}
	c.Sort()
	for i := range want {
		if got := c.At(i); got.Masked != want[i].Masked {
			t.Fatalf("record %d: finding %s, want %s (%+v)", i, got.Masked, want[i].Masked, want[i])
		}
	}
}

// BenchmarkCompactFindingsSort sorts findings shaped like the benchmark
// corpus' (448k findings in 8,700 items, most items holding a few and
// some logs thousands; 60 rules), added item by item as a scan adds them.
func BenchmarkCompactFindingsSort(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	c := newCompactFindings()
	rules := make([]string, 60)
	for i := range rules {
		rules[i] = fmt.Sprintf("rule-%02d", i)
	}
	for n := 0; n < 448000; {
		path := fmt.Sprintf("/corpus/dir%03d/file%06d.txt", rng.IntN(500), rng.IntN(1000000))
		k := 1 + rng.IntN(20)
		if rng.IntN(100) == 0 {
			k = 2000 + rng.IntN(8000)
		}
		off := int64(0)
		for range k {
			off += int64(rng.IntN(200))
			c.Add(finding.Finding{Rule: rules[rng.IntN(len(rules))], Location: finding.Location{Path: path, Offset: off, EndOffset: off + 20}})
		}
		n += k
	}
	b.ResetTimer()
	for range b.N {
		c.Sort()
	}
}

// BenchmarkScanReport writes the JSON Lines report of a scan the way the
// scan command does (writeScanReport: the compact findings, sorted, through
// the pipe writer), here to io.Discard; the findings are those of a JSON
// Lines report named by LEAKGUARD_BENCH_REPORT (the benchmark corpus'
// gives 448k).
func BenchmarkScanReport(b *testing.B) {
	col := &collector{findings: newCompactFindings()}
	for _, f := range reporttest.Findings(b) {
		col.findings.Add(f)
	}
	col.findings.Sort()
	w, err := report.New("jsonl")
	if err != nil {
		b.Fatal(err)
	}
	e, err := detect.Compile(nil, detect.WithHasher(keyed.New([]byte("bench"))))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := writeScanReport(io.Discard, w, col, e); err != nil {
			b.Fatal(err)
		}
	}
}
