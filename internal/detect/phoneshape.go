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
func phoneRun(text []byte, start, end int) bool { return phoneRunWith(text, start, end, nil, false) }

// nationalPhoneRun is phoneRun for the phone_national check: the value
// also follows nothing that nationalLead turns down. A national number
// begins and ends with a digit (nationalForm), so only the value from the
// first digit group to the last is tried, not each one with separators
// around it: on the benchmark corpus' logs, whose dates and times are
// runs of digit groups, those were most of this shape's cost.
func nationalPhoneRun(text []byte, start, end int) bool {
	return phoneRunWith(text, start, end, nationalLead, true)
}

// formattedPhoneRun is phoneRun for the phone_formatted check: the value
// is also written in one of its forms (phoneFormatted).
func formattedPhoneRun(text []byte, start, end int) bool {
	return phoneRunWith(text, start, end, func(text []byte, p, q int) bool { return phoneFormatted(text[p:q]) }, false)
}

// phoneRunWith is phoneRun with a further test of a value text[p:q] (nil:
// none): the test of a check that asks more of a number than phone does.
// digitEdges says that test passes only values that begin and end with a
// digit.
func phoneRunWith(text []byte, start, end int, also func(text []byte, p, q int) bool, digitEdges bool) bool {
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
			if digits >= 7 && phoneAt(text, start, end, groups, a, b, also, digitEdges) {
				return true
			}
		}
	}
	return false
}

// phoneAt reports whether a value holding exactly the digit groups a..b of
// the run text[start:end] could pass: it tries every start in the
// separators before group a and every end in those after group b where the
// value stands alone (and passes also, if any); only group a's start and
// group b's end when digitEdges.
func phoneAt(text []byte, start, end int, groups []span, a, b int, also func(text []byte, p, q int) bool, digitEdges bool) bool {
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
	if digitEdges {
		from, to = groups[a].start, groups[b].end
	}
	for p := groups[a].start; p >= from; p-- {
		if p > 0 && isWordByte(text[p-1]) {
			continue
		}
		for q := groups[b].end; q <= to; q++ {
			if phoneAlone(text, p, q) && (also == nil || also(text, p, q)) && validate.PhoneShaped(string(text[p:q])) {
				return true
			}
		}
	}
	return false
}

// nationalLead reports whether text[p:q] is written the national way
// (nationalForm) and may be a telephone number for what it follows. Digits after
// "$", "#", "@", "%", "&", "~", a backslash, a dash, a slash, a dot or a
// plus are an amount, an id, a reference, a version or an international
// number's tail. A number grouped with spaces after a colon, "12, ",
// "12; " or "3 " continues a time, a list or a bigger number, and after a
// quote and a space it is an access log's status and size ("GET /"
// 404 63259). One grouped with dashes, slashes or dots after "12," or
// "12:" is the next item of a list or a time. After "apt", "suite",
// "room" and the like it is an address.
func nationalLead(text []byte, p, q int) bool {
	if !nationalForm(text[p:q]) {
		return false
	}
	if p == 0 {
		return true
	}
	switch text[p-1] {
	case '$', '.', '+', '/', '\\', '#', '@', '&', '%', '~', '-':
		return false
	}
	digitBefore := func(i int) bool { return i >= 0 && text[i] >= '0' && text[i] <= '9' }
	if bytes.ContainsAny(text[p:q], "-/.") {
		if (text[p-1] == ',' || text[p-1] == ':') && digitBefore(p-2) {
			return false
		}
	} else {
		switch c := text[p-1]; {
		case c == ':':
			return false
		case (c == ',' || c == ';') && digitBefore(p-2):
			return false
		case c == ' ' && (digitBefore(p-2) || p >= 2 && text[p-2] == '"'):
			return false
		case c == ' ' && p >= 3 && (text[p-2] == ',' || text[p-2] == ';' || text[p-2] == ':') && digitBefore(p-3):
			return false
		}
	}
	return !unitBefore(text, p)
}

// unitWords are the words before a number that make it part of an address
// (a flat, a suite, a post-office box), lower case.
var unitWords = lowerAll([]string{"apt", "apartment", "suite", "ste", "unit", "flat", "room", "rm", "box", "bldg", "building", "floor"})

