package validate

// cardRange is one issuer's block of the IIN space: numbers whose first
// len(lo) digits lie in [lo, hi] and whose length is in lens.
type cardRange struct {
	brand  string
	lo, hi string
	lens   []int
}

// cardRanges lists the public issuer prefixes of the brands the card check
// knows. Ranges are checked in order; the first prefix match decides the
// allowed lengths, so narrower ranges come before broader ones.
func cardRanges() []cardRange {
	l := func(a, b int) []int {
		var out []int
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
		return out
	}
	return []cardRange{
		{"visa", "4", "4", []int{13, 16, 19}},
		{"mastercard", "51", "55", []int{16}},
		{"mastercard", "2221", "2720", []int{16}},
		{"mir", "2200", "2204", l(16, 19)},
		{"amex", "34", "34", []int{15}},
		{"amex", "37", "37", []int{15}},
		{"diners", "300", "305", l(14, 19)},
		{"diners", "3095", "3095", l(14, 19)},
		{"diners", "36", "36", l(14, 19)},
		{"diners", "38", "39", l(14, 19)},
		{"jcb", "3528", "3589", l(16, 19)},
		{"discover", "6011", "6011", l(16, 19)},
		{"discover", "622126", "622925", l(16, 19)},
		{"discover", "644", "649", l(16, 19)},
		{"discover", "65", "65", l(16, 19)},
		{"unionpay", "62", "62", l(14, 19)},
		{"unionpay", "81", "81", l(16, 19)},
		{"maestro", "50", "50", l(12, 19)},
		{"maestro", "56", "59", l(12, 19)},
		{"maestro", "63", "63", l(12, 19)},
		{"maestro", "67", "67", l(12, 19)},
	}
}

// Card checks a payment card number: 12–19 digits (spaces or hyphens
// between groups allowed), a known issuer prefix with one of that issuer's
// lengths, and the Luhn check digit.
func Card(value string) bool {
	for _, r := range value {
		if !(r >= '0' && r <= '9') && r != ' ' && r != '-' && r != '\u00a0' {
			return false
		}
	}
	s := compact(value)
	if len(s) < 12 || len(s) > 19 || !luhnString(s) {
		return false
	}
	return cardBrand(s) != ""
}

// cardBrand names the issuer whose prefix and length fit the digits s, or
// returns "".
func cardBrand(s string) string {
	for _, r := range cardRanges() {
		n := len(r.lo)
		if len(s) < n || s[:n] < r.lo || s[:n] > r.hi {
			continue
		}
		for _, k := range r.lens {
			if k == len(s) {
				return r.brand
			}
		}
		return ""
	}
	return ""
}
