package markup

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// keepAttr reports whether an attribute's value is text worth scanning:
// what a reader sees or types (title, alt, value, placeholder), meta
// content, data-* values, event handler code, and URLs that can carry a
// credential (user:password@, a query or fragment with parameters,
// mailto:, javascript:, a textual data: URI). Layout attributes and plain
// links are left out: they only add noise.
func keepAttr(key string, v []byte) bool {
	if len(bytes.TrimSpace(v)) == 0 {
		return false
	}
	switch key {
	case "title", "alt", "placeholder", "label", "summary", "abbr", "aria-label", "aria-description",
		"content", "value":
		return true
	case "href", "src", "action", "formaction", "cite", "data", "poster", "background", "longdesc",
		"codebase", "xlink:href", "ping":
		return urlWorthScanning(v)
	}
	return strings.HasPrefix(key, "data-") || strings.HasPrefix(key, "on") && len(key) > 2
}

// urlWorthScanning reports whether a URL attribute may hold a secret.
func urlWorthScanning(v []byte) bool {
	s := strings.TrimSpace(string(v[:min(len(v), 64)]))
	ls := strings.ToLower(s)
	switch {
	case strings.HasPrefix(ls, "data:"):
		return textualDataURI(ls)
	case strings.HasPrefix(ls, "mailto:"), strings.HasPrefix(ls, "javascript:"):
		return true
	}
	// user:password@host, or parameters in a query or fragment.
	if i := bytes.Index(v, []byte("://")); i >= 0 {
		rest := v[i+3:]
		if end := bytes.IndexAny(rest, "/?#"); end >= 0 {
			rest = rest[:end]
		}
		if bytes.IndexByte(rest, '@') >= 0 {
			return true
		}
	}
	if q := bytes.IndexAny(v, "?#"); q >= 0 && bytes.IndexByte(v[q:], '=') >= 0 {
		return true
	}
	return false
}

// textualDataURI reports whether a data: URI (its start, lower-cased) holds
// text: script, JSON, XML, SVG, plain text. Images are skipped.
func textualDataURI(ls string) bool {
	mt := strings.TrimPrefix(ls, "data:")
	if i := strings.IndexAny(mt, ";,"); i >= 0 {
		mt = mt[:i]
	}
	switch {
	case mt == "", strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "javascript"),
		strings.HasSuffix(mt, "ecmascript"), strings.HasSuffix(mt, "json"), strings.HasSuffix(mt, "xml"):
		return true
	}
	return false
}

// writeAttr owes an attribute's value to the end of the current line, as
// "key: value". A form value or meta content is keyed by its element's
// name (or id), so that <input name="db_password" value="…"> reads as
// "db_password: …".
func (w *htmlWalker) writeAttr(name string, at attr) {
	k, v := at.key, strings.TrimSpace(at.val)
	switch k {
	case "value", "content":
		if name != "" {
			k = name
		}
	case "href", "src", "action", "formaction", "cite", "data", "poster", "background", "longdesc",
		"codebase", "xlink:href", "ping":
		if strings.HasPrefix(strings.ToLower(v), "data:") {
			v = decodeDataURI(v)
		}
	}
	if v != "" {
		w.lw.later(k + ": " + v)
	}
}

// decodeDataURI returns the content of a data: URI, or "" when it does not
// decode.
func decodeDataURI(s string) string {
	comma := strings.IndexByte(s, ',')
	if comma < 0 {
		return ""
	}
	meta, data := s[len("data:"):comma], s[comma+1:]
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		data = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '=' {
				return -1
			}
			return r
		}, data)
		b, err := base64.RawStdEncoding.DecodeString(data)
		if err != nil {
			b, err = base64.RawURLEncoding.DecodeString(data)
			if err != nil {
				return ""
			}
		}
		return asUTF8(b)
	}
	if u, err := url.PathUnescape(data); err == nil {
		return asUTF8([]byte(u))
	}
	return data
}

// asUTF8 returns decoded bytes as text: UTF-8 as it is, anything else read
// as Windows-1252, which keeps every ASCII run intact.
func asUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	s, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return string(s)
}
