package validate

import (
	"crypto/rand"
	"crypto/sha3"
	"encoding/hex"
	"testing"
)

func TestFinanceTables(t *testing.T) {
	runTables(t, map[string]cases{
		"card": {
			valid: []string{
				"4111111111111111", "4111-1111-1111-1111", "4111 1111 1111 1111", "4111.1111.1111.1111", "4012888888881881", // Visa
				"5555555555554444", "2223000048400011", // Mastercard, incl. the 2-series
				"378282246310005", "3530111333300000", "6011111111111117", // Amex, JCB, Discover
				"30569309025904", "6212345678901232", "6759649826438453", // Diners, UnionPay, Maestro
			},
			invalid: []string{
				"4111111111111112",    // Luhn
				"1234567812345670",    // Luhn holds, no issuer starts with 1
				"5555555555554",       // Mastercard is 16 digits
				"37828224631000",      // Amex is 15
				"2721000000000004",    // past the 2-series range
				"4111-1111-1111-111a", // letters
				"4111111111111111111111",
			},
		},
		"iban": {
			valid: []string{
				"GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32", "gb82 west 1234 5698 7654 32",
				"DE89370400440532013000", "IBAN: FR14 2004 1010 0505 0001 3M02 606", "NO9386011117947",
				"CH93-0076-2011-6238-5295-7", "BE68539007547034",
			},
			invalid: []string{
				"GB82WEST12345698765433",      // mod 97
				"GB82WEST1234569876543",       // length
				"DE89370400440532013000123",   // length
				"XX82WEST12345698765432",      // no such country
				"NL56 3003 0A17 1643 00",      // mod 97 holds but NL accounts are digits
				"GB00WEST12345698765432",      // check digits 00 never issued
				"GB82WEST12345698765432!!!!!", // junk
			},
		},
		"bic": {
			valid:   []string{"DEUTDEFF", "DEUTDEFF500", "ABNA BE 2A", "NLPRXKPR", "BOFAUS3NXXX"},
			invalid: []string{"DEUTXXFF", "AGRIFRPP8", "deutdeff", "DEUTDEFFXYZ", "DEU1DEFF", "DEUTDE"},
		},
		"aba_routing": {
			valid:   []string{"111000025", "021000021", "011000015", "0210-0002-1"},
			invalid: []string{"111000026", "131000025", "000000000", "02100002", "0210000211"},
		},
	})
}

func TestCryptoAddressTables(t *testing.T) {
	runTables(t, map[string]cases{
		"btc_address": {
			valid: []string{
				"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
				"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
				"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", // taproot, bech32m
				"BC1SW50QGDZ25J", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
			},
			invalid: []string{
				"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",         // checksum
				"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN",          // short
				"0BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",         // not base58
				"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", // v0 with a bech32m checksum
				"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",       // v0 program of 16 bytes
				"bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",      // non-zero padding
				"bc1gmk9yu",                                  // empty data
				"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", // checksum
				"bc1qw508d6qejxtdg4y5r3zarvary0c5xW7kv8f3t4", // mixed case
				"tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", // testnet
				"BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", // invalid witness version
				"bc1rw5uspcuh", // program too short
			},
		},
		"eth_address": {
			valid: []string{
				// EIP-55's own examples, plus single-case forms that carry no checksum.
				"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
				"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
				"0x52908400098527886E0F7030069857D2E4169EE7", "0xde709f2102306220921060314715629080e2fb77",
			},
			invalid: []string{
				"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", // one letter's case flipped
				"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
				"0x0000000000000000000000000000000000000000",
				"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
				"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",
				"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00",
			},
		},
	})
}

func TestKeccak256Vectors(t *testing.T) {
	for in, want := range map[string]string{
		"":    "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
		"abc": "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
		"The quick brown fox jumps over the lazy dog": "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
	} {
		got := keccak256([]byte(in))
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("keccak256(%q) = %x, want %s", in, got, want)
		}
	}
}

// TestSpongeMatchesSHA3 checks the permutation and sponge against the
// standard library's SHA3-256, which shares both and differs from Keccak
// only in the padding byte, across block boundaries.
func TestSpongeMatchesSHA3(t *testing.T) {
	for _, n := range []int{0, 1, 55, 135, 136, 137, 271, 272, 273, 1000} {
		msg := make([]byte, n)
		if _, err := rand.Read(msg); err != nil {
			t.Fatal(err)
		}
		if got, want := sponge256(msg, 0x06), sha3.Sum256(msg); got != want {
			t.Errorf("len %d: sponge %x, sha3 %x", n, got, want)
		}
	}
}

// TestIBANWithin holds IBANWithin to IBAN itself: on texts of valid and
// broken IBANs written in several ways among other words, it must say yes
// exactly when some piece of the text passes IBAN.
func TestIBANWithin(t *testing.T) {
	ibans := []string{"DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "fr76-3000-6000-0112-3456-7890-189", "NL91ABNA0417164300", "DE89370400440532013001", "BA391290079401028494"}
	arounds := []string{"", " ", "IBAN: ", "x", "ref db807993d91c7355 ", "(", "—", "é"}
	tails := []string{"", " ", ")", "x", "7", " trace_id=af496f1134afae3d"}
	yes := 0
	for _, iban := range ibans {
		for _, a := range arounds {
			for _, tl := range tails {
				text := a + iban + tl
				want := false
				for i := 0; i < len(text) && !want; i++ {
					for j := i + 1; j <= len(text); j++ {
						if IBAN(text[i:j]) {
							want = true
							break
						}
					}
				}
				if got := IBANWithin([]byte(text)); got != want {
					t.Errorf("IBANWithin(%q) = %v, a piece passes IBAN: %v", text, got, want)
				}
				if want {
					yes++
				}
			}
		}
	}
	if yes == 0 {
		t.Fatal("no text held an IBAN: the test tests nothing")
	}
	for _, s := range []string{"req=db807993d91c7355", "trace_id=ba86b7436035d7d48f45d94f78031d50", "DE89 3704 0044 0532 0130 01"} {
		if IBANWithin([]byte(s)) {
			t.Errorf("IBANWithin(%q) = true", s)
		}
	}
}
