package detect

import (
	"bytes"

	"github.com/leakguard/leakguard/internal/detect/validate"
)

// The tests of the shapes of telephone numbers and IPv6 addresses
// (shape.go).

// isWordByte reports whether b is an ASCII word character, as \b reads it.
func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}

// phoneAlone reports whether the candidate's value stands apart from the
// words around it, as a telephone number in text does: no letter, digit or
// underscore just before it, and none just after it but the "x" or "e" of an
// extension ("x204", "ext. 12"). A value glued to a word is a piece of an
// identifier, a hash or a longer number.
func phoneAlone(text []byte, start, end int) bool {
	if start > 0 && isWordByte(text[start-1]) {
		return false
	}
	if end < len(text) {
		if b := text[end]; isWordByte(b) && b != 'x' && b != 'e' {
			return false
		}
	}
	return true
}

// phoneMaxGap bounds the separators tried around a number's digits; a run
// with a longer stretch of them is let through untested.
const phoneMaxGap = 8

// phoneRun reports whether a telephone number could lie within
// text[start:end]: a value that stands alone (phoneAlone) holds whole
// groups of digits, so it is a sequence of the run's digit groups, with
// some of the separators before and after it, that passes PhoneShaped.
func phoneRun(text []byte, start, end int) bool {
	var store [32]span
	groups := store[:0]
	for i := start; i < end; {
		if text[i] < '0' || text[i] > '9' {
			i++
			continue
		}
		j := i + 1
		for j < end && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		if len(groups) == len(store) {
			return true // a long run of numbers: let the regex judge it
		}
		groups = append(groups, span{i, j})
		i = j
	}
	for a := range groups {
		digits := 0
		for b := a; b < len(groups); b++ {
			digits += groups[b].end - groups[b].start
			if digits > 17 {
				break
			}
			if digits >= 7 && phoneAt(text, start, end, groups, a, b) {
				return true
			}
		}
	}
	return false
}

// phoneAt reports whether a value holding exactly the digit groups a..b of
// the run text[start:end] could pass: it tries every start in the
// separators before group a and every end in those after group b where the
// value stands alone.
func phoneAt(text []byte, start, end int, groups []span, a, b int) bool {
	from, to := start, end // the separators the value may take in
	if a > 0 {
		from = groups[a-1].end
	}
	if b+1 < len(groups) {
		to = groups[b+1].start
	}
	if groups[a].start-from > phoneMaxGap || to-groups[b].end > phoneMaxGap {
		return true
	}
	for p := groups[a].start; p >= from; p-- {
		if p > 0 && isWordByte(text[p-1]) {
			continue
		}
		for q := groups[b].end; q <= to; q++ {
			if phoneAlone(text, p, q) && validate.PhoneShaped(string(text[p:q])) {
				return true
			}
		}
	}
	return false
}

// ipv6Run reports whether an IPv6 address could lie within text[start:end]:
// without "::" an address has eight groups, or six and an IPv4 address, so
// at least six colons. Clock times ("10:00:00") and MAC addresses have
// fewer.
func ipv6Run(text []byte, start, end int) bool {
	run := text[start:end]
	return bytes.Count(run, []byte{':'}) >= 6 || bytes.Contains(run, []byte("::"))
}
