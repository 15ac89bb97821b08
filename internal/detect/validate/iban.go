package validate

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// ibanFormats gives, per country, the BBAN layout after the four leading
// characters as runs of n (digits), a (upper-case letters) and c (letters or
// digits), from the SWIFT IBAN registry. IBAN-like formats that banks in
// several African countries print but SWIFT does not list are kept as plain
// alphanumeric runs; countries whose format changed when they joined the
// registry accept both.
const ibanFormats = "" +
	"AD:8n12c AE:19n AL:8n16c AO:21c AT:16n AX:14n AZ:4a20c BA:16n BE:12n BF:23c BF:24c BG:4a6n8c " +
	"BH:4a14c BI:12c BI:23n BJ:24c BL:10n11c2n BR:23n1a1c BY:4c4n16c CF:23c CG:23n CH:5n12c CI:24c " +
	"CM:23c CR:18n CV:21c CY:8n16c CZ:20n DE:18n DJ:23n DK:14n DO:4c20n DZ:20c DZ:22n EE:16n " +
	"EG:25n ES:20n FI:14n FK:2a12n FO:14n FR:10n11c2n GA:23c GB:4a14n GE:2a16n GF:10n11c2n GI:4a15c " +
	"GL:14n GP:10n11c2n GQ:23c GR:7n16c GT:24c GW:21c HN:4a20n HR:17n HU:24n IE:4a14n IL:19n " +
	"IQ:4a15n IR:22c IS:22n IT:1a10n12c JO:4a4n18c KM:23c KW:4a22c KZ:3n13c LB:4n20c LC:4a24c " +
	"LI:5n12c LT:16n LU:3n13c LV:4a13c LY:21n MA:24c MC:10n11c2n MD:20c ME:18n MF:10n11c2n MG:23c " +
	"MK:3n10c2n ML:24c MN:16n MQ:10n11c2n MR:23n MT:4a5n18c MU:4a19n3a MZ:21c NC:10n11c2n NE:24c " +
	"NI:28c NI:4a20n NL:4a10n NO:11n OM:3n16c PF:10n11c2n PK:4a16c PL:24n PM:10n11c2n PS:4a21c " +
	"PT:21n QA:4a4n17c RE:10n11c2n RO:4a16c RS:18n RU:14n15c SA:2n18c SC:4a20n3a SD:14n SE:20n " +
	"SI:15n SK:20n SM:1a10n12c SN:24c SO:19n ST:21n SV:4a20n TD:23c TF:10n11c2n TG:24c TL:19n TN:20n " +
	"TR:6n16c UA:6n19c VA:18n VG:4a16n WF:10n11c2n XK:16n YE:4a4n18c YT:10n11c2n"

// bbanMatches reports whether bban fits the layout spec ("4a14n").
func bbanMatches(bban, spec string) bool {
	pos, n := 0, 0
	for i := 0; i < len(spec); i++ {
		c := spec[i]
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
			continue
		}
		if pos+n > len(bban) {
			return false
		}
		for j := pos; j < pos+n; j++ {
			b := bban[j]
			digit, letter := b >= '0' && b <= '9', b >= 'A' && b <= 'Z'
			if (c == 'n' && !digit) || (c == 'a' && !letter) || (c == 'c' && !digit && !letter) {
				return false
			}
		}
		pos, n = pos+n, 0
	}
	return pos == len(bban)
}

// ibanFormatOK reports whether the BBAN fits one of country cc's layouts.
func ibanFormatOK(cc, bban string) bool {
	if len(cc) != 2 || !isUpper(cc) {
		return false
	}
	for _, spec := range ibanLayouts()[int(cc[0]-'A')*26+int(cc[1]-'A')] {
		if bbanMatches(bban, spec) {
			return true
		}
	}
	return false
}

// IBAN checks an International Bank Account Number as written in text:
// an optional "IBAN" label, any grouping with spaces, dots, dashes, slashes,
// colons or parentheses, either case. The country must use IBANs, the
// account part must follow that country's layout, the check digits must be
// 02–98 and the ISO 7064 mod-97 remainder must be 1.
func IBAN(value string) bool {
	s := compact(strings.Map(func(r rune) rune {
		switch r {
		case ':', ';', '(', ')':
			return -1
		}
		return r
	}, value))
	s = stripPrefix(s, "IBAN")
	if len(s) < 15 || len(s) > 34 || !isUpper(s[:2]) || !isDigits(s[2:4]) || !isAlnumUpper(s) {
		return false
	}
	if !ibanFormatOK(s[:2], s[4:]) {
		return false
	}
	if ck := num(s[2:4]); ck < 2 || ck > 98 {
		return false
	}
	return mod97(s[4:]+s[:4]) == 1
}

// mod97 returns the remainder of the number formed by s, with letters
// expanded to 10..35, modulo 97 (ISO 7064 MOD 97-10).
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A') + 10) % 97
		default:
			return -1
		}
	}
	return r
}

// IBANWithin reports whether some part of text is a value IBAN accepts.
// IBAN drops separators (and ':', ';', '(', ')') and upper-cases letters,
// so a value it accepts is, so written, a piece of the same writing of
// text between two other characters; and its length after the country
// code is fixed by the country's layouts. It lets the engine tell a run of
// letters and digits that may hold an IBAN from a hash or an id without
// trying every piece of it.
func IBANWithin(text []byte) bool {
	var store [64]byte
	seg := store[:0] // text so written, up to the next other character
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c >= 'a' && c <= 'z':
			seg = append(seg, c-'a'+'A')
			i++
			continue
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			seg = append(seg, c)
			i++
			continue
		case c == ':' || c == ';' || c == '(' || c == ')':
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		i += size
		if isSep(r) {
			continue
		}
		if ibanIn(seg) {
			return true
		}
		seg = seg[:0]
	}
	return ibanIn(seg)
}

// ibanIn reports whether a piece of seg (upper case, without separators)
// is an IBAN.
func ibanIn(seg []byte) bool {
	layouts := ibanLayouts()
	for k := 0; k+4 <= len(seg); k++ {
		a, b := seg[k], seg[k+1]
		if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || seg[k+2] < '0' || seg[k+2] > '9' || seg[k+3] < '0' || seg[k+3] > '9' {
			continue
		}
		for _, spec := range layouts[int(a-'A')*26+int(b-'A')] {
			// IBAN itself judges a piece of the layout's length.
			if end := k + 4 + bbanLen(spec); end <= len(seg) && IBAN(string(seg[k:end])) {
				return true
			}
		}
	}
	return false
}

// ibanLayouts returns the BBAN layouts of ibanFormats by country, indexed
// by the country code's letters (A-Z, A-Z).
var ibanLayouts = sync.OnceValue(func() *[26 * 26][]string {
	t := new([26 * 26][]string)
	for _, f := range strings.Fields(ibanFormats) {
		i := int(f[0]-'A')*26 + int(f[1]-'A')
		t[i] = append(t[i], f[3:])
	}
	return t
})

// bbanLen returns the length of a BBAN layout spec ("4a14n" is 18).
func bbanLen(spec string) int {
	total, n := 0, 0
	for i := 0; i < len(spec); i++ {
		if c := spec[i]; c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		} else {
			total, n = total+n, 0
		}
	}
	return total
}

// IBANChars is every character IBAN reads in a value: ASCII letters and
// digits, separators, and ':', ';', '(' and ')'.
const IBANChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:;()" + separators
