package validate

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSeparators keeps the list the engine reads in step with isSep.
func TestSeparators(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if isSep(r) != strings.ContainsRune(separators, r) {
			t.Fatalf("isSep(%q) = %v, separators disagree", r, isSep(r))
		}
	}
}

// TestNumberChars holds each description against its check: values it
// accepts, found by trying random numbers in the shapes the rules match,
// are made of the described characters and hold enough digits; and each
// of them with one other character put in, anywhere, is turned down.
func TestNumberChars(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	others := []rune("ACKXaxz_:,;#+()[]'\"=\n\u00e9\u00b7\u3000\u2022")
	for name, fn := range All() {
		chars, min, ok := NumberChars(name)
		if !ok {
			continue
		}
		found := 0
		for try := 0; try < 400000 && found < 30; try++ {
			v, _ := randomNumber(r, chars, min+r.IntN(6))
			if !fn(v) {
				continue
			}
			found++
			digits := 0
			for _, c := range v {
				if !strings.ContainsRune(chars, c) {
					t.Errorf("%s accepts %q, with %q not described", name, v, c)
				}
				if c >= '0' && c <= '9' {
					digits++
				}
			}
			if digits < min {
				t.Errorf("%s accepts %q with %d digits, fewer than %d", name, v, digits, min)
			}
			for range 20 {
				o := others[r.IntN(len(others))]
				at := r.IntN(len(v) + 1)
				for !utf8.RuneStart(v[at%len(v)]) && at < len(v) {
					at++
				}
				w := v[:at] + string(o) + v[at:]
				if fn(w) {
					t.Errorf("%s accepts %q, with %q not described", name, w, o)
				}
			}
		}
		if found == 0 {
			t.Errorf("%s: no accepted value found to test the description against", name)
		}
	}
}

// ownLetters returns the characters of chars that are neither digits nor
// separators.
func ownLetters(chars string) string {
	var b strings.Builder
	for _, c := range chars {
		if (c < '0' || c > '9') && !strings.ContainsRune(separators, c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// TestNumberDigits holds each description of NumberDigits against its
// check: every value it accepts, found by trying random numbers of two
// digits fewer to two more than described, with separators and its own letters in
// the ways NumberChars allows, holds one of the described counts of
// digits, and its digits alone are accepted too.
func TestNumberDigits(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for name, fn := range All() {
		lengths, ok := NumberDigits(name)
		if !ok {
			continue
		}
		chars, min, isNumber := NumberChars(name)
		if !isNumber {
			t.Errorf("%s has NumberDigits but not NumberChars", name)
			continue
		}
		found := 0
		for try := 0; try < 400000 && found < 200; try++ {
			lo := max(min-2, 1)
			v, d := randomNumber(r, chars, lo+r.IntN(slices.Max(lengths)+3-lo))
			if !fn(v) {
				continue
			}
			found++
			if !slices.Contains(lengths, len(d)) || !fn(d) {
				t.Errorf("%s accepts %q but its digits %q (%d; described %v) are turned down or not described", name, v, d, len(d), lengths)
			}
		}
		if found == 0 {
			t.Errorf("%s: no accepted value found to test the description against", name)
		}
	}
}

// randomNumber writes n random digits, a separator between some of them
// and, one time in three, a country prefix from the check's own letters
// in chars; it returns the number and its digits alone.
func randomNumber(r *rand.Rand, chars string, n int) (v, digits string) {
	seps := []string{"", "", "", " ", "-", ".", "/", "\u00a0", "\u2013"}
	var b, d strings.Builder
	if extra := ownLetters(chars); extra != "" && r.IntN(3) == 0 {
		b.WriteString(extra[:2])
	}
	for i := range n {
		c := byte('0' + r.IntN(10))
		b.WriteByte(c)
		d.WriteByte(c)
		if i < n-1 && r.IntN(3) == 0 {
			b.WriteString(seps[r.IntN(len(seps))])
		}
	}
	return b.String(), d.String()
}
