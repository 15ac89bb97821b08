package edm

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"

	"github.com/leakguard/leakguard/internal/keyed"
)

// Value classes: the first byte of every hashed message, so that the same
// digits registered as an SSN and as a date never meet.
const (
	classDigits byte = 'd'
	classEmail  byte = 'e'
	classDate   byte = 't'
	classWord   byte = 'w'
)

// deriveSetKey makes the HMAC key of one registered set from the
// installation's keyed hasher and the set's random salt: two sets holding
// the same person give unrelated hashes, and the installation key itself
// is never used directly.
func deriveSetKey(h *keyed.Hasher, salt string) ([]byte, error) {
	k, err := hex.DecodeString(h.Sum([]byte("leakguard/edm/v1/set-key/" + salt)))
	if err != nil || len(k) < 16 {
		return nil, fmt.Errorf("edm: deriving the set key: %v", err)
	}
	return k, nil
}

// keyCheck is stored in the metadata so that opening an index with another
// installation's key fails loudly instead of matching nothing.
func keyCheck(setKey []byte) string {
	m := hmac.New(sha256.New, setKey)
	m.Write([]byte("leakguard/edm/v1/key-check"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// valueHasher computes the keyed hashes of normalised values under one set
// key. It is not safe for concurrent use: every Matcher and Builder owns one.
type valueHasher struct {
	mac    hash.Hash
	out    [sha256.Size]byte
	class  [1]byte
	msg    []byte
	words  wordCache // folded words
	values wordCache // short values with their class byte: digits, dates
}

func newValueHasher(setKey []byte) *valueHasher {
	return &valueHasher{mac: hmac.New(sha256.New, setKey)}
}

// value is the HMAC of class || b, cut to 64 bits. A dump repeats its
// dates and phone numbers, and a value is often hashed twice (as a primary
// value, then near another one), so short values go through a cache.
func (v *valueHasher) value(class byte, b []byte) uint64 {
	v.msg = append(append(v.msg[:0], class), b...)
	e := v.values.slot(v.msg)
	if e != nil && e.n == uint8(len(v.msg)) && string(e.b[:e.n]) == string(v.msg) {
		return e.h
	}
	h := v.hmac(class, b)
	if e != nil {
		e.n = uint8(len(v.msg))
		copy(e.b[:], v.msg)
		e.h = h
	}
	return h
}

func (v *valueHasher) hmac(class byte, b []byte) uint64 {
	v.mac.Reset()
	v.class[0] = class
	v.mac.Write(v.class[:])
	v.mac.Write(b)
	return binary.LittleEndian.Uint64(v.mac.Sum(v.out[:0]))
}

// word hashes one folded word. Text repeats its words (and tables their
// first names), so a small cache in front of the HMAC pays for itself.
func (v *valueHasher) word(w []byte) uint64 {
	e := v.words.slot(w)
	if e != nil && e.n == uint8(len(w)) && string(e.b[:e.n]) == string(w) {
		return e.h
	}
	h := v.hmac(classWord, w)
	if e != nil {
		e.n = uint8(len(w))
		copy(e.b[:], w)
		e.h = h
	}
	return h
}

// wordsKey combines the hashes of n words into the key of the phrase. The
// sum ignores word order, so "Smith, John" matches "John Smith"; every
// term is an HMAC, so the sum is as keyed as its terms.
func wordsKey(sum uint64, n int) uint64 {
	return mix64(sum + uint64(n)*0x9e3779b97f4a7c15)
}

// mix64 is the splitmix64 finaliser, a bijection that spreads the sum.
func mix64(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	z ^= z >> 31
	return z
}

// fp32 is the per-cell fingerprint kept in the row table; 0 means "no value".
func fp32(key uint64) uint32 {
	if f := uint32(key); f != 0 {
		return f
	}
	return 1
}

// wordCache is a direct-mapped cache of word hashes, local to one hasher.
type wordCache struct{ ent [wordCacheSize]wordEntry }

const wordCacheSize = 4096

type wordEntry struct {
	n uint8
	b [23]byte
	h uint64
}

func (c *wordCache) slot(w []byte) *wordEntry {
	if len(w) > len(c.ent[0].b) {
		return nil
	}
	h := uint32(2166136261)
	for _, b := range w {
		h = (h ^ uint32(b)) * 16777619
	}
	return &c.ent[h&(wordCacheSize-1)]
}
