package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "…",
		"abcde":                    "…",
		"abcdef":                   "a…f",
		"hunter2-Brav0":            "hu…v0",
		"AKIAIOSFODNN7EXAMPLE":     "AKIA…MPLE",
		"zürich-passwort-geheim-1": "züri…im-1",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskKeepsLittle(t *testing.T) {
	// whatever the length, at most 8 characters and under half are shown
	for n := 1; n < 80; n++ {
		v := make([]rune, n)
		for i := range v {
			v[i] = 'x'
		}
		shown := len([]rune(Mask(string(v)))) - 1
		if shown > 8 || (n >= 6 && 2*shown >= n) {
			t.Errorf("length %d: %d characters shown", n, shown)
		}
	}
}

// TestMaskByRunes holds Mask's byte arithmetic to the definition in
// characters, on values of every length mixing one- to four-byte runes
// and invalid bytes (each of which counts as one character).
func TestMaskByRunes(t *testing.T) {
	alphabet := []string{"a", "é", "€", "😀", "\xff"}
	for n := 0; n < 40; n++ {
		for shift := range alphabet {
			var b strings.Builder
			for i := 0; i < n; i++ {
				b.WriteString(alphabet[(i*7+shift)%len(alphabet)])
			}
			v := b.String()
			if got, want := Mask(v), maskByRunes(v); got != want {
				t.Errorf("Mask(%q) = %q, want %q", v, got, want)
			}
		}
	}
}

// maskByRunes is Mask written the plain way, over a slice of runes, with
// Mask's own share (kept; TestMask and TestMaskKeepsLittle hold that to
// the policy); an invalid byte stands for itself.
func maskByRunes(v string) string {
	var rs []string
	for i := 0; i < len(v); {
		_, size := utf8.DecodeRuneInString(v[i:])
		rs = append(rs, v[i:i+size])
		i += size
	}
	n := len(rs)
	keep := kept(n)
	if keep == 0 {
		return Ellipsis
	}
	return strings.Join(rs[:keep], "") + Ellipsis + strings.Join(rs[n-keep:], "")
}
