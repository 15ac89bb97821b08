package redact

import "testing"

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
