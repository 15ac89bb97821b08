package report

import (
	"bytes"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/leakguard/leakguard/internal/finding"
)

// appendFinding appends f as compact JSON, byte for byte what
// encoding/json gives with HTML escaping off (the tests hold it to that).
// A rescan that replays two million findings from the cache spent more
// time in encoding/json's reflection than in anything else it does for
// them; written out by hand the line costs a third.
func appendFinding(dst []byte, f *finding.Finding) ([]byte, error) {
	dst = appendHead(dst, f)
	dst = appendPlace(dst, &f.Location)
	return appendTail(dst, f)
}

// appendHead appends the opening of a finding's object, what its rule says
// about it: rule, name, kind, entity, confidence, severity.
func appendHead(dst []byte, f *finding.Finding) []byte {
	dst = append(dst, `{"rule":`...)
	dst = appendString(dst, f.Rule)
	if f.Name != "" {
		dst = append(dst, `,"name":`...)
		dst = appendString(dst, f.Name)
	}
	dst = append(dst, `,"kind":`...)
	dst = appendString(dst, string(f.Kind))
	if f.Entity != "" {
		dst = append(dst, `,"entity":`...)
		dst = appendString(dst, f.Entity)
	}
	dst = append(dst, `,"confidence":"`...)
	dst = append(dst, f.Confidence.String()...) // a name of plain letters
	dst = append(dst, '"')
	dst = append(dst, `,"severity":`...)
	return appendString(dst, string(f.Severity))
}

// appendPlace appends the opening of the location: its item, path and
// container chain.
func appendPlace(dst []byte, l *finding.Location) []byte {
	dst = append(dst, `,"location":{"path":`...)
	dst = appendString(dst, l.Path)
	if len(l.Container) > 0 {
		dst = append(dst, `,"container":[`...)
		for i, c := range l.Container {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, c)
		}
		dst = append(dst, ']')
	}
	return dst
}

// appendTail appends the rest: the position, the masked value, the
// fingerprint, the secret and the match.
func appendTail(dst []byte, f *finding.Finding) ([]byte, error) {
	l := &f.Location
	dst = appendInt(dst, `,"line":`, int64(l.Line))
	dst = appendInt(dst, `,"column":`, int64(l.Column))
	dst = appendInt(dst, `,"end_line":`, int64(l.EndLine))
	dst = appendInt(dst, `,"end_column":`, int64(l.EndColumn))
	dst = append(dst, `,"offset":`...)
	dst = strconv.AppendInt(dst, l.Offset, 10)
	dst = append(dst, `,"end_offset":`...)
	dst = strconv.AppendInt(dst, l.EndOffset, 10)
	dst = append(dst, `},"masked":`...)
	dst = appendString(dst, f.Masked)
	dst = append(dst, `,"fingerprint":`...)
	dst = appendString(dst, f.Fingerprint)
	if f.Secret != "" {
		dst = append(dst, `,"secret":`...)
		dst = appendString(dst, f.Secret)
	}
	if f.Match != nil {
		// Rare (registered data) and nested: encoding/json's own form.
		var buf bytes.Buffer
		enc := newEncoder(&buf, false)
		if err := enc.Encode(f.Match); err != nil {
			return dst, err
		}
		dst = append(dst, `,"match":`...)
		dst = append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
	}
	return append(dst, '}'), nil
}

// A findingEncoder appends findings as appendFinding does, reusing what it
// encoded for the findings before: the head of each rule lately seen, and
// the place of the last finding. A report is sorted by item and holds a
// few dozen rules, so most findings share both with one before them: the
// benchmark corpus' 448k findings are written as JSON Lines in a fifth
// less time. Equal strings from a scan often share their bytes, which ==
// compares first.
type findingEncoder struct {
	heads [64]struct {
		key  headKey
		enc  []byte
		used bool
	}
	place struct {
		path      string
		container []string
		enc       []byte
		used      bool
	}
}

// headKey is what appendHead encodes.
type headKey struct {
	rule, name, kind, entity, severity string
	conf                               finding.Confidence
}

func (e *findingEncoder) append(dst []byte, f *finding.Finding) ([]byte, error) {
	k := headKey{f.Rule, f.Name, string(f.Kind), f.Entity, string(f.Severity), f.Confidence}
	slot := len(k.rule) * 7
	if len(k.rule) > 0 {
		slot += int(k.rule[len(k.rule)/2]) + int(k.rule[len(k.rule)-1])*3
	}
	h := &e.heads[slot%len(e.heads)]
	if !h.used || h.key != k {
		h.key, h.enc, h.used = k, appendHead(h.enc[:0], f), true
	}
	dst = append(dst, h.enc...)
	p, l := &e.place, &f.Location
	if !p.used || p.path != l.Path || !slices.Equal(p.container, l.Container) {
		p.path, p.container, p.enc, p.used = l.Path, slices.Clone(l.Container), appendPlace(p.enc[:0], l), true
	}
	dst = append(dst, p.enc...)
	return appendTail(dst, f)
}

// appendInt appends key and n unless n is zero (omitempty).
func appendInt(dst []byte, key string, n int64) []byte {
	if n == 0 {
		return dst
	}
	return strconv.AppendInt(append(dst, key...), n, 10)
}

const hexDigits = "0123456789abcdef"

// plain marks the bytes a JSON string holds as they are: ASCII but for
// control characters, the quote and the backslash. One load where four
// comparisons were, for the bulk of a report.
var plain = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// load64 reads the eight bytes of s at i, the first in the low byte (the
// compiler makes this one load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// needsCare reports whether any of the eight bytes in x is not plain: a
// control character, '"', '\\', or a byte of a multi-byte sequence (0x80
// and up). Each test subtracts from every byte at once; a byte that
// borrows is one below the bound, and a borrow only ever starts at such a
// byte, so the answer is exact even though the bytes above it may be
// flagged too.
func needsCare(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ ones*'"'
	slash := x ^ ones*'\\'
	return ((x-ones*0x20)|(quote-ones)|(slash-ones)|x)&highs != 0
}

// appendString appends s as a JSON string the way encoding/json does with
// HTML escaping off: control characters escaped (\b \f \n \r \t by name),
// invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped for JavaScript.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs care: most of a
		// report's text (paths, fingerprints, masked values) is plain
		// ASCII, and a byte at a time it cost a rescan's report half
		// of its time.
		for i+8 <= len(s) && !needsCare(load64(s, i)) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		if b := s[i]; b < utf8.RuneSelf {
			if plain[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
