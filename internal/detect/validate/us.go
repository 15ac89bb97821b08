package validate

// USSSN checks a US Social Security Number (AAA-GG-SSSS, separators
// optional): area not 000, 666 or 900–999, group not 00, serial not 0000,
// and not one of the numbers printed in advertising and documentation.
func USSSN(value string) bool {
	s := digitsOnly(value, 9)
	if s == "" {
		return false
	}
	area, group, serial := num(s[:3]), num(s[3:5]), num(s[5:])
	if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
		return false
	}
	switch s {
	case "078051120", // the Woolworth wallet-insert number
		"219099999", // printed in a 1938 SSA pamphlet
		"123456789", "111111111", "333333333", "555555555", "777777777", "888888888":
		return false
	}
	return true
}

// USITIN checks an Individual Taxpayer Identification Number: nine digits
// starting with 9 whose fourth and fifth digits fall in the IRS ranges
// 50–65, 70–88, 90–92 or 94–99.
func USITIN(value string) bool {
	s := digitsOnly(value, 9)
	if s == "" || s[0] != '9' {
		return false
	}
	g := num(s[3:5])
	return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94
}

// USEIN checks an Employer Identification Number: NN-NNNNNNN (or nine
// digits), with a two-digit prefix the IRS has assigned to a campus.
func USEIN(value string) bool {
	c := compact(value)
	if !isDigits(c) || len(c) != 9 {
		return false
	}
	// A separator, if any, sits after the prefix: "123-45-6789" is SSN-shaped.
	seps := 0
	for i, r := range []rune(value) {
		if isSep(r) {
			seps++
			if i != 2 {
				return false
			}
		}
	}
	if seps > 1 {
		return false
	}
	switch num(c[:2]) {
	case 0, 7, 8, 9, 17, 18, 19, 28, 29, 49, 69, 70, 78, 79, 89, 96, 97:
		return false
	}
	return true
}

// ABARouting checks an ABA routing transit number: nine digits, a Federal
// Reserve prefix (00–12, 21–32, 61–72, 80) and the 3-7-1 weighted check.
func ABARouting(value string) bool {
	s := digitsOnly(value, 9)
	if s == "" {
		return false
	}
	p := num(s[:2])
	if !(p <= 12 || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80) || s == "000000000" {
		return false
	}
	return weightedSum(s, []int{3, 7, 1, 3, 7, 1, 3, 7, 1})%10 == 0
}

// USNPI checks a National Provider Identifier: ten digits starting with 1
// or 2 whose Luhn check holds once the card-issuer prefix 80840 is put
// before them.
func USNPI(value string) bool {
	s := digitsOnly(value, 10, 15)
	if len(s) == 15 {
		if s[:5] != "80840" {
			return false
		}
		s = s[5:]
	}
	if s == "" || (s[0] != '1' && s[0] != '2') {
		return false
	}
	return Luhn("80840" + s)
}

// USDEA checks a DEA registration number: two letters (registrant type,
// then the initial of the registrant's last name or 9) and seven digits whose
// last is (d1+d3+d5 + 2·(d2+d4+d6)) mod 10.
func USDEA(value string) bool {
	s := compact(value)
	if len(s) != 9 || !isDigits(s[2:]) {
		return false
	}
	switch s[0] {
	case 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'P', 'R', 'S', 'T', 'U', 'X':
	default:
		return false
	}
	if !(s[1] >= 'A' && s[1] <= 'Z') && s[1] != '9' {
		return false
	}
	d := s[2:]
	sum := weightedSum(d, []int{1, 2, 1, 2, 1, 2})
	return sum%10 == int(d[6]-'0')
}
