package validate

import (
	"strings"
	"time"
)

// isSep reports whether r is one of the separators people put inside
// numbers: spaces (incl. no-break and narrow no-break), hyphens and dashes,
// dots and slashes.
func isSep(r rune) bool {
	switch r {
	case ' ', '\t', '-', '.', '/', '\u00a0', '\u202f', '\u2009', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
		return true
	}
	return false
}

// compact drops separators and upper-cases ASCII letters, so that
// "x-2482300w" and "X2482300W" compare equal.
func compact(s string) string {
	// Most values are compact already (digits, upper-case letters): they
	// are returned as they are, without a copy.
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isSep(r) {
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stripPrefix removes one of the given prefixes (already upper-case) from a
// compacted value, such as a country code written before a national number.
func stripPrefix(s string, prefixes ...string) string {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return s[len(p):]
		}
	}
	return s
}

// isDigits reports whether s is non-empty and only ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isUpper reports whether s is non-empty and only ASCII upper-case letters.
func isUpper(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// isAlnumUpper reports whether s is non-empty and only digits and
// upper-case ASCII letters.
func isAlnumUpper(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// digitsOnly returns the compacted value when it is made of exactly n
// digits (any of lengths), or "" otherwise.
func digitsOnly(value string, lengths ...int) string {
	s := compact(value)
	if !isDigits(s) {
		return ""
	}
	for _, n := range lengths {
		if len(s) == n {
			return s
		}
	}
	return ""
}

// num parses a short run of ASCII digits; callers have checked them.
func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// validDate reports whether y-m-d is a real calendar day.
func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// notFuture reports whether y-m-d is not after now: a birth date encoded in
// an identifier cannot lie in the future.
func notFuture(y, m, d int, now time.Time) bool {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return !t.After(now)
}

// weightedSum returns Σ digit(s[i])·w[i] for the first len(w) digits of s.
func weightedSum(s string, w []int) int {
	sum := 0
	for i, k := range w {
		sum += int(s[i]-'0') * k
	}
	return sum
}

// luhnString runs the Luhn check over a string of digits only.
func luhnString(s string) bool {
	return isDigits(s) && len(s) >= 2 && Luhn(s)
}

// splitExactly splits v at sep into out and reports whether it has exactly
// len(out) fields. Validators run on every candidate; strings.Split's
// slice for a date or an IPv4 address was most of their allocation.
func splitExactly(v string, sep byte, out []string) bool {
	for i := range len(out) - 1 {
		j := strings.IndexByte(v, sep)
		if j < 0 {
			return false
		}
		out[i], v = v[:j], v[j+1:]
	}
	out[len(out)-1] = v
	return strings.IndexByte(v, sep) < 0
}
