package detect

import (
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
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
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

// nativeTexts are texts a native finder must agree with the regex on:
// runs of bytes drawn from the characters the pattern's classes split
// (digits, dots, colons, slashes, hex and other letters, '_', non-ASCII
// runes, the engine's substitute byte), at the start and end of the text
// and next to each other, and the rules' examples run together.
func nativeTexts(t *testing.T, seed uint64, n int) []string {
	t.Helper()
	pieces := []string{
		"0", "1", "9", "25", "255", "256", "999", "1000", "01", ".", ".", ".", ":", "::", "/", "/24", "/8", "/128",
		"a", "f", "F", "g", "x", "Z", "_", " ", "\n", ",", "-", "é", "€", "𝄞", "\x1a", "1.2.3.4", "10.0.0.1",
		"192.168.1.1", "fe80::", "ab:", "z:", "é:", "::ffff:",
	}
	r := rand.New(rand.NewPCG(seed, 7))
	var texts []string
	for range n {
		var b strings.Builder
		for k := r.IntN(24); k >= 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
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
	texts := nativeTexts(t, 1, 100000)
	for p, f := range nativeFinders {
		goRE := regexp.MustCompile(p)
		re2RE := re2.MustCompile(p)
		matches, cidr, colon := 0, 0, 0
		for i, text := range texts {
			b := []byte(text)
			want := goRE.FindAllSubmatchIndex(b, -1)
			matches += len(want)
			for _, m := range want {
				if m[1] > m[3] {
					cidr++
				}
				if m[2]-m[0] > 1 && b[m[2]-1] == ':' {
					colon++
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
		if matches < 15000 || cidr < 500 || colon < 1000 {
			t.Errorf("%q: %d matches in all, %d with a prefix length, %d after a colon: the texts no longer exercise the finder", p, matches, cidr, colon)
		}
	}
}

// FuzzNativeFinders compares the native finders with Go's regexp on
// arbitrary text made valid UTF-8 as the engine makes it.
func FuzzNativeFinders(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "a:1.2.3.4/24 x", "é10.0.0.1/8_", "::ffff:1.2.3.4", "1.2.3.4.5.6.7.8", "\xff1.2.3.4"} {
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
