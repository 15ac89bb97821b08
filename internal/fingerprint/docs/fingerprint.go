package docs

import (
	"cmp"
	"io"
	"slices"
)

// fp is one registered fingerprint: a winnowed shingle hash and the index
// of the shingle (its first word) in the registered text.
type fp struct {
	hash uint64
	pos  uint32
}

// readBuffer is the read size when fingerprinting a document.
const readBuffer = 64 << 10

// fingerprint reads a text to its end and returns its winnowed
// fingerprints, distinct by hash (the first position kept) and sorted by
// position, and the number of words read.
func fingerprint(keys Keys, p Params, r io.Reader) ([]fp, int64, error) {
	var out []fp
	win := newWinnower(p.W, func(s shingle) {
		pos := s.index
		if pos > int64(^uint32(0)) {
			pos = int64(^uint32(0))
		}
		out = append(out, fp{hash: s.hash, pos: uint32(pos)})
	})
	sh := shingler{k: p.K, seed: keys.seed, emit: win.add}
	tok := tokenizer{key: keys.word, emit: sh.word}
	buf := make([]byte, readBuffer)
	for {
		n, err := r.Read(buf)
		tok.write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
	}
	tok.close()
	win.close()
	return dedupe(out), sh.words, nil
}

// dedupe keeps the first occurrence of each hash, in position order.
func dedupe(fps []fp) []fp {
	byHash := slices.Clone(fps)
	slices.SortFunc(byHash, func(a, b fp) int {
		return cmp.Or(cmp.Compare(a.hash, b.hash), cmp.Compare(a.pos, b.pos))
	})
	byHash = slices.CompactFunc(byHash, func(a, b fp) bool { return a.hash == b.hash })
	slices.SortFunc(byHash, func(a, b fp) int { return cmp.Compare(a.pos, b.pos) })
	return byHash
}
