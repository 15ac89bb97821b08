package ignore

import "unicode"

// scratch holds the two state vectors of runMatch so that matching one path
// against many patterns allocates once.
type scratch struct{ cur, next []bool }

func (b *scratch) get(n int) ([]bool, []bool) {
	if cap(b.cur) < n {
		b.cur, b.next = make([]bool, n), make([]bool, n)
	}
	return b.cur[:n], b.next[:n]
}

// runMatch reports whether toks match all of s. It tracks the set of
// positions in s that the tokens so far can end at, one token at a time, so
// it costs O(len(toks)·len(s)) whatever the stars: a pattern in an ignore
// file (which the scanned tree controls) cannot make it backtrack
// exponentially.
func runMatch(toks []token, s []rune, buf *scratch) bool {
	n := len(s)
	cur, next := buf.get(n + 1)
	clear(cur)
	cur[0] = true
	for _, t := range toks {
		clear(next)
		live := false
		switch t.kind {
		case tNever:
			return false
		case tLit, tAny, tClass:
			for i := 0; i < n; i++ {
				if cur[i] && t.accepts(s[i]) {
					next[i+1], live = true, true
				}
			}
		case tStar: // any run without '/'
			on := false
			for j := 0; j <= n; j++ {
				on = on || cur[j]
				if on {
					next[j], live = true, true
				}
				if j < n && s[j] == '/' {
					on = false
				}
			}
		case tDirs: // nothing, or whole elements each ending in '/'
			on := false
			for j := 0; j <= n; j++ {
				if cur[j] {
					on = true
					next[j], live = true, true
				} else if on && s[j-1] == '/' {
					next[j], live = true, true
				}
			}
		case tRest: // everything from the first reachable position on
			on := false
			for j := 0; j <= n; j++ {
				on = on || cur[j]
				if on {
					next[j], live = true, true
				}
			}
		}
		if !live {
			return false
		}
		cur, next = next, cur
	}
	return cur[n]
}

// accepts reports whether a single-rune token matches r. None of them
// matches '/': wildcards never cross a directory boundary.
func (t token) accepts(r rune) bool {
	switch t.kind {
	case tLit:
		return r == t.r
	case tAny:
		return r != '/'
	case tClass:
		return r != '/' && t.class.has(r)
	}
	return false
}

type runeRange struct{ lo, hi rune }

// class is a bracket expression: ranges, named classes, maybe negated.
type class struct {
	negate bool
	ranges []runeRange
	named  []func(rune) bool
}

func (c *class) has(r rune) bool {
	in := false
	for _, rg := range c.ranges {
		if rg.lo <= r && r <= rg.hi {
			in = true
			break
		}
	}
	for _, f := range c.named {
		if in {
			break
		}
		in = f(r)
	}
	return in != c.negate
}

// parseClass reads a bracket expression from rs, which starts just after the
// '['. It returns the class and how many runes it used, including the closing
// ']'. ok is false when the expression is malformed (unclosed, a trailing
// '\', an unknown [:name:]); git then matches nothing, and so do we.
func parseClass(rs []rune) (c *class, n int, ok bool) {
	c = &class{}
	i := 0
	if i < len(rs) && (rs[i] == '!' || rs[i] == '^') {
		c.negate = true
		i++
	}
	first := true // a ']' right after the '[' (or '[!') is literal
	for i < len(rs) {
		r := rs[i]
		if r == ']' && !first {
			return c, i + 1, true
		}
		first = false
		if r == '[' && i+1 < len(rs) && rs[i+1] == ':' {
			if f, used, isNamed := namedClass(rs[i:]); isNamed {
				if f == nil {
					return nil, 0, false
				}
				c.named = append(c.named, f)
				i += used
				continue
			}
		}
		if r == '\\' {
			i++
			if i == len(rs) {
				return nil, 0, false
			}
			r = rs[i]
		}
		i++
		lo, hi := r, r
		if i+1 < len(rs) && rs[i] == '-' && rs[i+1] != ']' {
			hi = rs[i+1]
			i += 2
			if hi == '\\' {
				if i == len(rs) {
					return nil, 0, false
				}
				hi = rs[i]
				i++
			}
		}
		c.ranges = append(c.ranges, runeRange{lo, hi})
	}
	return nil, 0, false
}

// namedClass reads "[:name:]" at the start of rs. isNamed is false when the
// text up to the next ']' does not end in ':', in which case the '[' is an
// ordinary member. f is nil for an unknown name.
func namedClass(rs []rune) (f func(rune) bool, used int, isNamed bool) {
	end := -1
	for j := 2; j < len(rs); j++ {
		if rs[j] == ']' {
			end = j
			break
		}
	}
	if end < 3 || rs[end-1] != ':' {
		return nil, 0, false
	}
	name := string(rs[2 : end-1])
	return classFuncs(name), end + 1, true
}

// classFuncs maps a POSIX class name (case-sensitive, as in git) to a test.
func classFuncs(name string) func(rune) bool {
	switch name {
	case "alnum":
		return func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	case "alpha":
		return unicode.IsLetter
	case "blank":
		return func(r rune) bool { return r == ' ' || r == '\t' }
	case "cntrl":
		return unicode.IsControl
	case "digit":
		return unicode.IsDigit
	case "graph":
		return func(r rune) bool { return unicode.IsGraphic(r) && !unicode.IsSpace(r) }
	case "lower":
		return unicode.IsLower
	case "print":
		return unicode.IsPrint
	case "punct":
		return unicode.IsPunct
	case "space":
		return unicode.IsSpace
	case "upper":
		return unicode.IsUpper
	case "xdigit":
		return func(r rune) bool {
			return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
		}
	}
	return nil
}
