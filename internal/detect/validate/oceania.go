package validate

// AUTFN checks an Australian Tax File Number: nine digits (eight on some
// old numbers) whose weighted sum is divisible by 11.
func AUTFN(value string) bool {
	s := digitsOnly(value, 8, 9)
	switch len(s) {
	case 9:
		return s != "000000000" && weightedSum(s, []int{1, 4, 3, 7, 5, 8, 6, 9, 10})%11 == 0
	case 8:
		return s != "00000000" && weightedSum(s, []int{10, 7, 8, 4, 6, 3, 5, 1})%11 == 0
	}
	return false
}

// AUMedicare checks an Australian Medicare card number: ten digits (an
// eleventh, the individual reference number, may follow), a first digit 2–6,
// a check digit at position nine (weights 1,3,7,9,1,3,7,9 mod 10) and an
// issue number that is not 0.
func AUMedicare(value string) bool {
	s := digitsOnly(value, 10, 11)
	if s == "" || s[0] < '2' || s[0] > '6' || s[9] == '0' {
		return false
	}
	if len(s) == 11 && s[10] == '0' {
		return false
	}
	return weightedSum(s, []int{1, 3, 7, 9, 1, 3, 7, 9})%10 == int(s[8]-'0')
}

// AUABN checks an Australian Business Number: eleven digits; subtract one
// from the first, weight by 10,1,3,5,…,19 and the sum is divisible by 89.
func AUABN(value string) bool {
	s := digitsOnly(value, 11)
	if s == "" || s[0] == '0' {
		return false
	}
	sum := weightedSum(s, []int{10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19}) - 10
	return sum%89 == 0
}

// NZIRD checks a New Zealand IRD number: eight or nine digits (an optional
// "NZ" before them) between 10,000,000 and 150,000,000, with the mod-11
// check digit computed with the primary weights or, when that gives 10, the
// secondary weights.
func NZIRD(value string) bool {
	s := digitsOnly(stripPrefix(compact(value), "NZ"), 8, 9)
	if len(s) == 8 {
		s = "0" + s
	}
	if s == "" {
		return false
	}
	if n := num(s); n <= 10000000 || n >= 150000000 {
		return false
	}
	check := func(w []int) int {
		r := weightedSum(s, w) % 11
		if r == 0 {
			return 0
		}
		return 11 - r
	}
	c := check([]int{3, 2, 7, 6, 5, 4, 3, 2})
	if c == 10 {
		c = check([]int{7, 4, 3, 2, 5, 2, 7, 6})
	}
	return c != 10 && c == int(s[8]-'0')
}
