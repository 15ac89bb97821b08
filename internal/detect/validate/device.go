package validate

import "strings"

// IMEI checks a mobile equipment identity: fifteen digits (separators
// allowed) with a Luhn check digit, not all zero.
func IMEI(value string) bool {
	s := digitsOnly(value, 15)
	return s != "" && s != "000000000000000" && Luhn(s)
}

// vinValue transliterates a VIN character for the ISO 3779 / FMVSS 115
// check digit; I, O and Q never occur.
func vinValue(c byte) int {
	if c >= '0' && c <= '9' {
		return int(c - '0')
	}
	return int("12345678_12345_7_923456789"[c-'A'] - '0')
}

// VIN checks a vehicle identification number: seventeen characters of
// 0–9 and A–Z without I, O, Q, the last four numeric (ISO 3779), and for
// North-American VINs (first character 1–5) the check digit at position
// nine ('X' for 10).
func VIN(value string) bool {
	s := strings.TrimSpace(value)
	if len(s) != 17 || !isAlnumUpper(s) || strings.ContainsAny(s, "IOQ") || !isDigits(s[13:]) {
		return false
	}
	if s[0] < '1' || s[0] > '5' {
		return true
	}
	w := []int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += vinValue(s[i]) * w[i]
	}
	want := byte('0' + sum%11)
	if sum%11 == 10 {
		want = 'X'
	}
	return s[8] == want
}
