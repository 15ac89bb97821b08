package detect

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestNationalPhoneRunDigitEdges holds the national number's shape, which
// tries only values from a digit group's first digit to another's last,
// to the same shape trying every start and end among the separators
// around them, on runs of digit groups and the separators, brackets,
// signs and words that come before and between numbers in text.
func TestNationalPhoneRunDigitEdges(t *testing.T) {
	pieces := []string{
		"0", "1", "12", "123", "1234", "12345", "123456", "0123", "030", "2094", "7731", "06", "10446904",
		" ", " ", "-", "-", "/", "/ ", ".", "(", ")", "+", ":", ",", ";", "\"", "$", "#", "x", "ext. ", "apt ", "\t", "é",
	}
	r := rand.New(rand.NewPCG(11, 12))
	passed := 0
	for range 200000 {
		var b strings.Builder
		for k := 2 + r.IntN(14); k > 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := []byte(b.String())
		start, end := r.IntN(len(text)/2+1), len(text)-r.IntN(len(text)/2+1)
		if start >= end {
			continue
		}
		got := phoneRunWith(text, start, end, nationalLead, true)
		if want := phoneRunWith(text, start, end, nationalLead, false); got != want {
			t.Fatalf("%q [%d:%d]: %v with the digit edges alone, %v trying every edge", text, start, end, got, want)
		}
		if got {
			passed++
		}
	}
	if passed < 2000 {
		t.Errorf("%d runs passed: the texts no longer exercise the shape", passed)
	}
}
