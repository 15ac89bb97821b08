package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

func writeText(t *testing.T, color bool, r *Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := NewText(color).Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTextColorOnlyWhenAsked(t *testing.T) {
	plain, colored := writeText(t, false, fixture()), writeText(t, true, fixture())
	if strings.Contains(plain, "\x1b") {
		t.Error("plain text has escape sequences")
	}
	if !strings.Contains(colored, "\x1b[") {
		t.Error("colored text has no escape sequences")
	}
}

// Names and values from scanned data cannot drive the terminal.
func TestTextEscapesControlCharacters(t *testing.T) {
	r := &Result{
		Findings: []finding.Finding{{
			Rule: "r", Kind: finding.Secret,
			Location: finding.Location{Path: "evil\x1b]0;pwned\x07.txt", Container: []string{"a\u202eb"}, Line: 1},
			Masked:   "x\x9by", // an invalid byte: CSI to an 8-bit terminal
		}},
		Errors: []finding.ItemError{{Location: finding.Location{Path: "e\rf"}, Reason: "unreadable", Error: "bad\x1b[2J"}},
	}
	got := writeText(t, false, r)
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\x9b", "\r"} {
		if strings.Contains(got, bad) {
			t.Errorf("output contains %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{`evil\x1b]0;pwned\a.txt`, `a\u202eb`, `x\x9by`, `e\rf`, `bad\x1b[2J`} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if s := "données/résumé été.pdf"; clean(s) != s {
		t.Errorf("clean changed printable unicode: %q", clean(s))
	}
}

func TestTextListsAtMost20Errors(t *testing.T) {
	r := &Result{Stats: finding.Stats{Errors: 25}}
	for i := range 25 {
		r.Errors = append(r.Errors, finding.ItemError{Location: finding.Location{Path: fmt.Sprintf("f%02d", i)}, Reason: "unreadable", Error: "denied"})
	}
	got := writeText(t, false, r)
	if !strings.Contains(got, "Item errors: 25") || !strings.Contains(got, "f19") || strings.Contains(got, "f20") || !strings.Contains(got, "and 5 more") {
		t.Errorf("error list:\n%s", got)
	}
}

func TestTextLocations(t *testing.T) {
	got := writeText(t, false, fixture())
	for _, want := range []string{
		"config/app.env:12:9  generic-api-key  [secret/api-key]  high  critical  lgte…1706\n",
		"backup.zip:3:2  us-ssn  [pii/ssn]",
		"    in hr/2014.xlsx > sheet:Pay\n",
		"données/résumé été.pdf  email-address", // no line: no :0:0
		"-:1:1  classification-marking  [marking]",
		"    secret: " + apiKeyValue + "\n", // asked for, so shown
		"Suppressed: 6 (allow-comment 1, baseline 3, min-confidence 2)",
		"Findings: 4 (marking 1, pii 2, secret 1; confidence high 2, medium 1, low 1)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB",
		3_409_920: "3.3 MiB", 5 << 30: "5.0 GiB", 1 << 62: "4.0 EiB",
	} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
