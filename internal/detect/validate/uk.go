package validate

import "strings"

// UKNINO checks a UK National Insurance number ("QQ 12 34 56 C"): a
// two-letter prefix HMRC can allocate, six digits and a suffix A–D.
func UKNINO(value string) bool {
	s := compact(value)
	if len(s) != 9 || !isUpper(s[:2]) || !isDigits(s[2:8]) {
		return false
	}
	if s[8] < 'A' || s[8] > 'D' {
		return false
	}
	if strings.ContainsRune("DFIQUV", rune(s[0])) || strings.ContainsRune("DFIQUVO", rune(s[1])) {
		return false
	}
	switch s[:2] {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}

// UKNHS checks an NHS number (England, Wales, Isle of Man): ten digits,
// weights 10..2, check digit 11 − (sum mod 11) where 11 means 0 and 10 is
// never issued.
func UKNHS(value string) bool {
	s := digitsOnly(value, 10)
	if s == "" {
		return false
	}
	c := 11 - weightedSum(s, []int{10, 9, 8, 7, 6, 5, 4, 3, 2})%11
	if c == 11 {
		c = 0
	}
	return c != 10 && c == int(s[9]-'0')
}
