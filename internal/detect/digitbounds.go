package detect

import "regexp/syntax"

// A number check accepts a value only if it accepts the value's digits
// alone (validate.NumberDigits), and the engine tries the pieces of a run
// of digits against the check before it opens a window (shape.pieces). In
// logs and exports most runs are long (dates with times, counters, IDs
// glued to hashes) and a checksum passes one piece in ten, so most runs
// had some piece that passed and opened a window the regex then found
// nothing in. Most patterns of numbers also say where a value's digits
// stop: \b, a separator or the end of a line before and after the value.
// For such a rule a value's digits are a whole group of the text's
// digits, from one that follows no digit to one that no digit follows,
// and only such pieces need the check.

// digitBounded reports whether, in every match of the parsed pattern re,
// the value (the groups idx; the whole match when idx is empty) neither
// begins with a digit that follows a digit of the text nor ends with one
// that a digit follows. It answers from the pattern's structure, and
// false when unsure.
func digitBounded(re *syntax.Regexp, idx []int) bool {
	if len(idx) == 0 {
		// The whole match: only what it holds guards its edges.
		return guards([]*syntax.Regexp{re}, true, true) && guards([]*syntax.Regexp{re}, false, true)
	}
	for _, cap := range idx {
		path := capturePath(re, cap)
		if path == nil {
			return false
		}
		v := []*syntax.Regexp{path[len(path)-1]}
		if !guards(v, true, true) && !guards(beside(path, false), false, false) ||
			!guards(v, false, true) && !guards(beside(path, true), true, false) {
			return false
		}
	}
	return true
}

// capturePath returns the nodes from re down to the capture numbered cap,
// or nil when it is missing or lies under a repetition (a value matched
// more than once has other neighbours than its pattern shows).
func capturePath(re *syntax.Regexp, cap int) []*syntax.Regexp {
	if re.Op == syntax.OpCapture && re.Cap == cap {
		return []*syntax.Regexp{re}
	}
	switch re.Op {
	case syntax.OpStar, syntax.OpPlus:
		return nil
	case syntax.OpRepeat:
		if re.Max != 1 {
			return nil
		}
	}
	for _, sub := range re.Sub {
		if p := capturePath(sub, cap); p != nil {
			return append([]*syntax.Regexp{re}, p...)
		}
	}
	return nil
}

// beside returns what a match holds after the last node of path (forward)
// or before it (nearest first): the rest of each concatenation on the way
// up, innermost first.
func beside(path []*syntax.Regexp, forward bool) []*syntax.Regexp {
	var rest []*syntax.Regexp
	for i := len(path) - 2; i >= 0; i-- {
		p := path[i]
		if p.Op != syntax.OpConcat {
			continue
		}
		for j, sub := range p.Sub {
			if sub != path[i+1] {
				continue
			}
			if forward {
				rest = append(rest, p.Sub[j+1:]...)
			} else {
				for k := j - 1; k >= 0; k-- {
					rest = append(rest, p.Sub[k])
				}
			}
		}
	}
	return rest
}

// guards reports whether every way seq can match keeps a digit at the
// value's edge from touching a digit across it. seq is read away from the
// edge: forward from the value's start (inside) or its end (outside),
// backward from its end (inside) or its start (outside). Inside the value
// the edge is safe when the value's outermost byte there is not a digit,
// when the value has no bytes, or at \b, ^ or $; outside it, when the first
// byte met is not a digit or at the same assertions. The pattern's own
// end, outside, guards nothing: any byte may lie there.
func guards(seq []*syntax.Regexp, forward, inside bool) bool {
	if len(seq) == 0 {
		return inside
	}
	e, tail := seq[0], seq[1:]
	with := func(first ...*syntax.Regexp) []*syntax.Regexp {
		return append(append([]*syntax.Regexp{}, first...), tail...)
	}
	switch e.Op {
	case syntax.OpWordBoundary, syntax.OpBeginText, syntax.OpBeginLine, syntax.OpEndText, syntax.OpEndLine:
		// At the edge: across \b a digit has no word byte, across a
		// line's or the text's edge a newline or nothing.
		return true
	case syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		// \B says nothing about digits; the next byte decides.
		return guards(tail, forward, inside)
	case syntax.OpLiteral:
		if len(e.Rune) == 0 {
			return guards(tail, forward, inside)
		}
		r := e.Rune[0]
		if !forward {
			r = e.Rune[len(e.Rune)-1]
		}
		return r < '0' || r > '9'
	case syntax.OpCharClass:
		for i := 0; i+1 < len(e.Rune); i += 2 {
			if e.Rune[i] <= '9' && e.Rune[i+1] >= '0' {
				return false
			}
		}
		return true
	case syntax.OpCapture:
		return guards(with(e.Sub[0]), forward, inside)
	case syntax.OpConcat:
		subs := e.Sub
		if !forward {
			subs = make([]*syntax.Regexp, len(e.Sub))
			for i, s := range e.Sub {
				subs[len(e.Sub)-1-i] = s
			}
		}
		return guards(with(subs...), forward, inside)
	case syntax.OpAlternate:
		for _, alt := range e.Sub {
			if !guards(with(alt), forward, inside) {
				return false
			}
		}
		return true
	case syntax.OpQuest, syntax.OpStar:
		return guards(with(e.Sub[0]), forward, inside) && guards(tail, forward, inside)
	case syntax.OpPlus:
		return guards(with(e.Sub[0]), forward, inside)
	case syntax.OpRepeat:
		if e.Min == 0 && !guards(tail, forward, inside) {
			return false
		}
		return e.Max == 0 || guards(with(e.Sub[0]), forward, inside)
	}
	return false // any byte: unsure
}
