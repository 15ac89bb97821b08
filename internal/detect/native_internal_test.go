package detect

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"

	re2 "github.com/wasilibs/go-re2"

	"github.com/leakguard/leakguard/internal/rules"
)

// TestNativeFindersInUse fails when a native finder's pattern is no
// longer a built-in rule's: the rule then runs its regex again, and the
// finder is dead code to be rewritten for the new pattern or removed.
func TestNativeFindersInUse(t *testing.T) {
	rs := rules.Builtin()
	patterns := map[string]string{}
	for _, r := range rs {
		patterns[r.Pattern] = r.ID
	}
	for p := range nativeFinders {
		if _, ok := patterns[p]; !ok {
			t.Errorf("native finder for %q: no built-in rule has this pattern", p)
		}
	}
	if patterns[ipv4Pattern] != "ipv4-address" {
		t.Errorf("ipv4-address's pattern is not ipv4Pattern")
	}
}

// nativeCases are, per native finder, the pieces its test texts are made
// of (the characters its pattern's classes split, runs as long as its
// bounds, non-ASCII runes, the engine's substitute byte) and what the
// matches must cover for the test to exercise the finder: each counter
// counts the matches it holds for.
var nativeCases = map[string]struct {
	pieces []string
	covers map[string]func(b []byte, m []int) bool
	min    int // matches each counter must reach
	texts  int // random texts
}{
	ipv4Pattern: {
		pieces: []string{
			"0", "1", "9", "25", "255", "256", "999", "1000", "01", ".", ".", ".", ":", "::", "/", "/24", "/8", "/128",
			"a", "f", "F", "g", "x", "Z", "_", " ", "\n", ",", "-", "é", "€", "𝄞", "\x1a", "1.2.3.4", "10.0.0.1",
			"192.168.1.1", "fe80::", "ab:", "z:", "é:", "::ffff:",
		},
		covers: map[string]func(b []byte, m []int) bool{
			"any":               func(b []byte, m []int) bool { return true },
			"a prefix length":   func(b []byte, m []int) bool { return m[1] > m[3] },
			"after a colon":     func(b []byte, m []int) bool { return m[2]-m[0] > 1 && b[m[2]-1] == ':' },
			"after a multibyte": func(b []byte, m []int) bool { return m[2]-m[0] > 1 && b[m[2]-1] >= 0x80 },
		},
		min:   500,
		texts: 100000,
	},
	emailPattern: {
		pieces: []string{
			"@", "@", "@", "a", "Z", "0", "9", "_", "%", "+", "-", ".", ".", ".", "..", "com", "de", "x", "xn--", "xn--p1ai",
			"mail", "b-c", "-x", "x-", " ", "\n", "<", ">", ",", "é", "€", "\x1a", "ann.lee", "a@b.co", "jon+news@fjord-post.is",
			strings.Repeat("l", 62), strings.Repeat("d", 61), strings.Repeat("t", 23), strings.Repeat("n", 58),
			"a.b.c.d.e.f.g.h.", "lodash@4.17.21",
		},
		covers: map[string]func(b []byte, m []int) bool{
			"any":                 func(b []byte, m []int) bool { return true },
			"an IDNA domain":      func(b []byte, m []int) bool { return bytes.Contains(b[m[2]:m[3]], []byte(".xn--")) },
			"a final dot":         func(b []byte, m []int) bool { return m[3] < len(b) && b[m[3]] == '.' },
			"the end of the text": func(b []byte, m []int) bool { return m[1] == len(b) },
			"a long local part":   func(b []byte, m []int) bool { return bytes.IndexByte(b[m[2]:m[3]], '@') >= 60 },
			"five labels or more": func(b []byte, m []int) bool { return bytes.Count(b[m[2]:m[3]], []byte(".")) >= 5 },
		},
		min:   200,
		texts: 60000,
	},
	uuidPattern: {
		pieces: []string{
			"f7b67da9", "1f2b", "4C75", "b0fc", "d6d95e20a933", "-", "-", "-", "0", "a", "F", "g", "z", " ", "\n", "_", ".",
			"é", "\u017f", "\u212a", "K", "\x1a", "f7b67da9-1f2b-4c75-b0fc-d6d95e20a933", "3F2A9C1E-8B7D-4E6F-A5C4-1D2E3F4A5B6C",
		},
		covers: map[string]func(b []byte, m []int) bool{
			"any":                 func(b []byte, m []int) bool { return true },
			"upper case":          func(b []byte, m []int) bool { return bytes.ContainsAny(b[m[2]:m[3]], "ABCDEF") },
			"the start":           func(b []byte, m []int) bool { return m[0] == 0 },
			"the end of the text": func(b []byte, m []int) bool { return m[1] == len(b) },
			"a multibyte rune":    func(b []byte, m []int) bool { return m[2]-m[0] > 1 || m[1]-m[3] > 1 },
		},
		min:   200,
		texts: 60000,
	},
}

