package docs

import (
	"math/rand/v2"
	"slices"
	"testing"
)

type tokWord struct {
	start, end int64
	h          uint64
}

func tokenize(key sipKey, pieces ...[]byte) []tokWord {
	var out []tokWord
	t := tokenizer{key: key, emit: func(s, e int64, h uint64) { out = append(out, tokWord{s, e, h}) }}
	for _, p := range pieces {
		t.write(p)
	}
	t.close()
	return out
}

func hashesOf(ws []tokWord) []uint64 {
	var hs []uint64
	for _, w := range ws {
		hs = append(hs, w.h)
	}
	return hs
}

var testSip = sipKey{0x0123456789abcdef, 0xfedcba9876543210}

func TestNormalisationEquivalences(t *testing.T) {
	cases := []struct{ a, b string }{
		{"Hello, World!", "hello world"},
		{"hello\n\n   world", "HELLO\tWORLD"},
		{"résumé naïve café", "resume naive cafe"},
		{"re\u0301sume\u0301", "résumé"},   // decomposed accents
		{"ＦＵＬＬ ｗｉｄｔｈ", "full width"},       // NFKC full-width forms
		{"ﬁnal ﬂow", "final flow"},         // ligatures
		{"Straße", "STRASSE"},              // sharp s
		{"ΣΟΦΙΑ σοφια", "σοφια ΣΟΦΙΑ"},     // Greek case
		{"soft\u00adhyphen", "softhyphen"}, // soft hyphen is invisible
		{"don’t “quote” — dash", "don't \"quote\" - dash"},
		{"x²", "x2"},
		{"東京都", "東 京 都"}, // ideographs are words of their own
	}
	for _, c := range cases {
		a, b := hashesOf(tokenize(testSip, []byte(c.a))), hashesOf(tokenize(testSip, []byte(c.b)))
		if !slices.Equal(a, b) || len(a) == 0 {
			t.Errorf("%q and %q normalise differently: %d vs %d words", c.a, c.b, len(a), len(b))
		}
	}
	// and what must stay different
	for _, c := range [][2]string{{"form", "from"}, {"ab c", "a bc"}, {"1,000", "1000"}} {
		if slices.Equal(hashesOf(tokenize(testSip, []byte(c[0]))), hashesOf(tokenize(testSip, []byte(c[1])))) {
			t.Errorf("%q and %q normalise the same", c[0], c[1])
		}
	}
}

func TestTokenizerOffsets(t *testing.T) {
	text := "  Œuvre, «naïve» résumé\u0301 東京 end"
	want := []string{"Œuvre", "naïve", "résumé\u0301", "東", "京", "end"}
	ws := tokenize(testSip, []byte(text))
	if len(ws) != len(want) {
		t.Fatalf("%d words, want %d", len(ws), len(want))
	}
	for i, w := range ws {
		if got := text[w.start:w.end]; got != want[i] {
			t.Errorf("word %d spans %q, want %q", i, got, want[i])
		}
	}
}

// Splitting the stream anywhere, even inside a rune, changes nothing.
func TestTokenizerSplitInvariance(t *testing.T) {
	text := []byte("Ünïcödé text — with ﬁ ligatures, ＦＵＬＬ width, 東京都 and \xff\xfe invalid \xe2\x82 bytes; Straße ends")
	whole := tokenize(testSip, text)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var pieces [][]byte
		rest := text
		for len(rest) > 0 {
			n := 1 + rng.IntN(min(len(rest), 5))
			pieces = append(pieces, rest[:n])
			rest = rest[n:]
		}
		if got := tokenize(testSip, pieces...); !slices.Equal(got, whole) {
			t.Fatalf("split %d pieces: %v\nwant %v", len(pieces), got, whole)
		}
	}
}

func TestLongWordsAreCapped(t *testing.T) {
	a := make([]byte, 10000)
	for i := range a {
		a[i] = 'a'
	}
	ws := tokenize(testSip, a)
	if len(ws) != 1 || ws[0].start != 0 || ws[0].end != 10000 {
		t.Fatalf("%v", ws)
	}
}
