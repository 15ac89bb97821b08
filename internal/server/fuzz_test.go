package server

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/finding"
)

// FuzzSpans feeds arbitrary text and finding offsets (a scanner's bug, or
// a hostile one) to redaction and the code-point conversion: no panic, a
// span is applied only when it lies on characters of the text, and the
// code-point offsets agree with counting runes.
func FuzzSpans(f *testing.F) {
	f.Add("Grüße jane@example.com", int64(7), int64(23), int64(0), int64(2))
	f.Add("😀😀", int64(1), int64(4), int64(4), int64(8))
	f.Add("", int64(0), int64(0), int64(-1), int64(1))
	f.Fuzz(func(t *testing.T, text string, a1, b1, a2, b2 int64) {
		fs := []finding.Finding{
			{Rule: "r1", Location: finding.Location{Offset: a1, EndOffset: b1}},
			{Rule: "r2", Entity: "E2", Location: finding.Location{Offset: a2, EndOffset: b2}},
		}
		out, unplaced := redactText(text, fs)
		placed := len(fs) - len(unplaced)
		if placed == 0 && out != text {
			t.Fatalf("nothing placed, text changed: %q -> %q", text, out)
		}
		if utf8.ValidString(text) && !utf8.ValidString(out) {
			t.Fatalf("redaction broke UTF-8: %q -> %q", text, out)
		}
		if placed > 0 && !strings.Contains(out, "[") {
			t.Fatalf("placed %d spans, no label in %q", placed, out)
		}
		var offs []int
		for _, f := range fs {
			if sp, ok := spansOf(text, f); ok {
				offs = append(offs, sp[0].start, sp[0].end)
			}
		}
		for i, cp := range codePoints(text, offs) {
			if want := utf8.RuneCountInString(text[:offs[i]]); cp != want {
				t.Fatalf("offset %d: %d code points, want %d", offs[i], cp, want)
			}
		}
	})
}
