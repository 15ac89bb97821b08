// Package media fingerprints binary files (films, disk images, database
// dumps, archives) by content-defined chunks and finds them again in a
// byte stream: a full copy, a truncated one, one with a changed header, or
// one inside an archive once the archive is unpacked, without reading the
// content as text.
//
// A file is cut into chunks with github.com/restic/chunker: a Rabin
// fingerprint over a 64-byte sliding window decides where a chunk ends, so
// boundaries follow the content, not offsets. An edit or a missing prefix
// changes the chunks around it, and the chunker is back in step one chunk
// later. The irreducible polynomial of the fingerprint is derived from the
// installation key, so the boundaries, like the hashes, are not public.
// Each chunk is kept as a keyed 128-bit hash (HMAC-SHA-256 under a key
// derived from the installation key) with its length: the index never
// holds content.
//
// Chunks average about 80 KiB (16 KiB minimum, a boundary chance of 2^-16
// per byte after it, 512 KiB maximum), rather than the chunker's 1 MiB
// default with its 512 KiB minimum: coverage is then exact to one chunk in
// a few thousand on a 200 MB file, and files down to a few hundred KiB get
// several chunks. A file under 16 KiB is a single chunk, that is a
// whole-file hash: only exact copies of it are recognised.
//
// Chunks of one repeated byte (runs of zeros in disk images) are not
// indexed, since any file of the kind holds them; coverage is counted over
// the other bytes.
package media

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/restic/chunker"
)

// Params are the chunking parameters; sets matched together share them.
type Params struct {
	MinSize, MaxSize uint // chunk size bounds in bytes
	AverageBits      int  // a boundary has a chance of 2^-AverageBits per byte past MinSize
}

// DefaultParams returns 16 KiB minimum, 512 KiB maximum, 16 average bits.
func DefaultParams() Params { return Params{MinSize: 16 << 10, MaxSize: 512 << 10, AverageBits: 16} }

func (p Params) validate() error {
	if p.MinSize < 256 || p.MaxSize < p.MinSize || p.MaxSize > 64<<20 || p.AverageBits < 8 || p.AverageBits > 30 {
		return fmt.Errorf("media: invalid chunk parameters %+v", p)
	}
	return nil
}

// Keys are the installation's media keys: the chunker polynomial, the
// chunk hash key and a check value stored in set files.
type Keys struct {
	pol   chunker.Pol
	hmac  [32]byte
	check uint64
}

const (
	labelPol   = "leakguard/fingerprint/media/v1/polynomial/"
	labelHMAC  = "leakguard/fingerprint/media/v1/chunk-key/"
	labelCheck = "leakguard/fingerprint/media/v1/key-check"
)

// NewKeys derives the media keys from the installation's Hasher.
func NewKeys(h *keyed.Hasher) (Keys, error) {
	if h == nil {
		return Keys{}, errors.New("media: nil hasher")
	}
	var k Keys
	pol, err := chunker.DerivePolynomial(&keyStream{h: h, label: labelPol})
	if err != nil {
		return Keys{}, fmt.Errorf("media: derive polynomial: %w", err)
	}
	k.pol = pol
	ks := &keyStream{h: h, label: labelHMAC}
	if _, err := ks.Read(k.hmac[:]); err != nil {
		return Keys{}, err
	}
	c, err := hex.DecodeString(h.Sum([]byte(labelCheck)))
	if err != nil {
		return Keys{}, err
	}
	k.check = binary.LittleEndian.Uint64(c)
	return k, nil
}

// keyStream is an endless deterministic keyed byte stream: the HMACs of
// label+"0", label+"1", … under the installation key. DerivePolynomial
// draws candidate polynomials from it until one is irreducible.
type keyStream struct {
	h     *keyed.Hasher
	label string
	n     int
	buf   []byte
}

func (s *keyStream) Read(p []byte) (int, error) {
	for i := range p {
		if len(s.buf) == 0 {
			b, err := hex.DecodeString(s.h.Sum(fmt.Appendf(nil, "%s%d", s.label, s.n)))
			if err != nil {
				return i, err
			}
			s.buf = b
			s.n++
		}
		p[i] = s.buf[0]
		s.buf = s.buf[1:]
	}
	return len(p), nil
}
