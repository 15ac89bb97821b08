package detect

import (
	"math/rand/v2"
	"regexp/syntax"
	"testing"
)

func TestValueAtStart(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    bool
	}{
		{`\b(?P<value>[0-9]{9})x`, true},
		{`(?m)^\b(?P<value>[0-9]{9})`, true},           // assertions first
		{`\b[0-9]{9}\b`, true},                         // the whole match
		{`([0-9]{9})\b`, true},                         // group 1 stands for the value
		{`(?:\b(?P<value>a+)|(?P<value_s>b+)c)`, true}, // each branch starts with one
		{`((?P<value>a+)b)c`, true},                    // inside a group at the start
		{`x(?P<value>[0-9]{9})`, false},
		{`x([0-9]{9})`, false},
		{`(?:a)?(?P<value>b)`, false},             // an optional part may come first
		{`(?:(?P<value>a),)+`, false},             // a repetition's later values
		{`\b(?P<value>a)|x(?P<value_s>b)`, false}, // one branch leads with other text
		{`(?P<value>a)(?P<value_s>b)`, false},
	} {
		re, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := valueAtStart(re, valueGroups(re.CapNames())); got != c.want {
			t.Errorf("valueAtStart(%s) = %v, want %v", c.pattern, got, c.want)
		}
	}
}

// TestLinesAround counts lines as besideCredential does, and holds the
// window-level bound a deferred window's need is checked against to
// contain the bound of every match inside the window: a credential beside
// any match lies within the window's.
func TestLinesAround(t *testing.T) {
	text := []byte("l0\nl1\nl2\nl3\nl4\nl5\nl6\n")
	for _, c := range []struct{ from, to, n, lo, hi, wantLo, wantHi int }{
		{9, 11, 1, -100, 100, 6, 14},     // l3: l2 before, l4 after
		{9, 11, 0, -100, 100, 9, 11},     // its line alone
		{9, 11, 9, -100, 100, -100, 100}, // fewer lines than asked: the byte bounds stay
		{9, 11, 1, 7, 13, 7, 13},         // the byte bounds are the closer
		{10, 10, 1, -100, 100, 6, 14},    // inside a line
		{9, 9, 1, -100, 100, 6, 14},      // at a line's start
		{0, 2, 1, -100, 100, -100, 5},
	} {
		if lo, hi := linesAround(text, c.from, c.to, c.n, c.lo, c.hi); lo != c.wantLo || hi != c.wantHi {
			t.Errorf("[%d, %d) %d lines within [%d, %d): [%d, %d), want [%d, %d)", c.from, c.to, c.n, c.lo, c.hi, lo, hi, c.wantLo, c.wantHi)
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		b := make([]byte, 1+r.IntN(400))
		for i := range b {
			if b[i] = 'a'; r.IntN(6) == 0 {
				b[i] = '\n'
			}
		}
		from := r.IntN(len(b))
		to := from + r.IntN(len(b)-from+1)
		n, reach := r.IntN(5), r.IntN(120)
		lo, hi := linesAround(b, from, to, n, from-reach, to+reach)
		m0 := from + r.IntN(to-from+1)
		m1 := m0 + r.IntN(to-m0+1)
		mlo, mhi := linesAround(b, m0, m1, n, max(m0-reach, 0), min(m1+reach, len(b)))
		if mlo < lo || mhi > hi {
			t.Fatalf("%q: the match [%d, %d) reaches [%d, %d), outside its window [%d, %d)'s [%d, %d)", b, m0, m1, mlo, mhi, from, to, lo, hi)
		}
	}
}
