package markup

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// htmlReader returns r decoded to UTF-8, the encoding decided from the
// page's first bytes (head).
func htmlReader(r io.Reader, head []byte) io.Reader {
	enc := htmlEncoding(head)
	if enc == nil {
		return r
	}
	return transform.NewReader(r, enc.NewDecoder())
}

// htmlEncoding decides a page's encoding as a browser would, from its
// first bytes: a byte order mark, then the XML declaration or a <meta>
// charset within head, then a guess (valid UTF-8, else Windows-1252). nil
// means UTF-8, read as it is.
//
// A declaration that the bytes plainly contradict loses: pages that say
// UTF-8 but hold Windows-125x text, or say a single-byte charset but hold
// valid multi-byte UTF-8, are common in mail and old sites, and a wrong
// choice turns every non-ASCII word into noise.
func htmlEncoding(head []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	utf8ok := validUTF8Prefix(head)
	if enc, err := htmlindex.Get(declaredCharset(head)); err == nil {
		name, _ := htmlindex.Name(enc)
		switch {
		case name == "utf-8" || strings.HasPrefix(name, "utf-16"):
			// UTF-16 declared in a page without a BOM is read as UTF-8,
			// as browsers do: the declaration came through as ASCII.
			if utf8ok {
				return nil
			}
			return charmap.Windows1252
		case utf8ok && hasMultibyte(head) && singleByte(enc):
			return nil
		default:
			return enc
		}
	}
	// No declaration, or one of a charset this build does not know.
	if utf8ok {
		return nil
	}
	return charmap.Windows1252
}

// singleByte reports whether enc is one of the 8-bit charmaps, where every
// byte sequence is valid and so valid UTF-8 is no evidence for it.
func singleByte(enc encoding.Encoding) bool {
	_, ok := enc.(*charmap.Charmap)
	return ok
}

func hasMultibyte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// validUTF8Prefix reports whether b is valid UTF-8 but for a rune cut at
// its end (head is a prefix of the page).
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

// declaredCharset returns the charset label the head declares: the XML
// declaration's encoding, a <meta charset> or a <meta http-equiv> content
// type, whichever comes first before the body.
func declaredCharset(head []byte) string {
	if bytes.HasPrefix(head, []byte("<?xml")) {
		end := bytes.Index(head, []byte("?>"))
		if end > 0 {
			if enc := attrInDecl(string(head[:end]), "encoding"); enc != "" {
				return enc
			}
		}
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				if !hasAttr {
					continue
				}
				if label := metaCharset(z); label != "" {
					return label
				}
			}
		}
	}
}

// metaCharset reads a <meta> tag's charset declaration, if any.
func metaCharset(z *html.Tokenizer) string {
	var cs, equiv, content string
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "charset":
			cs = strings.TrimSpace(string(v))
		case "http-equiv":
			equiv = strings.ToLower(strings.TrimSpace(string(v)))
		case "content":
			content = string(v)
		}
	}
	if cs != "" {
		return cs
	}
	if equiv == "content-type" {
		return charsetParam(content)
	}
	return ""
}

// charsetParam finds "charset=X" in a content type.
func charsetParam(ct string) string {
	i := strings.Index(strings.ToLower(ct), "charset")
	if i < 0 {
		return ""
	}
	s := strings.TrimLeft(ct[i+len("charset"):], " \t")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.Trim(strings.TrimLeft(s[1:], " \t"), `"'`)
	if j := strings.IndexAny(s, ` ;"'`); j >= 0 {
		s = s[:j]
	}
	return s
}

// attrInDecl returns a pseudo-attribute of an XML declaration.
func attrInDecl(decl, name string) string {
	i := strings.Index(decl, name)
	if i < 0 {
		return ""
	}
	s := strings.TrimLeft(decl[i+len(name):], " \t\r\n")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.TrimLeft(s[1:], " \t\r\n")
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return ""
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return ""
	}
	return s[1 : 1+end]
}
