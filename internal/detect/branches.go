package detect

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Some rules match more than they report, on purpose: the phone number
// rules have alternatives that only consume a character before a number
// ("-" in "2024-01-15") so that no number is found inside a date; the
// value such an alternative captures is that one character, which the
// rule's check turns down. A window is only worth opening for a match that
// can become a finding, so the factors of a rule come from the alternatives
// whose value can hold as many digits as the first check needs. Inside a
// window the whole regex runs, the consuming alternatives included.

// reportingPattern returns the parsed pattern of c reduced to the top-level
// alternatives that can yield a value with minDigits digits, or the whole
// pattern.
func reportingPattern(c *compiled) (*syntax.Regexp, error) {
	re, err := syntax.Parse(c.Pattern, syntax.Perl)
	if err != nil || c.minDigits == 0 || re.Op != syntax.OpAlternate {
		return re, err
	}
	values := map[int]bool{}
	for _, i := range c.valueIdx {
		values[i] = true
	}
	var keep []*syntax.Regexp
	for _, b := range re.Sub {
		if valueDigits(b, values) >= c.minDigits {
			keep = append(keep, b)
		}
	}
	if len(keep) == len(re.Sub) || len(keep) == 0 {
		return re, nil
	}
	return &syntax.Regexp{Op: syntax.OpAlternate, Flags: re.Flags, Sub: keep}, nil
}

// valueDigits bounds the digits of the value a match of branch b reports:
// the most any value group in it can hold, or, with none, the most the
// whole branch can.
func valueDigits(b *syntax.Regexp, values map[int]bool) int {
	most, found := 0, false
	var walk func(r *syntax.Regexp)
	walk = func(r *syntax.Regexp) {
		if r.Op == syntax.OpCapture && values[r.Cap] {
			most, found = max(most, maxDigits(r.Sub[0])), true
			return
		}
		for _, sub := range r.Sub {
			walk(sub)
		}
	}
	walk(b)
	if !found {
		return maxDigits(b)
	}
	return most
}

// unbounded stands for "any number of digits".
const unbounded = 1 << 20

