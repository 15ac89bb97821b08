package validate

import (
	"sort"
	"testing"
)

// FuzzValidators feeds arbitrary input to every registered validator: none
// may panic (index out of range on short or odd input is the usual bug in
// checksum code), and each must give the same answer twice.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{
		"", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "536-90-4399", "131052-308T",
		"253072B07300470", "RSSMRAQRCMNFNLRG", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
		"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"alice@example.com", "[fe80::1]", "00:1A:2B:3C:4D:5E", "March 12, 1984", "+1 650-253-0000",
		"12.ABC.345/01DE-35", "x-2482300w", "bc1", "0x", "IBAN", "\xff\xfe", "1-2-3", "S1234567D",
	} {
		f.Add(s)
	}
	all := All()
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range names {
			first := all[n](s)
			if again := all[n](s); again != first {
				t.Fatalf("%s(%q) is not deterministic", n, s)
			}
		}
	})
}
