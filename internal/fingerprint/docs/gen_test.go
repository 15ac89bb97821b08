package docs

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/keyed"
)

// textGen writes pseudo-English: words from a synthetic vocabulary drawn
// with a Zipf law (a few very common words, a long tail), in sentences
// and paragraphs, from a seed.
type textGen struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

func newTextGen(seed uint64) *textGen {
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
	return &textGen{rng: rng, zipf: rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1)), vocab: vocab}
}

func (g *textGen) word() string { return g.vocab[g.zipf.Uint64()] }

func (g *textGen) sentence() string {
	n := 8 + g.rng.IntN(18)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
		if i > 0 && i < n-1 && g.rng.IntN(9) == 0 {
			ws[i] += ","
		}
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	return strings.Join(ws, " ") + "."
}

func (g *textGen) paragraph() string {
	ss := make([]string, 3+g.rng.IntN(5))
	for i := range ss {
		ss[i] = g.sentence()
	}
	return strings.Join(ss, " ")
}

// doc returns paragraphs of about the given number of words in total.
func (g *textGen) doc(words int) []string {
	var ps []string
	for n := 0; n < words; {
		p := g.paragraph()
		n += strings.Count(p, " ") + 1
		ps = append(ps, p)
	}
	return ps
}

// editWords replaces the given share of words with others.
func (g *textGen) editWords(text string, share float64) string {
	ws := strings.Fields(text)
	for i := range ws {
		if g.rng.Float64() < share {
			ws[i] = g.word()
		}
	}
	return strings.Join(ws, " ")
}

func testKeys(t testing.TB) Keys {
	t.Helper()
	k, err := NewKeys(keyed.New([]byte("a fixed test key, not a real one")))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