// unitBefore reports whether text[:p] ends with a unit word standing as a
// word, an optional dot and one space or tab.
func unitBefore(text []byte, p int) bool {
	if p < 2 || text[p-1] != ' ' && text[p-1] != '\t' {
		return false
	}
	e := p - 1
	if text[e-1] == '.' {
		e--
	}
	for _, w := range unitWords {
		s := e - len(w)
		if s >= 0 && equalFold(text[s:e], w) && (s == 0 || !isWordByte(text[s-1])) {
			return true
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

// nationalForm reports whether v is a number written the national way:
// groups of digits, each separator one of
//   - dashes: 2-5 digits, then 1-4 groups of 2-8 ("06-10446904");
//   - a slash: 0 and 2-5 digits, "/" or "/ ", 3-10 digits, then up to 3
//     groups of 1-10 after a space or dash ("030/2094 7731");
//   - dots: five pairs ("01.42.68.53.00");
//   - spaces: 3-5 digits and 1-4 groups of 2-8 ("020 7946 0018"), pairs
//     and a group of 3-8 and up to 3 more of 2-8 ("06 12 345 678"), or 0,
//     a digit and four pairs ("01 42 68 53 00").
//
// An IPv4 address, a version or a timestamp has other groups.
func nationalForm(v []byte) bool {
	var gstore [12]int // digits per group
	var sstore [12]byte
	groups, seps := gstore[:0], sstore[:0] // seps[i] follows groups[i]; "/ " is '/'
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if j == i || len(groups) == len(gstore) {
			return false // no digit where a group begins, or too many groups
		}
		groups = append(groups, j-i)
		if j == len(v) {
			break
		}
		seps = append(seps, v[j])
		i = j + 1
		if v[j] == '/' && i < len(v) && v[i] == ' ' {
			i++
		}
		if i == len(v) {
			return false // a separator ends it
		}
	}
	if len(groups) < 2 {
		return false
	}
	all := func(sep byte) bool { return bytes.Count(seps, []byte{sep}) == len(seps) }
	switch seps[0] {
	case '-':
		return all('-') && len(groups) <= 5 && within(groups[0], 2, 5) && allWithin(groups[1:], 2, 8)
	case '/':
		if v[0] != '0' || !within(groups[0], 3, 6) || !within(groups[1], 3, 10) || len(groups) > 5 {
			return false
		}
		for i, sep := range seps[1:] {
			if sep != ' ' && sep != '-' || !within(groups[i+2], 1, 10) {
				return false
			}
		}
		return true
	case '.':
		return all('.') && len(groups) == 5 && allWithin(groups, 2, 2)
	case ' ':
		return all(' ') && spacedNational(v[0], groups)
	}
	return false
}

// within reports whether lo <= x <= hi.
func within(x, lo, hi int) bool { return x >= lo && x <= hi }

// allWithin reports whether every group is within lo..hi.
func allWithin(groups []int, lo, hi int) bool {
	for _, g := range groups {
		if !within(g, lo, hi) {
			return false
		}
	}
	return true
}

// spacedNational reports whether digit groups separated by spaces, the
// first beginning with first, are one of nationalForm's spaced forms.
func spacedNational(first byte, groups []int) bool {
	// 3-5 digits and 1-4 groups of 2-8.
	if within(groups[0], 3, 5) && len(groups) <= 5 && allWithin(groups[1:], 2, 8) {
		return true
	}
	// 0, a digit and four pairs.
	if first == '0' && len(groups) == 5 && allWithin(groups, 2, 2) {
		return true
	}
	// 1-4 pairs, a group of 3-8, up to 3 groups of 2-8.
	pairs := 0
	for pairs < len(groups) && groups[pairs] == 2 {
		pairs++
	}
	for k := 1; k <= min(pairs, 4); k++ {
		if k < len(groups) && within(groups[k], 3, 8) && len(groups)-k-1 <= 3 && allWithin(groups[k+1:], 2, 8) {
			return true
		}
	}
	return false
}

// phoneFormatted reports whether v is a telephone number in a format that
// is itself the evidence: international ("+44 20 7946 0018"), an area code
// in parentheses ("(212) 555-0147"), or the North American 3-3-4 grouping
// with dashes or dots ("415-555-2671", "1-415-555-2671", "001.415.555.2671").
// An IPv4 address, a date or a bare run of digits is none of them.
func phoneFormatted(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	if v[0] == '+' || v[0] == '(' {
		return true
	}
	n := len(v)
	if n < 12 {
		return false
	}
	tail := v[n-12:] // NNN-NNN-NNNN
	sep := tail[3]
	if sep != '-' && sep != '.' || tail[7] != sep {
		return false
	}
	for i, b := range tail {
		if i != 3 && i != 7 && (b < '0' || b > '9') {
			return false
		}
	}
	switch string(v[:n-12]) {
	case "", "1-", "1 ", "1.", "01-", "01 ", "01.", "001-", "001 ", "001.":
		return true
	}
	return false
}
