package detect

import "testing"

func TestGrouped(t *testing.T) {
	for _, c := range []struct {
		v                  string
		grouped, ungrouped bool
	}{
		{"134-464-720", true, false},
		{"317 133 450", true, false},
		{"317\u00a0133\u00a0450", true, false},
		{"50297969", false, true},
		{"x-12345678", false, true},
		{"=12345678", false, true},
		{"12345678-", false, true},
		{"a-b", false, false},
		{"", false, false},
	} {
		if g := grouped([]byte(c.v)); g != c.grouped {
			t.Errorf("grouped(%q) = %v", c.v, g)
		}
		if u := ungrouped([]byte(c.v)); u != c.ungrouped {
			t.Errorf("ungrouped(%q) = %v", c.v, u)
		}
	}
}
