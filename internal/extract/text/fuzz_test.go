package text

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf8"
)

// FuzzDecode: any bytes decode without panic, and what comes out of a text
// encoding is valid UTF-8.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"plain", "\xEF\xBB\xBFbom", "\xFF\xFEa\x00b\x00", "\xFE\xFF\x00a\xd8", "caf\xe9", "\x00\x01"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r := Decode(bytes.NewReader(b))
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if r.Encoding != Binary && r.Encoding != UTF8 && !utf8.Valid(out) {
			t.Fatalf("%s decoded to invalid UTF-8", r.Encoding)
		}
	})
}
