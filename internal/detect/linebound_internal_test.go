package detect

import (
	"regexp/syntax"
	"testing"

	"github.com/leakguard/leakguard/internal/rules"
)

// TestLineBound lists patterns whose matches can and cannot hold a line
// break, and counts the built-in rules whose keyword windows stop at the
// keyword's line.
func TestLineBound(t *testing.T) {
	for p, want := range map[string]bool{
		`pass(?:word)?=([^\s'"]{8,})`: true,
		`a.b`:                         true,
		`(?s)a.b`:                     false,
		`a\sb`:                        false,
		`a\s?.b`:                      false, // '.' holds no line break, \s does
		`a[^x]b`:                      false,
		`(?m)^key: [^\r\n]+$`:         true,
		`BEGIN\n`:                     false,
		`(?i)token[ \t]*=`:            true,
	} {
		tree, err := syntax.Parse(p, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := lineBound(tree); got != want {
			t.Errorf("%q: lineBound %v, want %v", p, got, want)
		}
	}
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	bound, keyworded := 0, 0
	for _, r := range rs {
		if r.Pattern == "" || len(r.Keywords) == 0 {
			continue
		}
		keyworded++
		if lineBound(mustParse(t, r.Pattern)) {
			bound++
		}
	}
	t.Logf("%d of %d keyword rules are line-bound", bound, keyworded)
	if bound < 200 {
		t.Errorf("%d of %d keyword rules line-bound: the narrowing no longer applies to them", bound, keyworded)
	}
}

// TestLineAround narrows keyword windows, which always hold their keyword,
// to the keyword's line.
func TestLineAround(t *testing.T) {
	buf := []byte("first line\nkey=value here\nlast")
	kStart, kEnd := 11, 14 // "key"
	for _, c := range []struct{ lo, hi, wantLo, wantHi int }{
		{-100, 100, 11, 25}, // the whole line
		{8, 20, 11, 20},     // the part of the window inside the line stays
		{12 - 3, 14, 11, 14},
	} {
		if lo, hi := lineAround(buf, kStart, kEnd, c.lo, c.hi); lo != c.wantLo || hi != c.wantHi {
			t.Errorf("window [%d, %d): [%d, %d), want [%d, %d)", c.lo, c.hi, lo, hi, c.wantLo, c.wantHi)
		}
	}
}
