package validate

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestMinDigits holds each declared floor against its check: values with
// fewer digits, in every shape the rules' matches take (digits, letters,
// separators, punctuation, a leading '+'), are all rejected; and each check
// accepts some value, so the floor is not vacuous.
func TestMinDigits(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", " ", "-", ".", "/", "(", ")", "+",
		"X", "x", "N", "Z", "A", "\u00a0", "\u2013", ":", "#", "a", "b"}
	all := All()
	for name, fn := range all {
		k := MinDigits(name)
		if k == 0 {
			continue
		}
		for range 20000 {
			var b strings.Builder
			digits := 0
			for range 1 + r.IntN(40) {
				s := alphabet[r.IntN(len(alphabet))]
				if s[0] >= '0' && s[0] <= '9' {
					if digits == k-1 {
						continue
					}
					digits++
				}
				b.WriteString(s)
			}
			// Long runs of digits, as numbers are written.
			if r.IntN(2) == 0 {
				b.Reset()
				for i := 0; i < k-1; i++ {
					b.WriteByte(byte('0' + r.IntN(10)))
					if r.IntN(4) == 0 {
						b.WriteString(alphabet[10+r.IntN(4)])
					}
				}
			}
			if v := b.String(); fn(v) {
				t.Errorf("%s accepts %q with fewer than %d digits", name, v, k)
				break
			}
		}
	}
}
