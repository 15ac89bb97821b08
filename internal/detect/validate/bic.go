package validate

import "strings"

// isoCountries lists the ISO 3166-1 alpha-2 country codes, plus XK
// (Kosovo), which SWIFT and the IBAN registry use.
const isoCountries = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ " +
	"OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"

// isCountry reports whether cc is an assigned two-letter country code.
func isCountry(cc string) bool {
	return len(cc) == 2 && isUpper(cc) && strings.Contains(isoCountries, cc)
}

// BIC checks a SWIFT/BIC code: four letters for the institution, an ISO
// country code, two letters or digits for the location and optionally three
// for the branch (where a leading X is only allowed in "XXX"). Spaces
// between the parts are allowed; letters must be upper-case, as BICs are
// always written, so that ordinary words are not taken for codes.
func BIC(value string) bool {
	s := strings.ReplaceAll(strings.TrimSpace(value), " ", "")
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	if !isUpper(s[:4]) || !isCountry(s[4:6]) || !isAlnumUpper(s[6:]) {
		return false
	}
	if len(s) == 11 && s[8] == 'X' && s[8:] != "XXX" {
		return false
	}
	return true
}
