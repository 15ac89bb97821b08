package validate

import (
	"strings"
	"time"
)

// CASIN checks a Canadian Social Insurance Number: nine digits, Luhn, not
// starting with 0 (unassigned) or 8 (business numbers).
func CASIN(value string) bool {
	s := digitsOnly(value, 9)
	return s != "" && s[0] != '0' && s[0] != '8' && Luhn(s)
}

// allSame reports whether every byte of s is the same; such numbers pass
// several mod-11 schemes but are never issued.
func allSame(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

// brCheck returns the Brazilian mod-11 check digit of s for weights w:
// remainders 0 and 1 give 0, others 11 − r. Characters count as their ASCII
// value minus 48, which is how the alphanumeric CNPJ (2026) extends it.
func brCheck(s string, w []int) int {
	sum := 0
	for i, k := range w {
		sum += int(s[i]-'0') * k
	}
	r := sum % 11
	if r < 2 {
		return 0
	}
	return 11 - r
}

// BRCPF checks a Brazilian individual taxpayer number (CPF,
// "390.533.447-05"): eleven digits, not all equal, two mod-11 check digits.
func BRCPF(value string) bool {
	s := digitsOnly(value, 11)
	if s == "" || allSame(s) {
		return false
	}
	return brCheck(s, []int{10, 9, 8, 7, 6, 5, 4, 3, 2}) == int(s[9]-'0') &&
		brCheck(s, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2}) == int(s[10]-'0')
}

// BRCNPJ checks a Brazilian company number (CNPJ, "16.727.230/0001-97"):
// twelve characters (digits, or from 2026 also upper-case letters), not all
// equal, and two numeric mod-11 check digits.
func BRCNPJ(value string) bool {
	s := compact(value)
	if len(s) != 14 || !isAlnumUpper(s[:12]) || !isDigits(s[12:]) || allSame(s) {
		return false
	}
	return brCheck(s, []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}) == int(s[12]-'0') &&
		brCheck(s, []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}) == int(s[13]-'0')
}

// curpStates are the two-letter birth-place codes of a CURP (NE: born
// abroad).
const curpStates = "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS NE"

// curpAlphabet gives each CURP character its value for the check digit.
const curpAlphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"

// MXCURP checks a Mexican population registry key (CURP): four letters, a
// birth date YYMMDD, sex (H, M, or X), a state code, three consonants, a
// differentiator and the check digit (10 − Σ value·(18−i) mod 10) mod 10.
func MXCURP(value string) bool {
	return mxCURP(value, time.Now())
}

func mxCURP(value string, now time.Time) bool {
	s := compact(value)
	if len(s) != 18 || !isUpper(s[:4]) || !isDigits(s[4:10]) || !isUpper(s[10:16]) ||
		!isAlnumUpper(s[16:17]) || !isDigits(s[17:]) {
		return false
	}
	if strings.IndexByte("HMX", s[10]) < 0 || !strings.Contains(curpStates, s[11:13]) ||
		strings.ContainsAny(s[13:16], "AEIOU") {
		return false
	}
	yy, mm, dd := num(s[4:6]), num(s[6:8]), num(s[8:10])
	if !validDate(1900+yy, mm, dd) && !(validDate(2000+yy, mm, dd) && notFuture(2000+yy, mm, dd, now)) {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(curpAlphabet, s[i]) * (18 - i)
	}
	return (10-sum%10)%10 == int(s[17]-'0')
}
