// Package docs fingerprints confidential documents and finds them again in
// scanned text, after reflowing, reformatting, reordering and light editing.
//
// Text is normalised (Unicode compatibility decomposition as in NFKC, case
// folded, accents folded away, every run of whitespace and punctuation a
// single word break), cut into shingles of K consecutive words, and each
// shingle is hashed to 64 bits with a key derived from the installation key.
// Registration keeps a winnowed selection of those hashes with their
// positions (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms
// for document fingerprinting", SIGMOD 2003): the minimum of every window
// of W consecutive shingle hashes. That guarantees that any passage of at
// least W+K-1 words shared with a registered document contains one of its
// fingerprints, while keeping only about 2/(W+1) of the shingles.
//
// Scanning looks up every shingle of the scanned text, so the share of a
// registered document's fingerprints found (its coverage) does not depend
// on where the scanned excerpt starts. A fingerprint found in d registered
// documents counts 1/d towards each of them, so boilerplate (a salutation,
// a legal footer) shared by many documents never attributes a text to any
// one of them.
//
// The index holds keyed hashes, positions, document paths and version
// numbers, never registered text. A Set is one named group of registered
// documents, persisted as one file; an Index is all sets loaded for
// matching, safe for concurrent use by many Matchers, one per worker.
package docs

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/leakguard/leakguard/internal/keyed"
)

// Params are the shingling parameters. Every set matched together must
// share them, since a text is shingled once for all.
type Params struct {
	// K is the number of words in a shingle. Larger K makes a match more
	// specific but more fragile: a word change breaks K shingles.
	K int
	// W is the winnowing window in shingles. The index keeps about
	// 2/(W+1) of the shingles; a shared passage of W+K-1 words is always
	// detected.
	W int
}

// DefaultParams returns K=5, W=4, chosen by measurement on the State of
// the Union corpus (TestSOTUEval in eval_test.go; 204 speeches registered,
// 29 held back, 300 leaks per kind). With the default thresholds, K=5 W=4
// finds 99.7% of 500-character excerpts with 10% of words changed and 93%
// of 300-character ones, keeps 40% of the shingles (about 9.5 bytes per
// fingerprint on disk), and attributes no held-back speech that does not
// quote a registered one. K=3 and K=4 find slightly more of heavily edited
// excerpts but match more stock phrases, which lengthens posting lists and
// halves scanning speed; K=6 and K=7 lose edited excerpts (a changed word
// breaks K shingles); W=6 and W=8 shrink the index by 28% and 44% but find
// fewer short edited excerpts (300 characters, 10% edits: 75% and 53% at the
// same threshold, 92% and 84% even at a threshold of 4).
func DefaultParams() Params { return Params{K: 5, W: 4} }

// Limits on Params: a shingle is hashed from a ring of K words, and the
// winnowing window is a small deque.
const (
	maxK = 16
	maxW = 64
)

func (p Params) validate() error {
	if p.K < 1 || p.K > maxK {
		return fmt.Errorf("docs: shingle size K=%d out of range 1..%d", p.K, maxK)
	}
	if p.W < 1 || p.W > maxW {
		return fmt.Errorf("docs: window W=%d out of range 1..%d", p.W, maxW)
	}
	return nil
}

// Keys are the hashing keys of one installation, derived from its key.
type Keys struct {
	word  sipKey // hashes a normalised word
	seed  uint64 // starts the combination of K word hashes into a shingle hash
	check uint64 // stored in every set file to detect a set made with another key
}

// Derivation labels: a change of label is a change of every hash.
const (
	labelWord  = "leakguard/fingerprint/docs/v1/word-key"
	labelSeed  = "leakguard/fingerprint/docs/v1/shingle-seed"
	labelCheck = "leakguard/fingerprint/docs/v1/key-check"
)

// NewKeys derives the document-fingerprint keys from the installation's
// Hasher: each is an HMAC of a fixed label under the installation key.
func NewKeys(h *keyed.Hasher) (Keys, error) {
	if h == nil {
		return Keys{}, errors.New("docs: nil hasher")
	}
	get := func(label string) ([]byte, error) {
		return hex.DecodeString(h.Sum([]byte(label)))
	}
	w, err := get(labelWord)
	if err != nil {
		return Keys{}, err
	}
	s, err := get(labelSeed)
	if err != nil {
		return Keys{}, err
	}
	c, err := get(labelCheck)
	if err != nil {
		return Keys{}, err
	}
	return Keys{
		word:  sipKey{binary.LittleEndian.Uint64(w), binary.LittleEndian.Uint64(w[8:])},
		seed:  binary.LittleEndian.Uint64(s),
		check: binary.LittleEndian.Uint64(c),
	}, nil
}
