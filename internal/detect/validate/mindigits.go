package validate

// MinDigits returns how many ASCII digits a value must hold for the named
// check to accept it, or 0 when the check sets no such floor. The engine
// uses it to turn down a match before it extracts the value: a value lies
// within its match, so a match with fewer digits than the floor has no
// value the check could accept (TestMinDigits holds every floor against
// its check).
func MinDigits(name string) int {
	switch name {
	case "phone":
		return 7
	case "card":
		return 12
	case "nl_bsn", "au_tfn", "nz_ird":
		return 8
	case "us_ssn", "us_itin", "aba_routing", "ca_sin":
		return 9
	case "uk_nhs", "us_npi", "au_medicare", "at_svnr":
		return 10
	case "au_abn", "br_cpf", "tr_tckimlik":
		return 11
	case "in_aadhaar", "jp_mynumber":
		return 12
	case "ch_ahv":
		return 13
	case "imei":
		return 15
	}
	return 0
}
