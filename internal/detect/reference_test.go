package detect_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/finding"
)

// TestCorpusAgainstReference holds the fast path against the reference
// path, finding for finding, on realistic text rather than rule examples:
// Go source and generated office text (logs, CSV, configuration, mail),
// where the factors, context gating and sparse group extraction all work.
// The fast path searches its windows with Go's regexp first and RE2 past
// a budget: both ends are held to the reference (which runs RE2), and the
// default budget, where rules change over in the middle.
func TestCorpusAgainstReference(t *testing.T) {
	if testing.Short() {
		t.Skip("reference path over 256 KiB: slow")
	}
	ref := builtinEngine(t, detect.WithReference(), detect.WithChunkSize(1<<22))
	inputs := []struct {
		path string
		data []byte
	}{
		{"corpus.go", goSource(t, 128<<10)},
		{"corpus.txt", []byte(officeText(9, 128<<10))},
		{"corpus.csv", []byte(officeText(10, 64<<10))},
	}
	want := make([][]finding.Finding, len(inputs))
	for i, in := range inputs {
		want[i], _ = scan(t, ref, in.path, bytes.NewReader(in.data))
		if len(want[i]) == 0 && in.path != "corpus.go" {
			t.Errorf("%s: no findings: the corpus does not exercise the rules", in.path)
		}
	}
	for _, budget := range []struct {
		name string
		opts []detect.Option
	}{
		{"default", nil},
		{"RE2 only", []detect.Option{detect.WithGoBudget(0)}},
		{"Go regexp only", []detect.Option{detect.WithGoBudget(1 << 40)}},
	} {
		t.Run(budget.name, func(t *testing.T) {
			fast := builtinEngine(t, append(budget.opts, detect.WithChunkSize(1<<16))...)
			for i, in := range inputs {
				got, _ := scan(t, fast, in.path, bytes.NewReader(in.data))
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%s: fast path %d findings, reference %d; first difference: %s", in.path, len(got), len(want[i]), firstDiff(got, want[i]))
				}
			}
		})
	}
}
