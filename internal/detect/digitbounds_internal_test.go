package detect

import (
	"regexp/syntax"
	"testing"
)

func TestDigitBounded(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    bool
	}{
		{`\b(?P<value>[0-9]{9})\b`, true},
		{`(?P<value>\b[0-9]{9}\b)`, true},
		{`\b[0-9]{9}\b`, true}, // the whole match
		{`(?:^|[^0-9])(?P<value>[0-9]{3}-[0-9]{2}-[0-9]{4})(?:$|\D)`, true},
		{`(?m)^(?P<value>[0-9]{9})$`, true},
		{`(?P<value>\$[0-9]{9}x)`, true},                      // non-digits at both edges
		{`\b(?P<value>(?:\w[-.])?[0-9]{9})(?:$|[^\w])`, true}, // "1-" leads with a digit behind \b
		{`(?P<value>[0-9]{9})`, false},
		{`\b(?P<value>[0-9]{9})`, false},             // may be followed by a digit
		{`(?P<value>[0-9]{9})\b`, false},             // may follow one
		{`[a-z0-9](?P<value>[0-9]{9})\b`, false},     // the byte before may be a digit
		{`\B(?P<value>[0-9]{9})\b`, false},           // \B before a digit: a word byte, maybe a digit
		{`\b(?P<value>[0-9]{9})(?:x|[0-9])`, false},  // one alternative after is a digit
		{`\b(?P<value>[0-9]{9})(?:-[0-9])?\b`, true}, // either way a non-digit or \b
		{`\b(?P<value>[0-9]{9})(?:[0-9]-)?\b`, false},
		{`\b(?:(?P<value>[0-9]{3}) )+\b`, false}, // a value repeated
		{`\b(?P<value>[0-9]{9}).`, false},        // any byte after
		{`(?P<value_a>\b[0-9]{9}\b)|(?P<value_b>[0-9]{8})`, false},
	} {
		re, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := digitBounded(re, valueGroups(re.CapNames())); got != c.want {
			t.Errorf("digitBounded(%s) = %v, want %v", c.pattern, got, c.want)
		}
	}
}

// TestBuiltinNumbersBounded: the built-in rules of national numbers and
// cards say where their digits stop, so their windows open only around
// whole groups of digits that pass the check. Aadhaar and My Number take
// a digit before their twelve (a "\B[0-9] " form) and are left out.
func TestBuiltinNumbersBounded(t *testing.T) {
	notBounded := map[string]bool{"in-aadhaar": true, "jp-my-number": true}
	e := builtinInternal(t)
	n := 0
	for _, c := range e.rules {
		if c.shape == nil || c.shape.digits == nil {
			continue
		}
		n++
		if c.digitBounded == notBounded[c.ID] {
			t.Errorf("%s: digitBounded %v", c.ID, c.digitBounded)
		}
	}
	if n < 20 {
		t.Errorf("only %d rules with number shapes", n)
	}
}

func TestPiecesBounded(t *testing.T) {
	sh := shapes()["us_ssn"]
	if sh == nil || sh.digits == nil {
		t.Fatal("no us_ssn number shape")
	}
	// 536-22-8511 is a well-formed SSN; inside a longer run of digits it
	// is no group of its own.
	for _, c := range []struct {
		text           string
		loose, bounded bool
	}{
		{"id 536228511 x", true, true},
		{"id 536-22-8511 x", true, true},
		{"id 95362285117 x", true, false},
		{"id 9536228511 x", true, false},
		{"id 000000000 x", false, false},
	} {
		text := []byte(c.text)
		if got := sh.pieces(text, 3, len(text)-2, nil, false); got != c.loose {
			t.Errorf("%q: pieces = %v, want %v", c.text, got, c.loose)
		}
		if got := sh.pieces(text, 3, len(text)-2, nil, true); got != c.bounded {
			t.Errorf("%q: bounded pieces = %v, want %v", c.text, got, c.bounded)
		}
	}
}
