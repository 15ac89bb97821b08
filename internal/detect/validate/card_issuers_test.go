package validate

import "testing"

// TestCardOlderIssuerRanges covers the issuer blocks outside the common
// 4/5/3/6 prefixes: 15-digit JCB (2131, 1800), UATP airline cards (1, 15
// digits) and Maestro 0604. The numbers are synthetic, built with a Luhn
// check digit.
func TestCardOlderIssuerRanges(t *testing.T) {
	valid := map[string]string{
		"213194580730210":     "jcb",
		"2131 9458 0730 210":  "jcb",
		"180057368193035":     "jcb",
		"164262129972202":     "uatp",
		"122000000000003":     "uatp",
		"0604033224538323":    "maestro",
		"0604364056224154998": "maestro",
	}
	for n, brand := range valid {
		if !Card(n) {
			t.Errorf("Card(%q) = false, want true (%s)", n, brand)
		}
		if got := cardBrand(compact(n)); got != brand {
			t.Errorf("cardBrand(%q) = %q, want %q", n, got, brand)
		}
	}
	invalid := []string{
		"213194580730211",  // Luhn
		"2131945807302108", // JCB 2131 is 15 digits only (Luhn-valid 16)
		"18005736819300",   // 14 digits (Luhn-valid)
		"164262129972203",  // Luhn
		"1642621299722020", // UATP is 15 digits (Luhn-valid 16)
		"0605033224538322", // 0605 is no issuer (Luhn-valid)
		"0604033224538324", // Luhn
	}
	for _, n := range invalid {
		if Card(n) {
			t.Errorf("Card(%q) = true, want false", n)
		}
	}
}
