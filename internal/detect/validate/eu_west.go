package validate

import "time"

// DEIdNr checks a German tax identification number (Steuer-IdNr): eleven
// digits, no leading zero, among the first ten exactly one digit repeated
// (twice, or since 2016 three times but never three in a row) and the ISO
// 7064 MOD 11,10 check digit.
func DEIdNr(value string) bool {
	s := digitsOnly(stripPrefix(compact(value), "DE"), 11)
	if s == "" || s[0] == '0' {
		return false
	}
	var count [10]int
	for i := 0; i < 10; i++ {
		count[s[i]-'0']++
	}
	repeated := 0
	for _, c := range count {
		switch {
		case c == 2 || c == 3:
			repeated++
		case c > 3:
			return false
		}
	}
	if repeated != 1 {
		return false
	}
	for i := 0; i+2 < 10; i++ {
		if s[i] == s[i+1] && s[i] == s[i+2] {
			return false
		}
	}
	return mod11x10Check(s[:10]) == int(s[10]-'0')
}

// FRNIR checks a French social security number (NIR, "numéro de sécurité
// sociale"): sex, year, month, department (2A/2B for Corsica), commune,
// order number and the key 97 − (number mod 97), Corsica counted as 19/18.
func FRNIR(value string) bool {
	s := compact(value)
	if len(s) != 15 {
		return false
	}
	body := s[:13]
	switch s[5:7] {
	case "2A":
		body = s[:5] + "19" + s[7:13]
	case "2B":
		body = s[:5] + "18" + s[7:13]
	}
	if !isDigits(body) || !isDigits(s[13:]) {
		return false
	}
	switch s[0] {
	case '1', '2', '3', '4', '7', '8':
	default:
		return false
	}
	// Month 01–12; 20 and 30–42 and 50–99 stand for an unknown month.
	if m := num(s[3:5]); m == 0 || (m > 12 && m < 20) || (m > 20 && m < 30) || (m > 42 && m < 50) {
		return false
	}
	r := 0
	for i := 0; i < len(body); i++ {
		r = (r*10 + int(body[i]-'0')) % 97
	}
	return 97-r == num(s[13:])
}

// NLBSN checks a Dutch citizen service number (BSN): nine digits (eight
// when a leading zero was dropped) passing the "11-proof" with weights
// 9..2 and −1.
func NLBSN(value string) bool {
	s := digitsOnly(value, 8, 9)
	if len(s) == 8 {
		s = "0" + s
	}
	if s == "" || s == "000000000" {
		return false
	}
	sum := weightedSum(s, []int{9, 8, 7, 6, 5, 4, 3, 2, -1})
	return sum%11 == 0
}

// BENN checks a Belgian national register number (also the BIS number for
// non-residents): YYMMDD, a serial 001–998 and two check digits
// 97 − (n mod 97), where n gets a leading 2 for people born from 2000.
func BENN(value string) bool {
	return beNN(value, time.Now())
}

func beNN(value string, now time.Time) bool {
	s := digitsOnly(value, 11)
	if s == "" {
		return false
	}
	if serial := num(s[6:9]); serial == 0 || serial == 999 {
		return false
	}
	yy, mm, dd := num(s[:2]), num(s[2:4]), num(s[4:6])
	// BIS numbers add 20 or 40 to the month.
	if mm >= 40 {
		mm -= 40
	} else if mm >= 20 {
		mm -= 20
	}
	check := num(s[9:])
	for _, century := range []int{1900, 2000} {
		n := num(s[:9])
		if century == 2000 {
			n += 2000000000
		}
		if 97-n%97 != check {
			continue
		}
		y := century + yy
		if mm == 0 || dd == 0 {
			// Birth date unknown: month and/or day left at zero.
			if mm <= 12 && dd <= 31 && y <= now.Year() {
				return true
			}
			continue
		}
		if validDate(y, mm, dd) && notFuture(y, mm, dd, now) {
			return true
		}
	}
	return false
}

// CHAHV checks a Swiss social security number (AHV/AVS, "756.1234.5678.97"):
// thirteen digits starting with the country code 756 and an EAN-13 check
// digit.
func CHAHV(value string) bool {
	s := digitsOnly(value, 13)
	return s != "" && s[:3] == "756" && ean13(s)
}

// ean13 checks the GS1 mod-10 check digit (weights 1,3 from the left) of a
// thirteen-digit string.
func ean13(s string) bool {
	sum := weightedSum(s, []int{1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1})
	return sum%10 == 0
}

// ATSVNR checks an Austrian social insurance number: a serial of three
// digits (no leading zero), a check digit, and the birth date DDMMYY; the
// check is (Σ weights 3,7,9,5,8,4,2,1,6) mod 11 and 10 is never issued.
func ATSVNR(value string) bool {
	s := digitsOnly(value, 10)
	if s == "" || s[0] == '0' {
		return false
	}
	dd, mm, yy := num(s[4:6]), num(s[6:8]), num(s[8:10])
	if !validDate(1900+yy, mm, dd) && !validDate(2000+yy, mm, dd) {
		return false
	}
	data := s[:3] + s[4:]
	c := weightedSum(data, []int{3, 7, 9, 5, 8, 4, 2, 1, 6}) % 11
	return c != 10 && c == int(s[3]-'0')
}

// IEPPSN checks an Irish Personal Public Service Number: seven digits, a
// check letter and optionally a second letter (A–I, or W on old numbers);
// the check letter indexes "WABC…V" by the weighted sum mod 23.
func IEPPSN(value string) bool {
	s := stripPrefix(compact(value), "IE")
	if (len(s) != 8 && len(s) != 9) || !isDigits(s[:7]) || !isUpper(s[7:]) {
		return false
	}
	sum := weightedSum(s, []int{8, 7, 6, 5, 4, 3, 2})
	if len(s) == 9 {
		switch c := s[8]; {
		case c == 'W':
		case c >= 'A' && c <= 'I':
			sum += int(c-'A'+1) * 9
		default:
			return false
		}
	}
	return "WABCDEFGHIJKLMNOPQRSTUV"[sum%23] == s[7]
}
