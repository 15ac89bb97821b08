// Package text decides whether bytes are text and, when they are, turns them
// into UTF-8 for the engine: UTF-8 as is (a BOM dropped), UTF-16 with a byte
// order mark transcoded, and other 8-bit text read as Latin-1 (Windows-1252),
// the most common legacy encoding of office and mail exports. Binary content
// is recognised from a prefix so it can be skipped with a reason.
package text

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is how the bytes of an item are read.
type Encoding string

// Encodings Sniff recognises.
const (
	UTF8    Encoding = "utf-8"
	UTF16LE Encoding = "utf-16le"
	UTF16BE Encoding = "utf-16be"
	Latin1  Encoding = "windows-1252"
	Binary  Encoding = "binary"
)

// SniffSize is how many leading bytes Sniff looks at.
const SniffSize = 8 << 10

// Sniff classifies content from its first bytes (up to SniffSize).
func Sniff(head []byte) Encoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return UTF16BE
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return Binary
	}
	control := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\b' && c != 0x1b {
			control++
		}
	}
	if control*20 > len(head) { // more than 5% control characters
		return Binary
	}
	if validUTF8Prefix(head) {
		return UTF8
	}
	return Latin1
}

// validUTF8Prefix is utf8.Valid that forgives a rune cut at the end of head.
func validUTF8Prefix(b []byte) bool {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	return utf8.Valid(b)
}

// Reader is a decoded text stream.
type Reader struct {
	io.Reader
	Encoding Encoding
	// Head holds the first bytes (up to SniffSize) that decided the
	// encoding, for recognisers of binary formats.
	Head []byte
}

// Decode sniffs r and returns a reader of its text as UTF-8, or Encoding
// Binary (and a reader of the raw bytes) when it is not text.
func Decode(r io.Reader) Reader {
	br := bufio.NewReaderSize(r, SniffSize)
	head, _ := br.Peek(SniffSize) // a short read just means a small file
	enc := Sniff(head)
	switch enc {
	case UTF8:
		if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
		return Reader{br, enc, head}
	case UTF16LE, UTF16BE:
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		if enc == UTF16BE {
			dec = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
		}
		return Reader{transform.NewReader(br, dec.NewDecoder()), enc, head}
	case Latin1:
		return Reader{transform.NewReader(br, charmap.Windows1252.NewDecoder()), enc, head}
	}
	return Reader{br, Binary, head}
}
