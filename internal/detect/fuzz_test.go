package detect_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/detect"
)

// FuzzScan feeds arbitrary bytes to the engine with the test rules: it must
// not panic, and streaming in the smallest chunks must find exactly what one
// read of the whole input finds.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"tok_abcdefghij0123456789",
		"SSN: 123-45-6780\npassport A12345678",
		"\xff\xfe\x00garbage\x80\x81",
		strings.Repeat("9", 600) + " tok_abcdefghij0123456789",
		"ü\nü\nssn 123-45-6780 leakguard:allow",
	} {
		f.Add([]byte(s))
	}
	small := compile(f, testRules, detect.WithChunkSize(1))
	whole := compile(f, testRules, detect.WithChunkSize(1<<20))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, _ := scan(t, small, "f.txt", iotestHalfReader(strings.NewReader(string(b))))
		want, _ := scan(t, whole, "f.txt", strings.NewReader(string(b)))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("chunked scan differs: %d vs %d findings", len(got), len(want))
		}
		for _, fd := range got {
			if fd.Location.Offset < 0 || fd.Location.EndOffset > int64(len(b)) || fd.Location.Line < 1 || fd.Location.Column < 1 {
				t.Fatalf("bad location %+v", fd.Location)
			}
		}
	})
}
