package docs

import (
	"encoding/binary"
	"testing"
)

// The test vector of the SipHash paper (Appendix A): key 00..0f, message
// 00..0e.
func TestSipHashVector(t *testing.T) {
	var kb [16]byte
	for i := range kb {
		kb[i] = byte(i)
	}
	k := sipKey{binary.LittleEndian.Uint64(kb[:]), binary.LittleEndian.Uint64(kb[8:])}
	m := make([]byte, 15)
	for i := range m {
		m[i] = byte(i)
	}
	if got := k.sum64(m); got != 0xa129ca6149be45e5 {
		t.Fatalf("SipHash-2-4 = %#x, want 0xa129ca6149be45e5", got)
	}
	// Every length from 0 to 15 must differ (the length is in the hash).
	seen := map[uint64]int{}
	for n := 0; n <= 15; n++ {
		h := k.sum64(m[:n])
		if prev, ok := seen[h]; ok {
			t.Fatalf("lengths %d and %d collide", prev, n)
		}
		seen[h] = n
	}
}
