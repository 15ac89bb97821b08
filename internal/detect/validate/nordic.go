package validate

import (
	"strings"
	"time"
)

// SEPersonnummer checks a Swedish personal identity number: YYMMDD-NNNC,
// YYMMDD+NNNC (the + marks someone 100 or older), or with a four-digit year;
// the day may carry +60 (coordination number); Luhn over the ten digits
// YYMMDDNNNC.
func SEPersonnummer(value string) bool {
	return sePersonnummer(value, time.Now())
}

func sePersonnummer(value string, now time.Time) bool {
	plus := strings.Count(value, "+")
	if plus > 1 {
		return false
	}
	s := compact(strings.Replace(value, "+", "", 1))
	if !isDigits(s) {
		return false
	}
	var centuries []int
	switch len(s) {
	case 12:
		c := num(s[:2])
		if plus == 1 || c < 18 || c > 20 {
			return false
		}
		centuries = []int{c * 100}
		s = s[2:]
	case 10:
		centuries = []int{1900, 2000}
		if plus == 1 {
			centuries = []int{1800, 1900}
		}
	default:
		return false
	}
	yy, mm, dd := num(s[:2]), num(s[2:4]), num(s[4:6])
	if dd > 60 {
		dd -= 60
	}
	dateOK := false
	for _, c := range centuries {
		if validDate(c+yy, mm, dd) && notFuture(c+yy, mm, dd, now) {
			dateOK = true
		}
	}
	return dateOK && luhnString(s)
}

// hetuCheck maps n mod 31 to the Finnish identity code check character.
const hetuCheck = "0123456789ABCDEFHJKLMNPRSTUVWXY"

// FIHETU checks a Finnish personal identity code: DDMMYY, a century sign
// (+ for the 1800s; - or Y X W V U for the 1900s; A–F for the 2000s), an
// individual number 002–999 and the check character for DDMMYYNNN mod 31.
// The birth date must be real and not in the future.
func FIHETU(value string) bool {
	return fiHETU(value, time.Now())
}

func fiHETU(value string, now time.Time) bool {
	s := strings.ToUpper(strings.TrimSpace(value))
	if len(s) != 11 || !isDigits(s[:6]) || !isDigits(s[7:10]) {
		return false
	}
	var century int
	switch {
	case s[6] == '+':
		century = 1800
	case strings.IndexByte("-YXWVU", s[6]) >= 0:
		century = 1900
	case strings.IndexByte("ABCDEF", s[6]) >= 0:
		century = 2000
	default:
		return false
	}
	y, m, d := century+num(s[4:6]), num(s[2:4]), num(s[:2])
	if !validDate(y, m, d) || !notFuture(y, m, d, now) || num(s[7:10]) < 2 {
		return false
	}
	return hetuCheck[num(s[:6]+s[7:10])%31] == s[10]
}

// DKCPR checks a Danish CPR number: DDMMYY-SSSS with a real birth date, the
// century read from the seventh digit, and no birth date in the future. The
// old mod-11 check is not applied: numbers issued since 2007 need not pass it.
func DKCPR(value string) bool {
	return dkCPR(value, time.Now())
}

func dkCPR(value string, now time.Time) bool {
	s := digitsOnly(value, 10)
	if s == "" {
		return false
	}
	dd, mm, yy := num(s[:2]), num(s[2:4]), num(s[4:6])
	seventh := s[6]
	var y int
	switch {
	case seventh <= '3':
		y = 1900 + yy
	case seventh == '4' || seventh == '9':
		y = 1900 + yy
		if yy <= 36 {
			y = 2000 + yy
		}
	default: // 5–8
		y = 1800 + yy
		if yy <= 57 {
			y = 2000 + yy
		}
	}
	return validDate(y, mm, dd) && notFuture(y, mm, dd, now)
}

// NOFodselsnummer checks a Norwegian national identity number: DDMMYY, an
// individual number whose range gives the century, and two mod-11 check
// digits. D-numbers (day+40), H-numbers (month+40) and FH-numbers (first
// digit 8 or 9, no birth date) are accepted.
func NOFodselsnummer(value string) bool {
	return noFodselsnummer(value, time.Now())
}

func noFodselsnummer(value string, now time.Time) bool {
	s := digitsOnly(value, 11)
	if s == "" {
		return false
	}
	k1 := 11 - weightedSum(s, []int{3, 7, 6, 1, 8, 9, 4, 5, 2})%11
	if k1 == 11 {
		k1 = 0
	}
	k2 := 11 - weightedSum(s, []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})%11
	if k2 == 11 {
		k2 = 0
	}
	if k1 == 10 || k2 == 10 || k1 != int(s[9]-'0') || k2 != int(s[10]-'0') {
		return false
	}
	if s[0] == '8' || s[0] == '9' {
		return true // FH-number: no birth date inside
	}
	dd, mm, yy, ind := num(s[:2]), num(s[2:4]), num(s[4:6]), num(s[6:9])
	if dd > 40 {
		dd -= 40
	}
	if mm > 40 {
		mm -= 40
	}
	var y int
	switch {
	case ind <= 499:
		y = 1900 + yy
	case ind <= 749 && yy >= 54:
		y = 1800 + yy
	case yy <= 39:
		y = 2000 + yy
	case ind >= 900:
		y = 1900 + yy
	default:
		return false
	}
	return validDate(y, mm, dd) && notFuture(y, mm, dd, now)
}
