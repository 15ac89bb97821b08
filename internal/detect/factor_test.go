package detect

import (
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/rules"
)

// TestFactorClasses checks the constant classes against their definitions.
func TestFactorClasses(t *testing.T) {
	for b := 0; b < 256; b++ {
		c := byte(b)
		word := c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
		if wordBytes.has(c) != word || nonWord.has(c) == word {
			t.Errorf("byte %#x: word %v, wordBytes %v, nonWord %v", c, word, wordBytes.has(c), nonWord.has(c))
		}
		if lineEdge.has(c) != (c == '\n' || c == vByte) {
			t.Errorf("byte %#x: lineEdge %v", c, lineEdge.has(c))
		}
		if !allBytes.has(c) {
			t.Errorf("byte %#x not in allBytes", c)
		}
	}
}

// TestSeqScore checks that the model ranks the shapes as text has them:
// a date above a social security number, digits in a run above digits
// between punctuation.
func TestSeqScore(t *testing.T) {
	digits := byteRange('0', '9')
	lit := func(b byte) byteSet { var c byteSet; c.add(b); return c }
	run := func(n int) seq {
		s := make(seq, n)
		for i := range s {
			s[i] = digits
		}
		return s
	}
	cat := func(parts ...seq) seq {
		var s seq
		for _, p := range parts {
			s = append(s, p...)
		}
		return s
	}
	dash := seq{lit('-')}
	date := cat(run(4), dash, run(2), dash, run(2))
	ssn := cat(run(3), dash, run(2), dash, run(4))
	if seqScore(date) <= seqScore(ssn) {
		t.Errorf("date %g not above ssn %g", seqScore(date), seqScore(ssn))
	}
	bounded := cat(seq{nonWord}, run(9), seq{nonWord})
	if seqScore(run(10)) <= seqScore(bounded) {
		t.Errorf("ten digits %g not above nine between punctuation %g", seqScore(run(10)), seqScore(bounded))
	}
	if s := seqScore(run(1)); s < 0.1 || s > 0.3 {
		t.Errorf("one digit: %g", s)
	}
}

// TestReportingPattern drops the alternatives whose value can never hold
// enough digits, and only those.
func TestReportingPattern(t *testing.T) {
	c := &compiled{minDigits: 7}
	c.Rule = &rules.Rule{Pattern: `(?:(?P<value_x>[$.+-])[0-9]{3}-[0-9]{4}|\b(?P<value>[0-9]{3}-[0-9]{4})|(?P<value_y>\([0-9]{2}\)))`}
	c.valueIdx = []int{1, 2, 3}
	re, err := reportingPattern(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := re.String(); !strings.Contains(got, "value") || strings.Contains(got, "value_x") || strings.Contains(got, "value_y") {
		t.Errorf("kept %s", got)
	}
	c.minDigits = 0
	if re, _ := reportingPattern(c); len(re.Sub) != 3 {
		t.Errorf("without a floor every alternative stays: %s", re)
	}
}
