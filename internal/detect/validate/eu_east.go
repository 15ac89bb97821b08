package validate

import "time"

// PLPESEL checks a Polish PESEL: YYMMDD with the century folded into the
// month (+80 for the 1800s, +20 for the 2000s, +40, +60 beyond), a serial and
// the check digit that makes Σ weights 1,3,7,9,… ≡ 0 (mod 10).
func PLPESEL(value string) bool {
	return plPESEL(value, time.Now())
}

func plPESEL(value string, now time.Time) bool {
	s := digitsOnly(value, 11)
	if s == "" {
		return false
	}
	yy, mm, dd := num(s[:2]), num(s[2:4]), num(s[4:6])
	century := 1900
	switch {
	case mm > 80:
		century, mm = 1800, mm-80
	case mm > 60:
		century, mm = 2200, mm-60
	case mm > 40:
		century, mm = 2100, mm-40
	case mm > 20:
		century, mm = 2000, mm-20
	}
	if !validDate(century+yy, mm, dd) || !notFuture(century+yy, mm, dd, now) {
		return false
	}
	return weightedSum(s, []int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3, 1})%10 == 0
}

// TRTCKimlik checks a Turkish identity number: eleven digits, no leading
// zero, the tenth digit ((odd-position sum)·7 − (even-position sum)) mod 10
// and the eleventh the sum of the first ten mod 10.
func TRTCKimlik(value string) bool {
	s := digitsOnly(value, 11)
	if s == "" || s[0] == '0' {
		return false
	}
	odd := weightedSum(s, []int{1, 0, 1, 0, 1, 0, 1, 0, 1})
	even := weightedSum(s, []int{0, 1, 0, 1, 0, 1, 0, 1, 0})
	d10 := ((odd*7-even)%10 + 10) % 10
	d11 := (odd + even + d10) % 10
	return d10 == int(s[9]-'0') && d11 == int(s[10]-'0')
}

// ZAID checks a South African identity number: YYMMDD, a gender sequence,
// a citizenship digit (0 citizen, 1 permanent resident, 2 refugee), a digit
// that is 8 or 9 on current numbers, and a Luhn check digit.
func ZAID(value string) bool {
	return zaID(value, time.Now())
}

func zaID(value string, now time.Time) bool {
	s := digitsOnly(value, 13)
	if s == "" || s[10] > '2' {
		return false
	}
	yy, mm, dd := num(s[:2]), num(s[2:4]), num(s[4:6])
	ok := false
	for _, c := range []int{1900, 2000} {
		if validDate(c+yy, mm, dd) && notFuture(c+yy, mm, dd, now) {
			ok = true
		}
	}
	return ok && Luhn(s)
}

// ILID checks an Israeli identity number (Teudat Zehut): up to nine digits,
// left-padded with zeros, passing the Luhn-style check with weights 1,2.
func ILID(value string) bool {
	s := compact(value)
	if !isDigits(s) || len(s) < 5 || len(s) > 9 {
		return false
	}
	s = "000000000"[:9-len(s)] + s
	if s == "000000000" {
		return false
	}
	return Luhn(s)
}
