package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Personal data in the formats people write it. Every value with a public
// check (Luhn, ISO 7064 mod-97, SSA's area/group/serial rules, numbering
// plans) is generated valid, so a scanner that rejects invalid numbers must
// still find all of them.

// Planted kinds: the manifest's "kind" names a family of rules, not one
// rule, since several rules may legitimately report the same value.
const (
	kindEmail      = "email"
	kindPhone      = "phone"
	kindSSN        = "us-ssn"
	kindIBAN       = "iban"
	kindCard       = "credit-card"
	kindAWSKeyID   = "aws-access-key-id"
	kindAWSSecret  = "aws-secret-access-key"
	kindGitHub     = "github-token"
	kindSlack      = "slack-bot-token"
	kindStripe     = "stripe-secret-key"
	kindPrivateKey = "private-key"
	kindPostgres   = "postgres-password"
	kindPassword   = "password"
)

// digitsOf appends n random decimal digits.
func digitsOf(r *rand.Rand, b []byte, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return b
}

// luhnDigit returns the check digit that makes body+digit pass Luhn.
func luhnDigit(body []byte) byte {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-i)%2 == 1 { // doubled: these sit at odd distance from the check digit
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// cardPrefixes are issuer prefixes with the card length they go with.
var cardPrefixes = []struct {
	prefix string
	n      int
}{
	{"4", 16}, {"4", 16}, {"4", 16}, {"51", 16}, {"53", 16}, {"55", 16}, {"2221", 16}, {"2720", 16},
	{"34", 15}, {"37", 15}, {"6011", 16}, {"65", 16}, {"3528", 16}, {"36", 14},
}

// cardNumber returns a Luhn-valid card number of a real issuer range,
// written as people write it: plain, or grouped with spaces or hyphens.
func cardNumber(r *rand.Rand) string {
	p := pick(r, cardPrefixes)
	b := make([]byte, 0, 24)
	b = append(b, p.prefix...)
	b = digitsOf(r, b, p.n-1-len(p.prefix))
	b = append(b, luhnDigit(b))
	switch r.IntN(3) {
	case 0:
		return string(b)
	default:
		sep := " -"[r.IntN(2)]
		var groups []int
		switch p.n {
		case 15:
			groups = []int{4, 6, 5}
		case 14:
			groups = []int{4, 6, 4}
		default:
			groups = []int{4, 4, 4, 4}
		}
		return group(b, groups, sep)
	}
}

func group(b []byte, sizes []int, sep byte) string {
	out := make([]byte, 0, len(b)+len(sizes))
	for i, n := range sizes {
		if i > 0 {
			out = append(out, sep)
		}
		out = append(out, b[:n]...)
		b = b[n:]
	}
	return string(out)
}

// ssn returns a Social Security number the SSA could have issued: area
// 001–899 except 666, group 01–99, serial 0001–9999, and none of the
// numbers known from advertising.
func ssn(r *rand.Rand, sep string) string {
	for {
		area := 1 + r.IntN(899)
		if area == 666 {
			continue
		}
		group, serial := 1+r.IntN(99), 1+r.IntN(9999)
		if area == 78 && group == 5 && serial == 1120 || area == 219 && group == 9 && serial == 9999 ||
			area == 123 && group == 45 && serial == 6789 {
			continue
		}
		b := make([]byte, 0, 11)
		b = pad3(b, area, 3)
		b = append(b, sep...)
		b = pad3(b, group, 2)
		b = append(b, sep...)
		b = pad3(b, serial, 4)
		return string(b)
	}
}

func pad3(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// ibanCountries are BBAN layouts (SWIFT IBAN registry) the generator
// fills: a letters, n digits. Belgium's account carries its own national
// check, computed below.
var ibanCountries = []struct{ cc, layout string }{
	{"DE", "18n"}, {"DE", "18n"}, {"GB", "4a14n"}, {"NL", "4a10n"}, {"AT", "16n"},
	{"CH", "17n"}, {"IE", "4a14n"}, {"BE", "12n"},
}

// iban returns a valid IBAN, electronic form (no spaces) or print form
// (groups of four).
func iban(r *rand.Rand, print bool) string {
	c := pick(r, ibanCountries)
	bban := make([]byte, 0, 30)
	n := 0
	for i := 0; i < len(c.layout); i++ {
		ch := c.layout[i]
		if ch >= '0' && ch <= '9' {
			n = n*10 + int(ch-'0')
			continue
		}
		for j := 0; j < n; j++ {
			if ch == 'a' {
				bban = append(bban, byte('A'+r.IntN(26)))
			} else {
				bban = append(bban, byte('0'+r.IntN(10)))
			}
		}
		n = 0
	}
	if c.cc == "BE" { // last two digits: the first ten mod 97, 97 for 0
		v, _ := strconv.Atoi(string(bban[:10]))
		k := v % 97
		if k == 0 {
			k = 97
		}
		bban = pad3(bban[:10], k, 2)
	}
	check := 98 - mod97(string(bban)+c.cc+"00")
	s := c.cc + string(pad3(nil, check, 2)) + string(bban)
	if !print {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(s[i:min(i+4, len(s))])
	}
	return sb.String()
}

// mod97 is the ISO 7064 MOD 97-10 remainder, letters counting 10–35.
func mod97(s string) int {
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			rem = (rem*100 + int(c-'A') + 10) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return rem
}

// usAreaCodes are geographic NANP area codes in service.
var usAreaCodes = []string{"212", "415", "312", "617", "206", "512", "303", "404", "713", "305",
	"646", "718", "202", "503", "612", "214", "602", "702", "919", "801"}

// phone returns a telephone number in the ranges set aside for fiction and
// documentation (NANP 555-0100…0199, Ofcom's drama numbers), formatted in
// one of the ways they appear in address books and signatures.
func phone(r *rand.Rand) string {
	line := strconv.Itoa(100 + r.IntN(100))
	switch r.IntN(6) {
	case 0:
		return "+1 " + pick(r, usAreaCodes) + "-555-0" + line
	case 1:
		return "(" + pick(r, usAreaCodes) + ") 555-0" + line
	case 2:
		return pick(r, usAreaCodes) + "-555-0" + line
	case 3:
		return "+44 20 7946 0" + line
	case 4:
		return "+44 161 496 0" + line
	default:
		return "+1 " + pick(r, usAreaCodes) + " 555 0" + line
	}
}

// email returns a work or personal address for a person.
func email(r *rand.Rand, p person, domain string) string {
	f, l := asciiLower(p.first), asciiLower(p.last)
	switch r.IntN(5) {
	case 0:
		return f[:1] + l + "@" + domain
	case 1:
		return f + "_" + l + "@" + domain
	case 2:
		return f + "." + l + strconv.Itoa(1+r.IntN(99)) + "@" + pick(r, freeMailDomains)
	default:
		return f + "." + l + "@" + domain
	}
}

// asciiLower folds the accented letters of the name lists to ASCII.
func asciiLower(s string) string {
	var sb strings.Builder
	for _, c := range strings.ToLower(s) {
		switch c {
		case 'á', 'à', 'â', 'ä', 'å':
			sb.WriteByte('a')
		case 'é', 'è', 'ê', 'ë':
			sb.WriteByte('e')
		case 'í', 'ï':
			sb.WriteByte('i')
		case 'ó', 'ö', 'ø', 'ô':
			sb.WriteByte('o')
		case 'ú', 'ü':
			sb.WriteByte('u')
		case 'ñ':
			sb.WriteByte('n')
		case 'ç':
			sb.WriteByte('c')
		case 'ß':
			sb.WriteString("ss")
		case ' ', '\'', '-':
		default:
			if c < 128 {
				sb.WriteRune(c)
			}
		}
	}
	return sb.String()
}
