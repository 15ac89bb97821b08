package report

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/jsonlist"
	"github.com/leakguard/leakguard/internal/report/reporttest"
)

// reference is what appendFinding must equal: encoding/json, compact,
// HTML escaping off.
func reference(t testing.TB, f *finding.Finding) []byte {
	var buf bytes.Buffer
	if err := newEncoder(&buf, false).Encode(f); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func TestAppendFindingMatchesEncodingJSON(t *testing.T) {
	cases := []finding.Finding{
		{},
		{Rule: "aws-access-key-id", Name: "AWS access key", Kind: finding.Secret, Entity: "credential", Confidence: finding.High,
			Severity: finding.Critical, Location: finding.Location{Path: "conf/.env", Line: 3, Column: 7, EndLine: 3, EndColumn: 27, Offset: 60, EndOffset: 80},
			Masked: "AKIA…WXYZ", Fingerprint: "00112233445566778899aabbccddeeff", Secret: "AKIA<&>\u2028x"},
		{Rule: "email", Kind: finding.PII, Confidence: finding.Low, Severity: finding.SevLow,
			Location: finding.Location{Path: "a \"quoted\" \\ path\t\n\r\b\f\x01\x1f\x7f <b>&amp;", Container: []string{"in.zip", "x\xffy.txt", "\u2029"}, Offset: -1},
			Masked:   "j…@x.org\x00", Fingerprint: "not-hex"},
		{Rule: "registered-records", Kind: finding.Registered, Confidence: finding.Medium, Severity: finding.SevHigh,
			Location: finding.Location{Path: "dump.csv", Offset: 10, EndOffset: 90},
			Match:    &finding.Match{Set: "staff<1>", Type: "records", Row: 42, Columns: []string{"ssn", "name"}, Coverage: 0.25, Spans: [][2]int64{{1, 2}}}},
		{Confidence: finding.Confidence(9)},
	}
	for i := range cases {
		got, err := appendFinding(nil, &cases[i])
		if err != nil {
			t.Fatal(err)
		}
		if want := reference(t, &cases[i]); !bytes.Equal(got, want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// TestFindingEncoderMatchesEncodingJSON checks the encoder that reuses
// heads and places on findings that share some of them and not others:
// a rule at another confidence or name, rules that fall in one slot, a
// path in and out of containers, an empty chain beside none.
func TestFindingEncoderMatchesEncodingJSON(t *testing.T) {
	base := finding.Finding{Rule: "aws-access-key-id", Name: "AWS key", Kind: finding.Secret, Confidence: finding.High, Severity: finding.Critical,
		Location: finding.Location{Path: "a/.env", Line: 1, Offset: 5, EndOffset: 9}, Masked: "AK…YZ", Fingerprint: "00112233445566778899aabbccddeeff"}
	vary := []func(*finding.Finding){
		func(*finding.Finding) {},
		func(f *finding.Finding) { f.Confidence = finding.Low },
		func(f *finding.Finding) { f.Name = "" },
		func(f *finding.Finding) { f.Entity = "credential" },
		func(f *finding.Finding) { f.Severity = finding.SevLow },
		func(f *finding.Finding) { f.Kind = finding.PII },
		func(f *finding.Finding) { f.Rule = "aws-access-key-ie" }, // same length, same middle byte: same slot
		func(f *finding.Finding) { f.Rule = "x\"\u2028" },
		func(f *finding.Finding) { f.Location.Container = []string{"in.zip"} },
		func(f *finding.Finding) { f.Location.Container = []string{"in.zip", "b"} },
		func(f *finding.Finding) { f.Location.Container = []string{} },
		func(f *finding.Finding) { f.Location.Path = "b/.env" },
		func(f *finding.Finding) { f.Location.Path = "b/.env"; f.Location.Container = []string{"in.zip"} },
		func(f *finding.Finding) { f.Secret = "s"; f.Location.Offset = 77 },
		func(f *finding.Finding) { f.Match = &finding.Match{Set: "staff", Row: 3} },
	}
	var e findingEncoder
	var buf []byte
	for round := range 3 {
		for i, v := range vary {
			f := base
			v(&f)
			var err error
			if buf, err = e.append(buf[:0], &f); err != nil {
				t.Fatal(err)
			}
			if want := reference(t, &f); !bytes.Equal(buf, want) {
				t.Errorf("round %d, case %d:\n got %s\nwant %s", round, i, buf, want)
			}
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\\n\x00\x7f", "\xff\xfe", "\u2028\u2029", "é😀<>&", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fd := finding.Finding{Rule: s, Location: finding.Location{Path: s, Container: []string{s}}, Masked: s}
		got, err := appendFinding(nil, &fd)
		if err != nil {
			t.Fatal(err)
		}
		want := reference(t, &fd)
		if !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
		var indented bytes.Buffer
		if err := json.Indent(&indented, want, "    ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := jsonlist.AppendIndented(nil, got, "    "); !bytes.Equal(got, indented.Bytes()) {
			t.Errorf("%q indented:\n got %s\nwant %s", s, got, indented.Bytes())
		}
	})
}

func BenchmarkJSONLFinding(b *testing.B) {
	f := finding.Finding{Rule: "email", Name: "E-mail address", Kind: finding.PII, Entity: "email", Confidence: finding.Medium,
		Severity: finding.SevLow, Location: finding.Location{Path: "/srv/share/hr/export-2026.csv", Line: 1200, Column: 31, EndLine: 1200, EndColumn: 55, Offset: 99000, EndOffset: 99024},
		Masked: "jane…e.com", Fingerprint: "00112233445566778899aabbccddeeff"}
	b.Run("append", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = appendFinding(buf[:0], &f)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			reference(b, &f)
		}
	})
}

// BenchmarkReport writes every finding of a real JSONL report, named by
// LEAKGUARD_BENCH_REPORT (for example the benchmark corpus' report that
// scripts/bench.sh leaves in its results folder), in each JSON format:
// the mix of paths, masked values and fingerprints a report holds, which
// one finding does not show.
func BenchmarkReport(b *testing.B) {
	r := &Result{Findings: reporttest.Findings(b)}
	for _, format := range []string{"jsonl", "json", "sarif", "text"} {
		w, err := New(format)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				if err := w.Write(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
