package detect

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
)

// TestFirstBytes checks the bytes a match can begin with, and whether a
// pattern can match empty text, on the constructs the rules use.
func TestFirstBytes(t *testing.T) {
	for _, tc := range []struct {
		re       string
		first    string // every byte in the set, in order
		nullable bool
	}{
		{`\b[0-9]{3}`, "0123456789", false},
		{`(?i)apt\.?`, "Aa", false},
		{`(?i)k`, "Kk\xe2", false}, // and the Kelvin sign's lead byte
		{`a?b`, "ab", false},
		{`(?:x|)y`, "xy", false},
		{`[ \t]{0,8}"`, "\t \"", false},
		{`x*`, "x", true},
		{`(?:^|[^a-z])q`, "", false}, // checked below: everything but a-z
		{`é`, "\xc3", false},
	} {
		re, err := syntax.Parse(tc.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		var set [256]bool
		nullable := firstBytes(re, &set)
		var got strings.Builder
		for b, in := range set {
			if in {
				got.WriteByte(byte(b))
			}
		}
		if tc.re == `(?:^|[^a-z])q` {
			if set['a'] || set['z'] || !set['q'] || !set['A'] || !set[0xC3] {
				t.Errorf("%s: %q", tc.re, got.String())
			}
			continue
		}
		if got.String() != tc.first || nullable != tc.nullable {
			t.Errorf("%s: first %q nullable %v, want %q %v", tc.re, got.String(), nullable, tc.first, tc.nullable)
		}
	}
}

// TestReportingFirst holds each built-in rule's first bytes against its
// examples: every match of the reporting alternatives alone begins with
// one of them, so a match that begins otherwise is a consuming one.
func TestReportingFirst(t *testing.T) {
	e := builtinInternal(t)
	found := 0
	for _, c := range e.rules {
		set := reportingFirst(c)
		if set == nil {
			continue
		}
		found++
		re, n := consumingSplit(c)
		var rest []string
		for _, b := range re.Sub[n:] {
			rest = append(rest, b.String())
		}
		reporting := regexp.MustCompile(strings.Join(rest, "|"))
		for _, ex := range append(append([]string{}, exampleTexts(c)...), "call 020 7946 0018 or -2024-29169, \" 404 64336 \"") {
			for _, m := range reporting.FindAllStringIndex(ex, -1) {
				if m[0] < m[1] && !set[ex[m[0]]] {
					t.Errorf("%s: a reporting match %q begins with %q, not in its first bytes", c.ID, ex[m[0]:m[1]], ex[m[0]])
				}
			}
		}
		if c.ID == "phone-number-unformatted" && (set['-'] || set[' '] || !set['7']) {
			t.Errorf("%s: first bytes do not tell the consuming alternatives apart", c.ID)
		}
	}
	if found == 0 {
		t.Error("no built-in rule has consuming alternatives")
	}
}

func exampleTexts(c *compiled) []string {
	var out []string
	for _, ex := range append(c.Examples[:len(c.Examples):len(c.Examples)], c.NegativeExamples...) {
		out = append(out, ex.Text)
	}
	return out
}
