package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/redact"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Synthetic values in made-up formats; none is a credential anywhere.
const (
	apiKeyValue = "lgtest-9f8e7d6c5b4a39281706"
	ssnValue    = "078-05-1120"
	emailValue  = "=cmd@example.org" // starts like a spreadsheet formula
)

// fixture is the one Result every golden file shows: a secret shown on
// request, a finding inside a container chain, one without a line, one on
// standard input whose rule is not in Rules, a unicode path, an item error,
// skip and suppression counts.
func fixture() *Result {
	return &Result{
		Tool: ToolInfo{Name: "leakguard", Version: "1.2.3"},
		Rules: []RuleInfo{
			{ID: "us-ssn", Name: "US Social Security number", Description: "A United States Social Security number.", Kind: finding.PII, Entity: "ssn", Severity: finding.SevHigh},
			{ID: "generic-api-key", Name: "Generic API key", Description: "A high-entropy value assigned to a key-like name.", Kind: finding.Secret, Entity: "api-key", Severity: finding.Critical},
			{ID: "email-address", Name: "Email address", Kind: finding.PII, Entity: "email", Severity: finding.SevLow},
		},
		Findings: []finding.Finding{
			{
				Rule: "generic-api-key", Name: "Generic API key", Kind: finding.Secret, Entity: "api-key",
				Confidence: finding.High, Severity: finding.Critical,
				Location: finding.Location{Path: "config/app.env", Line: 12, Column: 9, EndLine: 12, EndColumn: 35, Offset: 311, EndOffset: 337},
				Masked:   redact.Mask(apiKeyValue), Fingerprint: "fp01a2b3c4", Secret: apiKeyValue,
			},
			{
				Rule: "us-ssn", Name: "US Social Security number", Kind: finding.PII, Entity: "ssn",
				Confidence: finding.Medium, Severity: finding.SevHigh,
				Location: finding.Location{Path: "backup.zip", Container: []string{"hr/2014.xlsx", "sheet:Pay"}, Line: 3, Column: 2, EndLine: 3, EndColumn: 13, Offset: 40, EndOffset: 51},
				Masked:   redact.Mask(ssnValue), Fingerprint: "fp05d6e7f8",
			},
			{
				Rule: "email-address", Name: "Email address", Kind: finding.PII, Entity: "email",
				Confidence: finding.Low, Severity: finding.SevLow,
				Location: finding.Location{Path: "données/résumé été.pdf", Offset: 1024, EndOffset: 1040},
				Masked:   redact.Mask(emailValue), Fingerprint: "fp09a0b1c2",
			},
			{
				Rule: "classification-marking", Kind: finding.Marking,
				Confidence: finding.High, Severity: finding.SevMed,
				Location: finding.Location{Path: "-", Line: 1, Column: 1, EndLine: 1, EndColumn: 13, Offset: 0, EndOffset: 12},
				Masked:   redact.Mask("CONFIDENTIAL"), Fingerprint: "fp0d3e4f5a",
			},
		},
		Errors: []finding.ItemError{{
			Location: finding.Location{Path: "backup.zip", Container: []string{"broken.docx"}},
			Reason:   finding.ReasonTooLarge,
			Error:    "member expands past the 100 MiB limit",
		}},
		Stats: finding.Stats{
			Items: 5, Bytes: 3_409_920, Findings: 4, Errors: 1,
			Skipped:    map[string]int64{finding.ReasonBinary: 2},
			Suppressed: map[string]int64{"baseline": 3, "allow-comment": 1, "min-confidence": 2},
			DurationMS: 1234,
		},
	}
}

// render writes r in one format or fails the test.
func render(t *testing.T, format string, r *Result) []byte {
	t.Helper()
	w, err := New(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	cases := map[string]func() []byte{
		"report.txt":   func() []byte { return render(t, "text", fixture()) },
		"report.json":  func() []byte { return render(t, "json", fixture()) },
		"report.jsonl": func() []byte { return render(t, "jsonl", fixture()) },
		"report.sarif": func() []byte { return render(t, "sarif", fixture()) },
		"report.csv":   func() []byte { return render(t, "csv", fixture()) },
		"report.color.txt": func() []byte {
			var buf bytes.Buffer
			if err := NewText(true).Write(&buf, fixture()); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		},
	}
	for name, gen := range cases {
		t.Run(name, func(t *testing.T) {
			got := gen()
			path := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/report -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; got:\n%s", name, got)
			}
		})
	}
}

// Writing must be repeatable: same Result, same bytes (map order included).
func TestDeterministic(t *testing.T) {
	for _, f := range Formats() {
		if a, b := render(t, f, fixture()), render(t, f, fixture()); !bytes.Equal(a, b) {
			t.Errorf("%s: two writes of one result differ", f)
		}
	}
}

func TestNewUnknownFormat(t *testing.T) {
	_, err := New("xml")
	if err == nil {
		t.Fatal("New(xml) succeeded")
	}
	for _, f := range Formats() {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list %q", err, f)
		}
	}
	if _, err := New(" SARIF "); err != nil {
		t.Errorf("format names should be case-insensitive: %v", err)
	}
}

func TestEmptyResult(t *testing.T) {
	empty := &Result{}
	if got := string(render(t, "json", empty)); !strings.Contains(got, `"findings": []`) || !strings.Contains(got, `"errors": []`) {
		t.Errorf("empty JSON lists should be [], got:\n%s", got)
	}
	if got := render(t, "jsonl", empty); len(got) != 0 {
		t.Errorf("empty JSONL should be empty, got %q", got)
	}
	if got := string(render(t, "csv", empty)); strings.Count(got, "\n") != 1 || strings.Contains(got, "secret") {
		t.Errorf("empty CSV should be the header only, got %q", got)
	}
	if got := string(render(t, "sarif", empty)); !strings.Contains(got, `"results": []`) || !strings.Contains(got, `"rules": []`) {
		t.Errorf("empty SARIF should have empty results and rules, got:\n%s", got)
	}
	if got := string(render(t, "text", empty)); !strings.Contains(got, "Findings: 0") {
		t.Errorf("empty text summary: %q", got)
	}
}

// A finding that carries its value but no preview gets one from the shared
// policy, and the caller's slice is left alone.
func TestMissingMaskIsFilled(t *testing.T) {
	r := &Result{Findings: []finding.Finding{{Rule: "r", Kind: finding.Secret, Secret: apiKeyValue}}}
	want := redact.Mask(apiKeyValue)
	if got := string(render(t, "jsonl", r)); !strings.Contains(got, `"masked":"`+want+`"`) {
		t.Errorf("JSONL should carry masked %q:\n%s", want, got)
	}
	if got := string(render(t, "sarif", r)); !strings.Contains(got, want) || strings.Contains(got, apiKeyValue) {
		t.Errorf("SARIF should show %q and not the value:\n%s", want, got)
	}
	if r.Findings[0].Masked != "" {
		t.Error("writer modified the caller's findings")
	}
}
