package leakgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
)

// HeldBack says whether the i-th document of a corpus in sorted order is
// held back from registration: every 8th, from the 4th. Held-back
// documents are the unrelated text leaks are embedded in, and the
// negatives an evaluation must not attribute.
func HeldBack(i int) bool { return i%8 == 3 }

// Kind is how a leak is made from a registered document.
type Kind string

// The kinds of leak. Each may also have a share of its words changed.
const (
	// Excerpt is a run of the document's words from a random start.
	Excerpt Kind = "excerpt"
	// Reordered is an excerpt cut into paragraphs at sentence ends,
	// shuffled.
	Reordered Kind = "reordered"
	// Embedded is an excerpt inserted in the middle of a held-back
	// document, as paragraphs of their own.
	Embedded Kind = "embedded"
)

// Spec is a leak to make: its kind, its length in bytes (before edits;
// the excerpt stops at the first word boundary past it) and the share of
// its words to replace.
type Spec struct {
	Kind  Kind
	Chars int
	Edit  float64
}

// String names the spec: "excerpt 500 10%".
func (s Spec) String() string { return fmt.Sprintf("%s %d %.0f%%", s.Kind, s.Chars, 100*s.Edit) }

// Leak is one generated leak.
type Leak struct {
	Spec
	Doc  int // the registered document it comes from
	Host int // the held-back document it is embedded in, or -1
	// Paragraphs are the leak's text, a paragraph each, for writers that
	// lay paragraphs out (docx, PDF).
	Paragraphs []string
}

// Text is the leak as plain text, paragraphs apart.
func (l Leak) Text() string { return strings.Join(l.Paragraphs, "\n\n") }

// Gen cuts leaks from a corpus of registered documents and embeds them in
// held-back ones, from a seed.
type Gen struct {
	rng   *rand.Rand
	docs  [][]string // words of each registered document
	hosts []string
	vocab []string // replacement words: every word of the corpus, as often as it occurs
}

// New returns a generator over the registered documents docs and the
// held-back documents hosts, seeded with (seed1, seed2).
func New(seed1, seed2 uint64, docs, hosts []string) *Gen {
	g := &Gen{rng: rand.New(rand.NewPCG(seed1, seed2)), hosts: hosts}
	for _, d := range docs {
		ws := strings.Fields(d)
		g.docs = append(g.docs, ws)
		g.vocab = append(g.vocab, ws...)
	}
	return g
}

// Pick returns a random registered document.
func (g *Gen) Pick() int { return g.rng.IntN(len(g.docs)) }

// Excerpt returns words of document d from a random start until n bytes
// are reached, each replaced with probability edit by a random word of the
// corpus. Every word is followed by a space.
func (g *Gen) Excerpt(d, n int, edit float64) string {
	ws := g.docs[d]
	start := g.rng.IntN(max(1, len(ws)-n/4))
	var b strings.Builder
	for _, w := range ws[start:] {
		if b.Len() >= n {
			break
		}
		if g.rng.Float64() < edit {
			w = g.vocab[g.rng.IntN(len(g.vocab))]
		}
		b.WriteString(w + " ")
	}
	return b.String()
}

// Embed returns text inserted at the word boundary nearest before the
// middle of a random held-back document.
func (g *Gen) Embed(text string) string {
	h := g.hosts[g.rng.IntN(len(g.hosts))]
	cut := strings.LastIndexByte(h[:len(h)/2], ' ') + 1
	return h[:cut] + text + h[cut:]
}

// Make generates a leak as s says.
func (g *Gen) Make(s Spec) Leak {
	l := Leak{Spec: s, Doc: g.Pick(), Host: -1}
	text := g.Excerpt(l.Doc, s.Chars, s.Edit)
	switch s.Kind {
	case Reordered:
		// Paragraphs of about 250 bytes, so that even a short excerpt
		// has several to move.
		ps := paragraphs(text, 250)
		// Shuffle until the order changes (a few tries: two equal
		// paragraphs can make every order look the same).
		for try := 0; try < 8 && len(ps) > 1 && sorted(ps, text); try++ {
			g.rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		}
		l.Paragraphs = ps
	case Embedded:
		l.Host = g.rng.IntN(len(g.hosts))
		host := paragraphs(g.hosts[l.Host], 800)
		mid := len(host) / 2
		l.Paragraphs = append(append(append([]string{}, host[:mid]...), paragraphs(text, 800)...), host[mid:]...)
	default:
		l.Paragraphs = paragraphs(text, 800)
	}
	return l
}

// sorted reports whether ps are still in the order they have in text.
func sorted(ps []string, text string) bool {
	at := -1
	for _, p := range ps {
		i := strings.Index(text, p)
		if i < at {
			return false
		}
		at = i
	}
	return true
}

// paragraphs cuts text into paragraphs at the first sentence end past
// size bytes (at a word boundary past twice size, if no sentence ends).
func paragraphs(text string, size int) []string {
	var out []string
	var cur strings.Builder
	for _, w := range strings.Fields(text) {
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
		end := strings.ContainsAny(w[len(w)-1:], ".?!")
		if cur.Len() >= size && end || cur.Len() >= 2*size {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// LongestRun returns the length in words of the longest passage a and b
// share, compared as lower-case runs of letters and digits (a coarser
// normalisation than the fingerprints', enough to tell a quoted sentence
// from a copied page).
func LongestRun(a, b string) int {
	wa, wb := words(a), words(b)
	const k = 3 // candidate starts share k words
	at := map[[k]string][]int{}
	for j := 0; j+k <= len(wb); j++ {
		key := [k]string(wb[j : j+k])
		at[key] = append(at[key], j)
	}
	best := 0
	for i := 0; i+k <= len(wa); i++ {
		for _, j := range at[[k]string(wa[i:i+k])] {
			if i > 0 && j > 0 && wa[i-1] == wb[j-1] {
				continue // not the start of the shared run
			}
			n := k
			for i+n < len(wa) && j+n < len(wb) && wa[i+n] == wb[j+n] {
				n++
			}
			best = max(best, n)
		}
	}
	return best
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