// maxDigits bounds the ASCII digits a string matching r can hold.
func maxDigits(r *syntax.Regexp) int {
	switch r.Op {
	case syntax.OpLiteral:
		n := 0
		for _, c := range r.Rune {
			if c >= '0' && c <= '9' {
				n++
			}
		}
		return n
	case syntax.OpCharClass:
		for i := 0; i < len(r.Rune); i += 2 {
			if r.Rune[i] <= '9' && r.Rune[i+1] >= '0' {
				return 1
			}
		}
		return 0
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture:
		return maxDigits(r.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range r.Sub {
			n = min(n+maxDigits(sub), unbounded)
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, sub := range r.Sub {
			n = max(n, maxDigits(sub))
		}
		return n
	case syntax.OpQuest:
		return maxDigits(r.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if maxDigits(r.Sub[0]) > 0 {
			return unbounded
		}
		return 0
	case syntax.OpRepeat:
		d := maxDigits(r.Sub[0])
		if d == 0 {
			return 0
		}
		if r.Max < 0 {
			return unbounded
		}
		return min(d*r.Max, unbounded)
	}
	return 0 // empty-width operators
}

// consumingPattern returns, as a pattern, the leading top-level
// alternatives of c whose value can never hold minDigits digits, or "" when
// there are none. Leftmost-first matching takes the first alternative that
// matches at a position, so a match at which one of them matches comes from
// one of them, and its value is turned down by the first check whatever
// its groups are (groups.go). Only alternatives whose value group always
// takes part qualify: a match without one reports the whole match.
func consumingPattern(c *compiled) string {
	re, n := consumingSplit(c)
	if n == 0 {
		return ""
	}
	lead := make([]string, n)
	for i, b := range re.Sub[:n] {
		lead[i] = b.String()
	}
	return strings.Join(lead, "|")
}

// consumingSplit parses c's pattern and counts its leading consuming
// alternatives (see consumingPattern): 0 when there are none, or when every
// alternative is one.
func consumingSplit(c *compiled) (*syntax.Regexp, int) {
	re, err := syntax.Parse(c.Pattern, syntax.Perl)
	if err != nil || c.minDigits == 0 || re.Op != syntax.OpAlternate {
		return nil, 0
	}
	values := map[int]bool{}
	for _, i := range c.valueIdx {
		values[i] = true
	}
	n := 0
	for _, b := range re.Sub {
		if valueDigits(b, values) >= c.minDigits || hasValue(b, values) && !mandatoryValue(b, values) {
			break
		}
		n++
	}
	if n == len(re.Sub) {
		return nil, 0
	}
	return re, n
}

// reportingFirst returns the bytes a match of one of c's reporting
// alternatives (those after the consuming ones) can begin with, or nil
// when c has no consuming alternatives or one of the others may match
// empty text. A match that begins with any other byte comes from a
// consuming alternative: consumed need not run a regex to say so. For the
// national phone number, whose reporting alternatives begin with a digit,
// that settles "-2024-29169" and `" 404 64336` at their first byte.
func reportingFirst(c *compiled) *[256]bool {
	re, n := consumingSplit(c)
	if n == 0 {
		return nil
	}
	var set [256]bool
	for _, b := range re.Sub[n:] {
		if firstBytes(b, &set) {
			return nil
		}
	}
	return &set
}

// firstBytes adds to set every byte that a non-empty match of r can begin
// with, and reports whether r can match empty text (then what follows r
// may begin a match too). Where it cannot tell, it adds every byte.
func firstBytes(r *syntax.Regexp, set *[256]bool) (nullable bool) {
	if emptyWidth(r) {
		return true
	}
	switch r.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpLiteral:
		if len(r.Rune) == 0 {
			return true
		}
		first := r.Rune[0]
		addRune(set, first)
		if r.Flags&syntax.FoldCase != 0 {
			for f := unicode.SimpleFold(first); f != first; f = unicode.SimpleFold(f) {
				addRune(set, f)
			}
		}
		return false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(r.Rune); i += 2 {
			lo, hi := r.Rune[i], r.Rune[i+1]
			for b := lo; b <= hi && b < utf8.RuneSelf; b++ {
				set[b] = true
			}
			if hi >= utf8.RuneSelf {
				for b := 0xC2; b <= 0xF4; b++ { // every lead byte: a bound, not the exact set
					set[b] = true
				}
			}
		}
		return false
	case syntax.OpCapture:
		return firstBytes(r.Sub[0], set)
	case syntax.OpConcat:
		for _, sub := range r.Sub {
			if !firstBytes(sub, set) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		nullable := false
		for _, sub := range r.Sub {
			nullable = firstBytes(sub, set) || nullable
		}
		return nullable
	case syntax.OpQuest, syntax.OpStar:
		firstBytes(r.Sub[0], set)
		return true
	case syntax.OpPlus:
		return firstBytes(r.Sub[0], set)
	case syntax.OpRepeat:
		if r.Max == 0 {
			return true
		}
		return firstBytes(r.Sub[0], set) || r.Min == 0
	}
	for b := range set { // any character, or an operator not known here
		set[b] = true
	}
	return true
}

// addRune adds the first byte of r's UTF-8 encoding.
func addRune(set *[256]bool, r rune) {
	var buf [utf8.UTFMax]byte
	utf8.EncodeRune(buf[:], r)
	set[buf[0]] = true
}

// hasValue reports whether r holds one of the value groups.
func hasValue(r *syntax.Regexp, values map[int]bool) bool {
	if r.Op == syntax.OpCapture && values[r.Cap] {
		return true
	}
	for _, sub := range r.Sub {
		if hasValue(sub, values) {
			return true
		}
	}
	return false
}

// mandatoryValue reports whether every match of r sets one of the value
// groups: one lies on r's spine of concatenations, groups and repetitions
// of at least one.
func mandatoryValue(r *syntax.Regexp, values map[int]bool) bool {
	switch r.Op {
	case syntax.OpCapture:
		return values[r.Cap] || mandatoryValue(r.Sub[0], values)
	case syntax.OpConcat:
		for _, sub := range r.Sub {
			if mandatoryValue(sub, values) {
				return true
			}
		}
	case syntax.OpPlus:
		return mandatoryValue(r.Sub[0], values)
	case syntax.OpRepeat:
		return r.Min >= 1 && mandatoryValue(r.Sub[0], values)
	}
	return false
}
