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

// separators are the runes isSep accepts.
const separators = " \t-./\u00a0\u202f\u2009\u2010\u2011\u2012\u2013\u2014\u2212"

// IsSeparator reports whether r is one of the separators people put inside
// numbers (spaces, hyphens and dashes, dots, slashes), which the checks of
// numbers drop.
func IsSeparator(r rune) bool { return isSep(r) }
