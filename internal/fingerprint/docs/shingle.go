package docs

import "math/bits"

// shingle is K consecutive words of a text: the hash of their normalised
// forms, its index (the number of the first word), and the bytes it spans.
type shingle struct {
	hash       uint64
	index      int64
	start, end int64
}

// shingler turns a stream of word hashes into shingle hashes. It keeps the
// last K words in a ring, so its state is fixed whatever the text length.
type shingler struct {
	k      int
	seed   uint64
	hashes [maxK]uint64
	starts [maxK]int64
	words  int64 // words seen
	next   int   // ring slot of the next word, words mod k
	emit   func(shingle)
}

func (s *shingler) reset() { s.words, s.next = 0, 0 }

// word adds the next word, emitting a shingle once K words are in hand.
func (s *shingler) word(start, end int64, h uint64) {
	s.hashes[s.next], s.starts[s.next] = h, start
	s.words++
	if s.next++; s.next == s.k {
		s.next = 0
	}
	if s.words < int64(s.k) {
		return
	}
	// The oldest word of the ring is the shingle's first. Word hashes are
	// keyed pseudo-random values, so an order-sensitive multiply-rotate
	// chain and a final avalanche make a well-spread shingle hash without
	// a second pass of SipHash.
	first := s.next
	x := s.seed
	for _, h := range s.hashes[first:s.k] {
		x = bits.RotateLeft64((x^h)*0x9e3779b97f4a7c15, 29)
	}
	for _, h := range s.hashes[:first] {
		x = bits.RotateLeft64((x^h)*0x9e3779b97f4a7c15, 29)
	}
	x = mix64(x)
	if x == 0 {
		x = 1 // 0 marks an empty slot in the index's table
	}
	s.emit(shingle{hash: x, index: s.words - int64(s.k), start: s.starts[first], end: end})
}

// mix64 is a 64-bit avalanche finaliser (the one of MurmurHash3).
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}
