// Package leakgen generates, from a seed, the texts that evaluations and
// tests of document fingerprints look for: synthetic pseudo-English
// documents (Text), and leaks cut from a real corpus (Gen): verbatim
// excerpts, excerpts with a share of their words changed, excerpts with
// their paragraphs reordered and excerpts embedded in unrelated text.
//
// It lives outside the docs package's tests so that the library's own
// evaluation and the CLI's one draw the same leaks from one generator.
// Same seed, same texts: the generators hold their own random source and
// nothing else varies.
package leakgen

import (
	"math/rand/v2"
	"strings"
)

// Text writes pseudo-English: words from a synthetic vocabulary drawn with
// a Zipf law (a few very common words, a long tail), in sentences and
// paragraphs, from a seed.
type Text struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

// NewText returns a generator of pseudo-English seeded with seed.
func NewText(seed uint64) *Text {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	// The vocabulary is the same for every seed, as a language is.
	vr := rand.New(rand.NewPCG(42, 42))
	syl := []string{"ka", "to", "ri", "men", "sa", "lo", "ve", "dan", "pi", "ur", "es", "the", "on", "al", "ic", "ra", "mo", "ne", "ti", "ber"}
	seen := map[string]bool{}
	var vocab []string
	for len(vocab) < 8000 {
		var b strings.Builder
		for range 1 + vr.IntN(4) {
			b.WriteString(syl[vr.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return &Text{rng: rng, zipf: rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1)), vocab: vocab}
}

// Word returns one word.
func (g *Text) Word() string { return g.vocab[g.zipf.Uint64()] }

// Sentence returns a capitalised sentence of 8 to 25 words, some followed
// by commas, ending with a full stop.
func (g *Text) Sentence() string {
	n := 8 + g.rng.IntN(18)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.Word()
		if i > 0 && i < n-1 && g.rng.IntN(9) == 0 {
			ws[i] += ","
		}
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	return strings.Join(ws, " ") + "."
}

// Paragraph returns 3 to 7 sentences.
func (g *Text) Paragraph() string {
	ss := make([]string, 3+g.rng.IntN(5))
	for i := range ss {
		ss[i] = g.Sentence()
	}
	return strings.Join(ss, " ")
}

// Doc returns paragraphs of about the given number of words in total.
func (g *Text) Doc(words int) []string {
	var ps []string
	for n := 0; n < words; {
		p := g.Paragraph()
		n += strings.Count(p, " ") + 1
		ps = append(ps, p)
	}
	return ps
}

// EditWords replaces the given share of words with others.
func (g *Text) EditWords(text string, share float64) string {
	ws := strings.Fields(text)
	for i := range ws {
		if g.rng.Float64() < share {
			ws[i] = g.Word()
		}
	}
	return strings.Join(ws, " ")
}