// nativeTexts are texts a native finder must agree with the regex on: n
// runs of the finder's pieces, and the rules' examples run together.
func nativeTexts(t *testing.T, pieces []string, seed uint64, n int) []string {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	var texts []string
	for range n {
		var b strings.Builder
		for k := r.IntN(24); k >= 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	rs := rules.Builtin()
	var all strings.Builder
	for i, rule := range rs {
		for _, ex := range append(append([]rules.Example{}, rule.Examples...), rule.NegativeExamples...) {
			texts = append(texts, ex.Text)
			all.WriteString(ex.Text)
			all.WriteString(pieces[i%len(pieces)])
		}
	}
	return append(texts, all.String())
}

// TestNativeAgainstRegex holds every native finder to its pattern, run by
// Go's regexp and by RE2: the same matches, the same groups, and the same
// first n matches for a bound n.
func TestNativeAgainstRegex(t *testing.T) {
	for p, f := range nativeFinders {
		tc, ok := nativeCases[p]
		if !ok {
			t.Errorf("%q: no test case", p)
			continue
		}
		goRE := regexp.MustCompile(p)
		re2RE := re2.MustCompile(p)
		counts := map[string]int{}
		for i, text := range nativeTexts(t, tc.pieces, 1, tc.texts) {
			b := []byte(text)
			want := goRE.FindAllSubmatchIndex(b, -1)
			for _, m := range want {
				for name, holds := range tc.covers {
					if holds(b, m) {
						counts[name]++
					}
				}
			}
			if got := f.FindAllSubmatchIndex(b, -1); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: native %v, regexp %v", text, got, want)
			}
			if got, want := f.FindAllIndex(b, -1), goRE.FindAllIndex(b, -1); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: bounds: native %v, regexp %v", text, got, want)
			}
			if got, want := f.FindAllIndex(b, 1), goRE.FindAllIndex(b, 1); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: first match: native %v, regexp %v", text, got, want)
			}
			if i%20 == 0 { // RE2 is called through WebAssembly: a sample
				if got, want := f.FindAllSubmatchIndex(b, -1), re2RE.FindAllSubmatchIndex(b, -1); !reflect.DeepEqual(got, want) {
					t.Fatalf("%q: native %v, RE2 %v", text, got, want)
				}
			}
		}
		for name := range tc.covers {
			if counts[name] < tc.min {
				t.Errorf("%q: %d matches with %s: the texts no longer exercise the finder", p, counts[name], name)
			}
		}
		t.Logf("%q: %v", p, counts)
	}
}

// FuzzNativeFinders compares the native finders with Go's regexp on
// arbitrary text made valid UTF-8 as the engine makes it.
func FuzzNativeFinders(f *testing.F) {
	for _, s := range []string{
		"1.2.3.4", "a:1.2.3.4/24 x", "é10.0.0.1/8_", "::ffff:1.2.3.4", "1.2.3.4.5.6.7.8", "\xff1.2.3.4",
		"ann.lee@mail.example.org.", "a@b.c.xn--p1ai-x", "x.@y.com@z.de", "é_a%b@c-d.ef..g@h.io",
		"f7b67da9-1f2b-4c75-b0fc-d6d95e20a933 3F2A9C1E-8B7D-4E6F-A5C4-1D2E3F4A5B6C", "\u017ff7b67da9-1f2b-4c75-b0fc-d6d95e20a933",
	} {
		f.Add([]byte(s))
	}
	type pair struct {
		native finder
		re     *regexp.Regexp
	}
	var pairs []pair
	for p, nf := range nativeFinders {
		pairs = append(pairs, pair{nf, regexp.MustCompile(p)})
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		b = append([]byte(nil), b...)
		sanitizeUTF8(b, true)
		for _, p := range pairs {
			if got, want := p.native.FindAllSubmatchIndex(b, -1), p.re.FindAllSubmatchIndex(b, -1); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: native %v, regexp %v", b, got, want)
			}
		}
	})
}
