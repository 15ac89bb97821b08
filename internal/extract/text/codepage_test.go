package text

import "testing"

func TestCodePage(t *testing.T) {
	for cp, want := range map[int]string{1251: "Привет", 932: "日本", 1252: "café"} {
		enc := CodePage(cp)
		if enc == nil {
			t.Fatalf("code page %d unknown", cp)
		}
		b, err := enc.NewEncoder().String(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := enc.NewDecoder().String(b)
		if err != nil || got != want || b == want {
			t.Errorf("code page %d: %q -> %q -> %q", cp, want, b, got)
		}
	}
	if CodePage(12345) != nil {
		t.Error("unknown code page mapped")
	}
}
