package media

import (
	"bytes"
	"testing"
)

// BenchmarkMatch measures matching throughput over a 64 MiB stream, with
// 100 files of 8 MiB registered (about 10,000 chunks), on a stream holding
// none of them and on a copy of registered content:
//
//	go test -run '^$' -bench . -benchtime 10x ./internal/fingerprint/media/
func BenchmarkMatch(b *testing.B) {
	keys := testKeys(b)
	s, err := OpenSet(b.TempDir(), "bench", keys, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	var reg [][]byte
	for i := range 100 {
		d := fakeMedia(uint64(100+i), 8<<20)
		if i < 8 {
			reg = append(reg, d)
		}
		if _, err := s.Add(string(rune('a'+i%26))+string(rune('a'+i/26)), bytes.NewReader(d)); err != nil {
			b.Fatal(err)
		}
	}
	ix, err := NewIndex([]*Set{s}, keys, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d chunks indexed", ix.Stats().Chunks)
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"unrelated", fakeMedia(1, 64<<20)},
		{"registered", bytes.Join(reg, nil)},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := ix.NewMatcher(MatchOptions{})
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if _, err := m.Match(bytes.NewReader(c.data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRegister measures registration (chunking and hashing).
func BenchmarkRegister(b *testing.B) {
	keys := testKeys(b)
	data := fakeMedia(1, 64<<20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s := &Set{keys: keys, params: DefaultParams(), name: "b"}
		if _, err := s.Add("x", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
