package validate

// NumberChars describes the values of the named check when they are
// numbers written with separators: every value the check accepts is made of
// ASCII digits, the separators people put inside numbers (those compact
// drops), and a few letters of its own (a country prefix, the "2A" of a
// Corsican NIR), and holds at least min digits. It returns those
// characters; ok is false for a check whose values may hold anything else.
// The engine looks for such a check's values only within runs of these
// characters that hold min digits (TestNumberChars holds each description
// against its check).
func NumberChars(name string) (chars string, min int, ok bool) {
	extra := ""
	switch name {
	case "nl_bsn", "au_tfn":
		min = 8
	case "nz_ird":
		min, extra = 8, "NZnz"
	case "ca_sin", "us_ssn", "us_itin", "aba_routing":
		min = 9
	case "pt_nif":
		min, extra = 9, "PTpt"
	case "uk_nhs", "us_npi", "au_medicare", "at_svnr", "dk_cpr":
		min = 10
	case "br_cpf", "au_abn", "tr_tckimlik", "pl_pesel", "be_nn", "no_fodselsnummer":
		min = 11
	case "de_idnr":
		min, extra = 11, "DEde"
	case "card":
		min = 12
	case "in_aadhaar", "jp_mynumber":
		min = 12
	case "ch_ahv", "kr_rrn", "za_id":
		min = 13
	case "fr_nir":
		min, extra = 14, "ABab"
	case "imei":
		min = 15
	default:
		return "", 0, false
	}
	return "0123456789" + separators + extra, min, true
}

// NumberDigits says how many digits the values of a check of NumberChars
// hold: every value the check accepts holds n ASCII digits, n one of
// lengths, and the check accepts those digits alone, in order, as well (no
// separator or prefix it needs; TestNumberDigits holds each check to it).
// So a run of NumberChars holds a value only if some piece of its digits,
// of one of those lengths, passes the check: the engine tries them before
// it opens a window (a checksum turns down nine pieces in ten). ok is
// false for a check without such a description (the French NIR's "2A"
// lies among its digits).
func NumberDigits(name string) (lengths []int, ok bool) {
	lengths, ok = numberDigits[name]
	return lengths, ok
}

var numberDigits = map[string][]int{
	"au_tfn": {8, 9}, "nz_ird": {8, 9}, "nl_bsn": {8, 9},
	"ca_sin": {9}, "us_ssn": {9}, "us_itin": {9}, "aba_routing": {9}, "pt_nif": {9},
	"uk_nhs": {10}, "us_npi": {10, 15}, "au_medicare": {10, 11}, "at_svnr": {10}, "dk_cpr": {10},
	"br_cpf": {11}, "au_abn": {11}, "tr_tckimlik": {11}, "pl_pesel": {11}, "be_nn": {11},
	"no_fodselsnummer": {11}, "de_idnr": {11},
	"card":       {12, 13, 14, 15, 16, 17, 18, 19},
	"in_aadhaar": {12}, "jp_mynumber": {12},
	"ch_ahv": {13}, "kr_rrn": {13}, "za_id": {13},
	"imei": {15},
}

// separators are the runes isSep accepts.
const separators = " \t-./\u00a0\u202f\u2009\u2010\u2011\u2012\u2013\u2014\u2212"

// IsSeparator reports whether r is one of the separators people put inside
// numbers (spaces, hyphens and dashes, dots, slashes), which the checks of
// numbers drop.
func IsSeparator(r rune) bool { return isSep(r) }
