package validate

import "strings"

// dniLetters maps n mod 23 to the Spanish DNI/NIE control letter.
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// ESDNI checks a Spanish national identity number: eight digits and the
// control letter for n mod 23 ("54362315-K").
func ESDNI(value string) bool {
	s := stripPrefix(compact(value), "ES")
	return len(s) == 9 && isDigits(s[:8]) && dniLetters[num(s[:8])%23] == s[8]
}

// ESNIE checks a Spanish foreigner identity number: X, Y or Z (read as 0, 1,
// 2), seven digits and the DNI control letter.
func ESNIE(value string) bool {
	s := stripPrefix(compact(value), "ES")
	if len(s) != 9 || !isDigits(s[1:8]) {
		return false
	}
	lead := strings.IndexByte("XYZ", s[0])
	if lead < 0 {
		return false
	}
	return dniLetters[(lead*10000000+num(s[1:8]))%23] == s[8]
}

// cfMonths are the month letters of the Italian fiscal code, January first.
const cfMonths = "ABCDEHLMPRST"

// cfOmocodia are the letters that replace digits 0–9 when two people would
// otherwise share a fiscal code.
const cfOmocodia = "LMNPQRSTUV"

// ITCodiceFiscale checks an Italian fiscal code for persons: three surname
// and three name letters, year, month letter, day (+40 for women), place
// code, and the check letter; digits may be replaced by the omocodia letters.
func ITCodiceFiscale(value string) bool {
	s := compact(value)
	if len(s) != 16 || !isUpper(s[:6]) || !isAlnumUpper(s) {
		return false
	}
	// Undo omocodia at the seven digit positions.
	b := []byte(s)
	for _, i := range []int{6, 7, 9, 10, 12, 13, 14} {
		c := b[i]
		if c >= '0' && c <= '9' {
			continue
		}
		k := strings.IndexByte(cfOmocodia, c)
		if k < 0 {
			return false
		}
		b[i] = byte('0' + k)
	}
	if !isUpper(string(b[8:9])) || !isUpper(string(b[11:12])) || !isUpper(string(b[15:])) {
		return false
	}
	m := strings.IndexByte(cfMonths, b[8]) + 1
	d := num(string(b[9:11]))
	if d > 40 {
		d -= 40
	}
	y := num(string(b[6:8]))
	if m == 0 || (!validDate(1900+y, m, d) && !validDate(2000+y, m, d)) {
		return false
	}
	// The check letter is computed over the code as written, omocodia
	// letters included.
	odd := [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		v := int(c - 'A')
		if c <= '9' {
			v = int(c - '0')
		}
		if i%2 == 0 {
			v = odd[v]
		}
		sum += v
	}
	return byte('A'+sum%26) == s[15]
}

// PTNIF checks a Portuguese tax number (NIF/NIPC): nine digits (an optional
// "PT" before them), a first digit used for persons or companies, and the
// mod-11 check digit with weights 9..2 where 10 and 11 become 0.
func PTNIF(value string) bool {
	s := digitsOnly(stripPrefix(compact(value), "PT"), 9)
	if s == "" {
		return false
	}
	if !strings.ContainsRune("1235678", rune(s[0])) && s[:2] != "45" && s[:1] != "9" {
		return false
	}
	c := 11 - weightedSum(s, []int{9, 8, 7, 6, 5, 4, 3, 2})%11
	if c >= 10 {
		c = 0
	}
	return c == int(s[8]-'0')
}
