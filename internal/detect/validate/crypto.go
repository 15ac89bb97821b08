package validate

import (
	"bytes"
	"crypto/sha256"
	"strings"
)

// base58Alphabet is Bitcoin's: no 0, O, I or l.
const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// bech32Charset maps 5-bit values to bech32 characters.
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// BTCAddress checks a Bitcoin mainnet address: Base58Check P2PKH ("1…",
// version 0x00) or P2SH ("3…", version 0x05) with its double-SHA-256
// checksum, or a bech32/bech32m segwit address ("bc1…") with its checksum
// and a well-formed witness program.
func BTCAddress(value string) bool {
	if len(value) > 3 && strings.EqualFold(value[:3], "bc1") {
		return segwitAddress(value)
	}
	return base58Address(value)
}

func base58Address(s string) bool {
	if len(s) < 26 || len(s) > 35 {
		return false
	}
	var b [25]byte
	for i := 0; i < len(s); i++ {
		carry := strings.IndexByte(base58Alphabet, s[i])
		if carry < 0 {
			return false
		}
		for j := len(b) - 1; j >= 0; j-- {
			carry += 58 * int(b[j])
			b[j] = byte(carry)
			carry >>= 8
		}
		if carry != 0 {
			return false // more than 25 bytes
		}
	}
	// Each leading '1' stands for exactly one leading zero byte.
	ones, zeros := 0, 0
	for ones < len(s) && s[ones] == '1' {
		ones++
	}
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	if ones != zeros || (b[0] != 0x00 && b[0] != 0x05) {
		return false
	}
	h := sha256.Sum256(b[:21])
	h = sha256.Sum256(h[:])
	return bytes.Equal(h[:4], b[21:])
}

// bech32Polymod is the BCH checksum of BIP 173.
func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

func segwitAddress(value string) bool {
	if len(value) < 14 || len(value) > 90 {
		return false
	}
	lower := strings.ToLower(value)
	if value != lower && value != strings.ToUpper(value) {
		return false // mixed case is not allowed
	}
	sep := strings.LastIndexByte(lower, '1')
	if lower[:sep] != "bc" || len(lower)-sep-1 < 7 {
		return false
	}
	values := []byte{3, 3, 0, 2, 3} // expanded human-readable part "bc"
	for i := sep + 1; i < len(lower); i++ {
		v := strings.IndexByte(bech32Charset, lower[i])
		if v < 0 {
			return false
		}
		values = append(values, byte(v))
	}
	data := values[5 : len(values)-6]
	version := data[0]
	if version > 16 {
		return false
	}
	switch bech32Polymod(values) {
	case 1: // bech32: version 0, and older encoders of versions 1–16 (pre BIP 350)
	case 0x2bc830a3: // bech32m: versions 1–16 only
		if version == 0 {
			return false
		}
	default:
		return false
	}
	// Regroup the 5-bit program into bytes; padding must be zero and short.
	acc, nbits, n := 0, 0, 0
	for _, v := range data[1:] {
		acc = (acc<<5 | int(v)) & 0xfff
		nbits += 5
		if nbits >= 8 {
			nbits -= 8
			n++
		}
	}
	if nbits >= 5 || acc&(1<<nbits-1) != 0 {
		return false
	}
	if n < 2 || n > 40 {
		return false
	}
	return version != 0 || n == 20 || n == 32
}

// ETHAddress checks an Ethereum address: "0x" and forty hex digits, not the
// zero address; when the letters are mixed-case they must follow the EIP-55
// checksum (upper-case exactly where the Keccak-256 of the lower-case hex
// has a nibble ≥ 8).
func ETHAddress(value string) bool {
	if len(value) != 42 || value[:2] != "0x" {
		return false
	}
	h := value[2:]
	hasUpper, hasLower, nonZero := false, false, false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
			hasLower = true
		case c >= 'A' && c <= 'F':
			hasUpper = true
		default:
			return false
		}
		if c != '0' {
			nonZero = true
		}
	}
	if !nonZero {
		return false
	}
	if !hasUpper || !hasLower {
		return true
	}
	lower := strings.ToLower(h)
	sum := keccak256([]byte(lower))
	for i := 0; i < 40; i++ {
		c := h[i]
		if c <= '9' {
			continue
		}
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0x0f
		}
		if (nibble >= 8) != (c <= 'F') {
			return false
		}
	}
	return true
}
