package detect

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

// TestAnalysisCache compiles the built-in rules without the cache, with an
// empty one (which it fills), with the filled one and with a damaged one:
// the analysis read back is the one computed.
func TestAnalysisCache(t *testing.T) {
	rs := rules.Builtin()
	dir := t.TempDir()
	compile := func(opts ...Option) *Engine {
		e, err := Compile(rs, append([]Option{WithHasher(keyed.New([]byte("k")))}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	plain := compile()
	cold := compile(WithAnalysisCache(dir))
	files, _ := filepath.Glob(filepath.Join(dir, "analysis-*.gob"))
	if len(files) != 1 {
		t.Fatalf("cache files after the first compile: %v", files)
	}
	warm := compile(WithAnalysisCache(dir))
	// A damaged file is redone, not trusted.
	if err := os.WriteFile(files[0], bytes.Repeat([]byte{0xff}, 64), 0o600); err != nil {
		t.Fatal(err)
	}
	redone := compile(WithAnalysisCache(dir))
	for _, e := range []*Engine{cold, warm, redone} {
		for i, c := range plain.rules {
			o := e.rules[i]
			if !sameSets(c.factorSet, o.factorSet) || !sameSets(c.pieces, o.pieces) || c.exact != o.exact || c.factored != o.factored || c.byFactor != o.byFactor {
				t.Fatalf("rule %s: analysis differs through the cache", c.ID)
			}
		}
		// What the automata look for follows from the analysis.
		if !reflect.DeepEqual(e.factorsText.pats, plain.factorsText.pats) || !reflect.DeepEqual(e.factorsCode.pats, plain.factorsCode.pats) {
			t.Fatal("factor sets differ through the cache")
		}
	}
}

// sameSets compares two sets of sequences, an empty piece equal to a nil one.
func sameSets(a, b seqSet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) || len(a[i]) > 0 && !reflect.DeepEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}
