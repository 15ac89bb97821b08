package detect

import "unicode/utf8"

// A native finder is Go code that finds exactly the matches of one rule's
// pattern, for the few rules whose matches are so dense that calling a
// regex engine per match is most of their cost. RE2's FindAllIndex enters
// its WebAssembly module once per match (2-3 µs each); on the benchmark
// corpus, whose logs carry an address on most lines, the IPv4 rule made
// 320,000 such calls for 269,000 findings, 0.83 s of a 22 s scan.
//
// A native finder is chosen by the exact text of the pattern it was
// written for (nativeFinders): a rule file that changes the pattern gets
// the regex again, never a finder for another pattern. Each one is held
// to the regex, match for match and group for group, by a differential
// test and a fuzz test (native_test.go), and the reference path, which
// always runs the regex, is compared with the fast path on the corpus.
var nativeFinders = map[string]finder{
	ipv4Pattern: ipv4Finder{},
}

// ipv4Pattern is the built-in ipv4-address rule's pattern: a dotted quad
// preceded by the start of the text, a rune that is not a word character,
// '.' or ':', or a ':' after a rune that is not a hex digit, ':' or '.'
// (an IPv6 address's last groups are not an IPv4 address); an optional
// CIDR prefix length; a word boundary.
const ipv4Pattern = `(?:^|[^\w.:]|[^0-9A-Fa-f:.]:)(?P<value>(?:[0-9]{1,3}\.){3}[0-9]{1,3})(?:/[0-9]{1,2})?\b`

// ipv4Finder finds ipv4Pattern's matches with the regex's leftmost-first
// semantics. What makes it simple: every byte of the prefix is a non-digit
// and the value starts with a digit, so a match's value starts a run of
// digits, and each such start v fixes the one place its match can begin
// (ipv4Start); those places rise with v, so trying the runs in order finds
// the matches in order. The octets' digit counts are fixed by the dots
// around them, and the regex's backtracking over the last octet and the
// prefix length comes down to two tests of the byte after them
// (ipv4Value). The text is valid UTF-8 (the engine substitutes invalid
// bytes), which the prefix's rune classes rely on.
type ipv4Finder struct{}

func (ipv4Finder) FindAllIndex(b []byte, n int) [][]int { return ipv4All(b, n, 2) }

func (ipv4Finder) FindAllSubmatchIndex(b []byte, n int) [][]int { return ipv4All(b, n, 4) }

// ipv4All returns up to n matches (all when n < 0), each as width indexes:
// the match's bounds, then the value group's.
func ipv4All(b []byte, n, width int) [][]int {
	var out [][]int
	var slab []int // the matches' indexes share allocations
	for v := 0; n < 0 || len(out) < n; {
		if v = indexDigit(b, v, len(b)); v == len(b) {
			break
		}
		p := ipv4Start(b, v)
		if p >= 0 {
			if end, valueEnd := ipv4Value(b, v); end >= 0 {
				if len(slab) < width {
					slab = make([]int, 16*width)
				}
				m := slab[:width:width]
				slab = slab[width:]
				m[0], m[1] = p, end
				if width == 4 {
					m[2], m[3] = v, valueEnd
				}
				out = append(out, m)
				v = end
				continue
			}
		}
		for v < len(b) && isDigit(b[v]) {
			v++ // no match has its value start inside this run
		}
	}
	return out
}

// ipv4Start returns where a match whose value starts at v begins, or -1
// when no match can have its value there. The match cannot begin inside
// the one before it, which ends with a digit: no byte of a prefix is one.
func ipv4Start(b []byte, v int) int {
	if v == 0 {
		return 0 // ^
	}
	switch r, w := utf8.DecodeLastRune(b[:v]); {
	case r == ':':
		if v-1 > 0 {
			r2, w2 := utf8.DecodeLastRune(b[:v-1])
			if !isHexDigit(r2) && r2 != ':' && r2 != '.' {
				return v - 1 - w2
			}
		}
		return -1
	case r == '.' || isWordRune(r):
		return -1
	default:
		return v - w
	}
}

// ipv4Value returns the end of the match whose value starts at v and the
// end of the value, or -1 when there is none.
func ipv4Value(b []byte, v int) (end, valueEnd int) {
	i := v
	for octet := range 4 {
		j := i
		for j < len(b) && j-i < 4 && isDigit(b[j]) {
			j++
		}
		if d := j - i; d == 0 || d > 3 {
			return -1, -1 // a fourth digit: no shorter octet is followed by '.' or a boundary
		}
		i = j
		if octet < 3 {
			if i >= len(b) || b[i] != '.' {
				return -1, -1
			}
			i++
		}
	}
	// b[i] is not a digit. A prefix length of one or two digits counts
	// when a boundary follows it; with three digits or a word byte after,
	// the regex gives it up, and the '/' is then the boundary.
	if i < len(b) && b[i] == '/' {
		j := i + 1
		for j < len(b) && j-i <= 3 && isDigit(b[j]) {
			j++
		}
		if d := j - i - 1; d >= 1 && d <= 2 && (j == len(b) || !isWordByte(b[j])) {
			return j, i
		}
	}
	if i == len(b) || !isWordByte(b[i]) {
		return i, i
	}
	return -1, -1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordRune(r rune) bool { return r < utf8.RuneSelf && isWordByte(byte(r)) }

func isHexDigit(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}
