package detect_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
)

// TestCorpusAgainstReference holds the fast path against the reference
// path, finding for finding, on realistic text rather than rule examples:
// Go source and generated office text (logs, CSV, configuration, mail),
// where the factors, context gating and sparse group extraction all work.
func TestCorpusAgainstReference(t *testing.T) {
	if testing.Short() {
		t.Skip("reference path over 256 KiB: slow")
	}
	fast := builtinEngine(t, detect.WithChunkSize(1<<16))
	ref := builtinEngine(t, detect.WithReference(), detect.WithChunkSize(1<<22))
	for _, c := range []struct {
		path string
		data []byte
	}{
		{"corpus.go", goSource(t, 128<<10)},
		{"corpus.txt", []byte(officeText(9, 128<<10))},
		{"corpus.csv", []byte(officeText(10, 64<<10))},
	} {
		got, _ := scan(t, fast, c.path, bytes.NewReader(c.data))
		want, _ := scan(t, ref, c.path, bytes.NewReader(c.data))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fast path %d findings, reference %d; first difference: %s", c.path, len(got), len(want), firstDiff(got, want))
		}
		if len(want) == 0 && c.path != "corpus.go" {
			t.Errorf("%s: no findings: the corpus does not exercise the rules", c.path)
		}
	}
}
