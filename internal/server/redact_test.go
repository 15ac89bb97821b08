package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/finding"
)

type redactAnswer struct {
	Text     string            `json:"text"`
	Findings []finding.Finding `json:"findings"`
}

func TestRedactText(t *testing.T) {
	ts := start(t, Config{})
	// Multi-byte characters before and between the values: offsets are
	// bytes of the UTF-8 text.
	body := "Grüße — clé: " + fakeSecret + "\n日本語 " + fakeEmail + " fin"
	resp, b := ts.do(t, "POST", "/v1/redact", "text/plain; charset=utf-8", strings.NewReader(body))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	noPlaintext(t, b)
	var a redactAnswer
	decode(t, b, &a)
	want := "Grüße — clé: [test-secret]\n日本語 [EMAIL_ADDRESS] fin"
	if a.Text != want {
		t.Errorf("text %q, want %q", a.Text, want)
	}
	if len(a.Findings) != 2 {
		t.Errorf("findings %+v", a.Findings)
	}
	if got := ts.scan.seen(); len(got) != 1 || got[0].ContentType != TextContentType {
		t.Errorf("scanner got %+v, want one input of type %s", got, TextContentType)
	}
}

func TestRedactKeepsBOM(t *testing.T) {
	ts := start(t, Config{})
	resp, b := ts.do(t, "POST", "/v1/redact", "", strings.NewReader("\uFEFFmail "+fakeEmail))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	var a redactAnswer
	decode(t, b, &a)
	if a.Text != "\uFEFFmail [EMAIL_ADDRESS]" {
		t.Errorf("text %q", a.Text)
	}
	if got := ts.scan.seen(); got[0].Body != "mail "+fakeEmail {
		t.Errorf("scanner got %q, want the text without its BOM", got[0].Body)
	}
}

func TestRedactRefusesNonText(t *testing.T) {
	ts := start(t, Config{})
	ct, mp := multipartBody(t, [][3]string{{"a.txt", "text/plain", "x"}}, nil)
	cases := []struct {
		name, ct, body, say string
	}{
		{"zip", "application/zip", "PK\x03\x04", "not text"},
		{"pdf", "application/pdf", "%PDF-1.7", "not text"},
		{"multipart", ct, mp.String(), "not text"},
		{"latin-1", "text/plain; charset=iso-8859-1", "caf\xe9", "UTF-8"},
		{"binary as octet-stream", "application/octet-stream", "PK\x03\x04\x00\x00", "not UTF-8"},
		{"invalid UTF-8", "text/plain", "caf\xe9", "not UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, b := ts.do(t, "POST", "/v1/redact", c.ct, strings.NewReader(c.body))
			wantError(t, resp, b, http.StatusUnsupportedMediaType, c.say)
		})
	}
	if n := len(ts.scan.seen()); n != 0 {
		t.Errorf("scanner ran %d times for refused bodies", n)
	}
}

func TestRedactAcceptsTextLikeTypes(t *testing.T) {
	for _, ct := range []string{"", "text/plain", "text/html; charset=UTF-8", "application/json", "application/vnd.api+json", "application/x-www-form-urlencoded", "application/octet-stream"} {
		if err := textMedia(ct); err != nil {
			t.Errorf("%q refused: %v", ct, err)
		}
	}
}

func TestRedactRefusesUnplaceableFindings(t *testing.T) {
	// A value inside embedded content cannot be replaced in the text: the
	// answer must not be text that still holds it.
	ts := start(t, Config{Scan: func(_ context.Context, in Input) (Result, error) {
		return Result{Findings: []finding.Finding{
			{Rule: "email", Entity: "EMAIL_ADDRESS", Kind: finding.PII, Confidence: finding.Medium, Masked: "ja…om",
				Location: finding.Location{Offset: 0, EndOffset: 4}},
			{Rule: "test-secret", Kind: finding.Secret, Confidence: finding.High, Masked: "LGTE…cdef",
				Location: finding.Location{Container: []string{"base64"}, Offset: 2, EndOffset: 9}},
		}}, nil
	}})
	resp, b := ts.do(t, "POST", "/v1/redact", "text/plain", strings.NewReader("abcd TEdURVNULVNFQ1JFVA=="))
	wantError(t, resp, b, http.StatusUnprocessableEntity, "1 of 2 findings cannot be redacted")
	var e struct {
		Findings []finding.Finding `json:"findings"`
		Text     *string           `json:"text"`
	}
	decode(t, b, &e)
	if len(e.Findings) != 1 || e.Findings[0].Rule != "test-secret" || e.Text != nil {
		t.Errorf("refusal lists %+v, text %v", e.Findings, e.Text)
	}
}

func TestRedactSpans(t *testing.T) {
	f := func(rule, entity string, a, b int64) finding.Finding {
		return finding.Finding{Rule: rule, Entity: entity, Location: finding.Location{Offset: a, EndOffset: b}}
	}
	text := "0123456789abcdef"
	cases := []struct {
		name     string
		fs       []finding.Finding
		want     string
		unplaced int
	}{
		{"none", nil, text, 0},
		{"disjoint, out of order", []finding.Finding{f("r2", "", 10, 12), f("r1", "E1", 0, 2)}, "[E1]23456789[r2]cdef", 0},
		{"overlap merges under the earliest", []finding.Finding{f("r2", "B", 4, 10), f("r1", "A", 2, 6)}, "01[A]abcdef", 0},
		{"nested keeps the outer", []finding.Finding{f("in", "IN", 3, 5), f("out", "OUT", 2, 8)}, "01[OUT]89abcdef", 0},
		{"adjacent stay apart", []finding.Finding{f("a", "A", 0, 2), f("b", "B", 2, 4)}, "[A][B]456789abcdef", 0},
		{"whole text", []finding.Finding{f("a", "A", 0, 16)}, "[A]", 0},
		{"out of range", []finding.Finding{f("a", "A", 10, 17)}, text, 1},
		{"empty span", []finding.Finding{f("a", "A", 0, 0)}, text, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, un := redactText(text, c.fs)
			if got != c.want || len(un) != c.unplaced {
				t.Errorf("got %q with %d unplaced, want %q with %d", got, len(un), c.want, c.unplaced)
			}
		})
	}
	// An offset inside a multi-byte character is no place in the text.
	if _, un := redactText("é!", []finding.Finding{f("a", "A", 1, 3)}); len(un) != 1 {
		t.Error("a span starting inside a character was applied")
	}
	// A registered document's passages are redacted span by span.
	doc := finding.Finding{Rule: "registered-docs", Kind: finding.Registered,
		Match: &finding.Match{Set: "contracts", Type: "docs", Spans: [][2]int64{{0, 3}, {8, 10}}}}
	if got, _ := redactText(text, []finding.Finding{doc}); got != "[registered-docs]34567[registered-docs]abcdef" {
		t.Errorf("document spans: %q", got)
	}
}
