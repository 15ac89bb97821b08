package keyed

import "testing"

func BenchmarkSum(b *testing.B) {
	h := New([]byte("0123456789abcdef0123456789abcdef"))
	v := []byte("AKIAIOSFODNN7EXAMPLE")
	for range b.N {
		h.Sum(v)
	}
}
