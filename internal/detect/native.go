package detect

import (
	"bytes"
	"unicode/utf8"
)

// A native finder is Go code that finds exactly the matches of one rule's
// pattern, with their groups, for the few rules whose matches are so dense
// that the regex engines are most of their cost: RE2's FindAllIndex enters
// its WebAssembly module once per match (2-3 µs each), and the groups of
// each match took Go's regexp as long again where they cannot be read off
// the bounds (groups.go). On the benchmark corpus, whose logs carry an
// address on most lines, the IPv4 rule made 320,000 calls into RE2 for
// 269,000 findings, 0.64-0.85 s of a 22 s scan (0.44-0.51 s native); the
// e-mail rule's 40,000 matches took 0.59 s (0.095 s native), the UUID
// rule's 19,000 0.15 s (0.046 s).
//
// A native finder is chosen by the exact text of the pattern it was
// written for (nativeFinders): a rule file that changes the pattern gets
// the regex again, never a finder for another pattern. Each one is held
// to the regex, match for match and group for group, by a differential
// test and a fuzz test (native_internal_test.go), and the reference path,
// which always runs the regex, is compared with the fast path on the
// corpus.
var nativeFinders = map[string]finder{
	ipv4Pattern:  ipv4Finder{},
	emailPattern: emailFinder{},
	uuidPattern:  uuidFinder{},
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

// matchList collects a native finder's matches, up to n (all when n < 0),
// each as width indexes: the match's bounds, then (width 4) the value
// group's. The matches' indexes share allocations.
type matchList struct {
	out      [][]int
	slab     []int
	n, width int
}

func (l *matchList) full() bool { return l.n >= 0 && len(l.out) >= l.n }

func (l *matchList) add(start, end, valueStart, valueEnd int) {
	if len(l.slab) < l.width {
		l.slab = make([]int, 16*l.width)
	}
	m := l.slab[:l.width:l.width]
	l.slab = l.slab[l.width:]
	m[0], m[1] = start, end
	if l.width == 4 {
		m[2], m[3] = valueStart, valueEnd
	}
	l.out = append(l.out, m)
}

// ipv4All returns ipv4Pattern's matches in b as a matchList of n and
// width.
func ipv4All(b []byte, n, width int) [][]int {
	l := matchList{n: n, width: width}
	for v := 0; !l.full(); {
		if v = indexDigit(b, v, len(b)); v == len(b) {
			break
		}
		p := ipv4Start(b, v)
		if p >= 0 {
			if end, valueEnd := ipv4Value(b, v); end >= 0 {
				l.add(p, end, v, valueEnd)
				v = end
				continue
			}
		}
		for v < len(b) && isDigit(b[v]) {
			v++ // no match has its value start inside this run
		}
	}
	return l.out
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

// emailPattern is the built-in email-address rule's pattern: a local part
// of up to 64 bytes that begins at a word boundary, '@', one to eight DNS
// labels each followed by '.', an alphabetic or IDNA top-level domain, and
// after it the end of the text, a rune that cannot continue the address,
// or a final '.' before the end or a rune that is not a word character.
const emailPattern = `(?P<value>\b[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59}))(?:$|[^\w@.-]|\.(?:$|[^\w]))`

// emailFinder finds emailPattern's matches with the regex's leftmost-first
// semantics. No class of the pattern holds '@' before the one it requires,
// so every match holds the first '@' after its start, and the starts that
// lead to one '@' all come before those that lead to the next: the '@'s,
// taken in order, give the matches in order. What follows an '@' does not
// depend on where the local part began (emailDomain), and the match takes
// the leftmost start the local part allows (emailStart). emailDomain tries
// the label counts, top-level domain lengths and endings in the order the
// regex backtracks through them, so the first that fits is the regex's.
type emailFinder struct{}

func (emailFinder) FindAllIndex(b []byte, n int) [][]int { return emailAll(b, n, 2) }

func (emailFinder) FindAllSubmatchIndex(b []byte, n int) [][]int { return emailAll(b, n, 4) }

// emailAll returns emailPattern's matches in b as a matchList of n and
// width.
func emailAll(b []byte, n, width int) [][]int {
	l := matchList{n: n, width: width}
	from := 0 // where the search for the next match starts
	for i := 0; !l.full(); {
		k := bytes.IndexByte(b[i:], '@')
		if k < 0 {
			break
		}
		at := i + k
		i = at + 1
		s := emailStart(b, from, at)
		if s < 0 {
			continue
		}
		valueEnd, end := emailDomain(b, at+1)
		if end < 0 {
			continue
		}
		l.add(s, end, s, valueEnd)
		from, i = end, end
	}
	return l.out
}

// emailStart returns the leftmost start at or after from of a local part
// that ends at the '@' at at, or -1: an alphanumeric byte at a word
// boundary, then bytes of [A-Za-z0-9._%+-], the last of [A-Za-z0-9_+-],
// 64 bytes at most.
func emailStart(b []byte, from, at int) int {
	lo := max(from, at-64)
	if at-1 < lo {
		return -1
	}
	if c := b[at-1]; !isEmailLast(c) {
		return -1
	}
	j := at - 1 // b[j:at] can follow a local part's first byte
	for j-1 >= lo && isEmailLocal(b[j-1]) {
		j--
	}
	for s := j; s < at; s++ {
		if isAlnum(b[s]) && (s == 0 || !isWordByte(b[s-1])) {
			return s
		}
	}
	return -1
}

// emailDomain returns where the value and the match end for a domain that
// starts at d, or -1.
func emailDomain(b []byte, d int) (valueEnd, end int) {
	var starts [8]int // starts[k] begins the label after k labels
	labels, p := 0, d
	for labels < 8 {
		q := p
		for q < len(b) && q-p <= 63 && isLDH(b[q]) {
			q++
		}
		if q == p || q-p > 63 || q == len(b) || b[q] != '.' || !isAlnum(b[p]) || !isAlnum(b[q-1]) {
			break
		}
		starts[labels] = p
		labels++
		p = q + 1
	}
	for k := labels; k >= 1; k-- {
		t := p // the top-level domain begins after k labels
		if k < labels {
			t = starts[k]
		}
		letters := 0
		for t+letters < len(b) && letters < 24 && isLetter(b[t+letters]) {
			letters++
		}
		for l := letters; l >= 2; l-- {
			if e := emailEnd(b, t+l); e >= 0 {
				return t + l, e
			}
		}
		if len(b)-t > 4 && string(b[t:t+4]) == "xn--" {
			rest := 0
			for t+4+rest < len(b) && rest < 59 && isLDH(b[t+4+rest]) {
				rest++
			}
			for l := rest; l >= 1; l-- {
				if e := emailEnd(b, t+4+l); e >= 0 {
					return t + 4 + l, e
				}
			}
		}
	}
	return -1, -1
}

// emailEnd returns the end of the pattern's last part at i: the end of
// the text, a rune not in [\w@.-], or '.' before the end of the text or a
// rune not in \w; -1 when none fits.
func emailEnd(b []byte, i int) int {
	if i == len(b) {
		return i
	}
	r, w := utf8.DecodeRune(b[i:])
	switch {
	case r == '.':
		if i+1 == len(b) {
			return i + 1
		}
		if r2, w2 := utf8.DecodeRune(b[i+1:]); !isWordRune(r2) {
			return i + 1 + w2
		}
		return -1
	case isWordRune(r) || r == '@' || r == '-':
		return -1
	default:
		return i + w
	}
}

func isAlnum(c byte) bool { return isLetter(c) || isDigit(c) }

// isLDH is a byte of a DNS label: letter, digit, hyphen.
func isLDH(c byte) bool { return isAlnum(c) || c == '-' }

// isEmailLocal is a byte of [A-Za-z0-9._%+-].
func isEmailLocal(c byte) bool { return isLDH(c) || c == '.' || c == '_' || c == '%' || c == '+' }

// isEmailLast is a byte that may end a local part: [A-Za-z0-9_+-].
func isEmailLast(c byte) bool { return isLDH(c) || c == '_' || c == '+' }

// uuidPattern is the built-in uuid-value rule's pattern: a UUID in any
// case, with the start or end of the text or a rune that is not a letter,
// digit or '-' on either side. Both neighbours are part of the match.
const uuidPattern = `(?i)(?:^|[^0-9a-z\-])(?P<value>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[^0-9a-z\-]|$)`

// uuidFinder finds uuidPattern's matches. Every value has a '-' eight
// bytes in, so the '-'s, taken in order, give the candidate values in
// order, and with them the matches: a value's one possible start (the
// rune before it) lies after any earlier value's start. The rune after a
// match belongs to it, so a UUID right after another, one rune apart, is
// not matched, as the regex does not match it.
type uuidFinder struct{}

func (uuidFinder) FindAllIndex(b []byte, n int) [][]int { return uuidAll(b, n, 2) }

func (uuidFinder) FindAllSubmatchIndex(b []byte, n int) [][]int { return uuidAll(b, n, 4) }

const uuidLen = 36

// uuidAll returns uuidPattern's matches in b as a matchList of n and
// width.
func uuidAll(b []byte, n, width int) [][]int {
	l := matchList{n: n, width: width}
	from := 0 // where the search for the next match starts
	for h := 0; !l.full(); h++ {
		k := bytes.IndexByte(b[h:], '-')
		if k < 0 {
			break
		}
		h += k
		v := h - 8
		if v < from || v+uuidLen > len(b) || !isUUID(b[v:v+uuidLen]) {
			continue
		}
		p := v // ^
		if v > 0 {
			r, w := utf8.DecodeLastRune(b[:v])
			if uuidNeighbour(r) {
				continue
			}
			p = v - w
		}
		if p < from {
			continue // its rune before ended the previous match
		}
		end := v + uuidLen
		if end < len(b) {
			r, w := utf8.DecodeRune(b[end:])
			if uuidNeighbour(r) {
				continue
			}
			end += w
		}
		l.add(p, end, v, v+uuidLen)
		from, h = end, end-1
	}
	return l.out
}

// isUUID reports whether v (36 bytes) is 8-4-4-4-12 hex digits.
func isUUID(v []byte) bool {
	for i, c := range v {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !isHexDigit(rune(c)) {
			return false
		}
	}
	return true
}

// uuidNeighbour reports whether r is in (?i)[0-9a-z\-]: case folding
// brings in the Kelvin sign (k) and the long s.
func uuidNeighbour(r rune) bool {
	return r < utf8.RuneSelf && (isAlnum(byte(r)) || r == '-') || r == '\u017f' || r == '\u212a'
}
