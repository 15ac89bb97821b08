package text

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func decodeAll(t *testing.T, in []byte) (string, Encoding) {
	t.Helper()
	r := Decode(bytes.NewReader(in))
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), r.Encoding
}

func TestDecode(t *testing.T) {
	utf16 := func(order unicode.Endianness, s string) []byte {
		b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name string
		in   []byte
		want string
		enc  Encoding
	}{
		{"utf8", []byte("päss=1"), "päss=1", UTF8},
		{"utf8 bom", []byte("\xEF\xBB\xBFkey=v"), "key=v", UTF8},
		{"utf16le", utf16(unicode.LittleEndian, "password=Zürich9"), "password=Zürich9", UTF16LE},
		{"utf16be", utf16(unicode.BigEndian, "token=abc"), "token=abc", UTF16BE},
		{"latin1", []byte("mot de passe=d\xe9j\xe0"), "mot de passe=déjà", Latin1},
		{"empty", nil, "", UTF8},
	}
	for _, c := range cases {
		got, enc := decodeAll(t, c.in)
		if got != c.want || enc != c.enc {
			t.Errorf("%s: got %q (%s), want %q (%s)", c.name, got, enc, c.want, c.enc)
		}
	}
}

func TestSniffBinary(t *testing.T) {
	for name, in := range map[string][]byte{
		"nul":      []byte("abc\x00def"),
		"controls": bytes.Repeat([]byte{1, 2, 3, 'a'}, 100),
		"png":      []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
	} {
		if got := Sniff(in); got != Binary {
			t.Errorf("%s: %s, want binary", name, got)
		}
	}
	// a multi-byte rune cut by the sniff window is still UTF-8
	s := strings.Repeat("a", SniffSize-1) + "é"
	if got := Sniff([]byte(s)[:SniffSize]); got != UTF8 {
		t.Errorf("cut rune: %s", got)
	}
}
