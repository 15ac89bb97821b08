package detect

import (
	"regexp/syntax"
	"strings"
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
	re, err := syntax.Parse(c.Pattern, syntax.Perl)
	if err != nil || c.minDigits == 0 || re.Op != syntax.OpAlternate {
		return ""
	}
	values := map[int]bool{}
	for _, i := range c.valueIdx {
		values[i] = true
	}
	var lead []string
	for _, b := range re.Sub {
		if valueDigits(b, values) >= c.minDigits || hasValue(b, values) && !mandatoryValue(b, values) {
			break
		}
		lead = append(lead, b.String())
	}
	if len(lead) == 0 || len(lead) == len(re.Sub) {
		return ""
	}
	return strings.Join(lead, "|")
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
