package validate

import "testing"

// benchValues are inputs of the shapes the PII rules hand to validators in
// office text and code: valid and invalid, with and without separators.
var benchValues = map[string][]string{
	"phone": {"+1 415-555-0134", "+1 200-555-1732", "+44 20 7946 0958", "030 12345678", "1957-10-14",
		"06 12 34 56 78", "1000862", "(555) 123-4567", "12-34-56", "4155550134",
		"4417 2525 8884 3264", "005-13-8792"}, // a card and an SSN in an HR export
	"card":         {"4111 1111 1111 1111", "4111-1111-1111-1112", "5500005555555559", "1234567890123"},
	"iban":         {"DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "FR7630006000011234567890188", "DE89370400440532013001"},
	"us_ssn":       {"123-45-6789", "078-05-1120", "000-12-3456", "123456789"},
	"uk_nhs":       {"943 476 5919", "9434765918", "401 023 2137"},
	"email":        {"anna.smith@example.com", "a@b", "first.last+tag@sub.example.co.uk"},
	"ipv4":         {"10.12.3.44", "256.1.1.1", "192.168.0.1"},
	"date":         {"1984-02-11", "31/02/2001", "12 March 1990"},
	"not_sequence": {"123456789", "4111111111111111", "9434765919"},
}

// BenchmarkValidators measures each validator over its sample values, per
// value.
func BenchmarkValidators(b *testing.B) {
	all := All()
	for _, name := range []string{"phone", "card", "iban", "us_ssn", "uk_nhs", "email", "ipv4", "date", "not_sequence"} {
		fn, vals := all[name], benchValues[name]
		b.Run(name, func(b *testing.B) {
			for i := range b.N {
				fn(vals[i%len(vals)])
			}
		})
	}
}
