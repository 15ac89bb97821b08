package detect

import (
	"regexp/syntax"
	"testing"

	"github.com/leakguard/leakguard/internal/rules"
)

// TestLineBound lists patterns whose matches can hold a line break
// nowhere, only as their first byte, or elsewhere too, and counts the
// built-in rules whose keyword windows stop at the keyword's line.
func TestLineBound(t *testing.T) {
	for p, want := range map[string]int{
		`pass(?:word)?=([^\s'"]{8,})`: 0,
		`a.b`:                         0,
		`(?s)a.b`:                     -1,
		`a\sb`:                        -1,
		`a\s?.b`:                      -1, // '.' holds no line break, \s does
		`a[^x]b`:                      -1,
		`(?m)^key: [^\r\n]+$`:         0,
		`BEGIN\n`:                     -1,
		`(?i)token[ \t]*=`:            0,
		// a class of the byte before a key takes the line break before it
		`(?i)(?:^|[^a-z0-9_])(?P<key>pass)[ \t]*=[ \t]*(?P<value>[^\s]{3,})`: 1,
		`\b[^x]key=\w+`:       1, // assertions before it take no byte
		`(?:\n|\A)key=\w+`:    1,
		`(?:[^x]|ab)key`:      1,
		`[^x]?key`:            1,
		`\nkey`:               1,
		`(?:a|\n)key`:         1,
		`(?:^|[^a-z])key[^x]`: -1, // a line break after the key too
		`[^x]{2}key`:          -1, // the second byte may be one
		`[^x]*key`:            -1,
		`a[^x]key`:            -1,
		`(?:ab|[^x])\nkey`:    -1,
		`(?:\nx)?\nkey`:       -1,
	} {
		tree, err := syntax.Parse(p, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := lineLead(tree); got != want {
			t.Errorf("%q: lineLead %d, want %d", p, got, want)
		}
	}
	rs := rules.Builtin()
	var leads [2]int
	keyworded := 0
	for _, r := range rs {
		if r.Pattern == "" || len(r.Keywords) == 0 {
			continue
		}
		keyworded++
		if l := lineLead(mustParse(t, r.Pattern)); l >= 0 {
			leads[l]++
		}
	}
	t.Logf("of %d keyword rules %d hold no line break, %d one only as their first byte", keyworded, leads[0], leads[1])
	if leads[0] < 200 || leads[1] < 10 {
		t.Errorf("of %d keyword rules %d line-bound, %d with a leading line break: the narrowing no longer applies to them", keyworded, leads[0], leads[1])
	}
}

// TestLineAround narrows keyword windows, which always hold their keyword,
// to the keyword's line, with the line break before it for lead 1.
func TestLineAround(t *testing.T) {
	buf := []byte("first line\nkey=value here\nlast")
	kStart, kEnd := 11, 14 // "key"
	for _, c := range []struct{ lo, hi, lead, wantLo, wantHi int }{
		{-100, 100, 0, 11, 25}, // the whole line
		{8, 20, 0, 11, 20},     // the part of the window inside the line stays
		{12 - 3, 14, 0, 11, 14},
		{-100, 100, 1, 10, 25}, // the line and the line break before it
		{10, 20, 1, 10, 20},
		{11, 20, 1, 11, 20}, // a window that starts at the line keeps its start
	} {
		if lo, hi := lineAround(buf, kStart, kEnd, c.lo, c.hi, c.lead); lo != c.wantLo || hi != c.wantHi {
			t.Errorf("window [%d, %d), lead %d: [%d, %d), want [%d, %d)", c.lo, c.hi, c.lead, lo, hi, c.wantLo, c.wantHi)
		}
	}
}
