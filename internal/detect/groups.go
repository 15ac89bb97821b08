package detect

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"sync"
	"unicode"
	"unicode/utf8"
)

// RE2 finds where a regex matches several times faster than it finds the
// groups inside a match (which takes its NFA): over the windows of the
// benchmark corpus, 80 against 498 ms for a connection detail's 53,811
// matches, 82 against 221 ms for an e-mail address's 39,936. So the engine
// finds the matches alone, drops those the first check turns down outright
// (a "phone number" that is a date has too few digits), and asks for the
// groups of each one left: anchored at the match, with the byte before it
// as context, on a short piece of text. That search runs on Go's regexp,
// which has RE2's syntax and leftmost-first semantics: on a piece of a few
// dozen bytes its backtracker takes half the time of a call into RE2's
// WebAssembly module (1.9 against 3.6 µs for a national phone number), and
// the end it finds is held to RE2's, so that a disagreement falls back to
// RE2's own search of the window.

// anchoredRegexps are a rule's pattern anchored at the start of the text
// (fromStart) and after one rune of context (afterRune). Each is compiled
// on its first use, not with the others: a match at the very start of a
// text is rare, and on a scan where most rules see a match or two the
// compiling is most of their cost (0.19 s of 1.5 s on this repository's
// internal/, all four compiled together).
type anchoredRegexps struct {
	once                 sync.Once
	fromStart, afterRune lazyRegexp
	// consumeStart and consumeAfter are the same for the rule's consuming
	// alternatives alone (consumingPattern); consuming tells whether it
	// has any.
	consumeStart, consumeAfter lazyRegexp
	consuming                  bool
	// reportFirst is the bytes a match of the other alternatives can
	// begin with (reportingFirst), nil when unknown.
	reportFirst *[256]bool
	// backtrackLen is the longest text Go's regexp is asked for a
	// match's groups: as long as its backtracker would take. Beyond it Go
	// runs its NFA, slower than RE2 on a long text. A pattern of over 500
	// instructions gets the NFA at any length (regexp's
	// maxBacktrackProg); on a match of a few dozen bytes that still
	// beats a call into RE2 (phone-number-national, 713 instructions:
	// 1.1 against 2.7 µs), so the same bound serves.
	backtrackLen int
	err          error
}

// lazyRegexp is a regexp compiled on first use.
type lazyRegexp struct {
	once sync.Once
	expr string
	re   *regexp.Regexp
	err  error
}

func (l *lazyRegexp) get() (*regexp.Regexp, error) {
	l.once.Do(func() { l.re, l.err = regexp.Compile(l.expr) })
	return l.re, l.err
}

// backtrackBits is the most instructions times text bytes for which Go's
// regexp package backtracks (its maxBacktrackVector).
const backtrackBits = 256 * 1024

// anchoredMatchers prepares the rule's anchored regexps, compiling none.
func (c *compiled) anchoredMatchers() (*anchoredRegexps, error) {
	a := &c.anchored
	a.once.Do(func() {
		// (?:…) keeps the groups' numbers; a flag set at the start of the
		// pattern stays inside the group, where it was meant.
		a.fromStart.expr = `\A(?:` + c.Pattern + `)`
		a.afterRune.expr = `\A(?s:.)(?:` + c.Pattern + `)`
		a.backtrackLen, a.err = backtrackLen(a.afterRune.expr)
		a.reportFirst = reportingFirst(c)
		if p := consumingPattern(c); p != "" {
			a.consuming = true
			a.consumeStart.expr = `\A(?:` + p + `)`
			a.consumeAfter.expr = `\A(?s:.)(?:` + p + `)`
		}
		if a.err != nil {
			a.err = fmt.Errorf("rule %s: %w", c.ID, a.err)
		}
	})
	return a, a.err
}

// at returns the regexp of the pair (one anchored at the start of the
// text, one after a rune of context) that matches at text[start:], and
// where in text to run it from.
func (c *compiled) at(fromStart, afterRune *lazyRegexp, text []byte, start int) (*regexp.Regexp, int, error) {
	l, from := fromStart, start
	if start > 0 {
		_, size := utf8.DecodeLastRune(text[:start])
		l, from = afterRune, start-size
	}
	re, err := l.get()
	if err != nil {
		return nil, 0, fmt.Errorf("rule %s: %w", c.ID, err)
	}
	return re, from, nil
}

// backtrackLen returns the longest text that Go's regexp backtracker takes
// for pattern, as regexp.Compile would compile it, were the program short
// enough for it (see anchoredRegexps.backtrackLen).
func backtrackLen(pattern string) (int, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, err
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return 0, err
	}
	return backtrackBits / len(prog.Inst), nil
}

// groupsAt returns the submatch indexes (into text) of the match of c at
// text[start:end], found as a search of all of text finds it, or nil when
// the anchored search disagrees or the match is too long for Go's backtracker
// (the caller then searches all of text). Where the pattern's bytes decide
// the groups (byteSplit) no regex runs.
func (c *compiled) groupsAt(text []byte, start, end int) ([]int, error) {
	if c.split != nil {
		return c.split.groups(text, start, end), nil
	}
	a, err := c.anchoredMatchers()
	if err != nil {
		return nil, err
	}
	// One byte past the match is all an assertion at its end reads; a
	// longer path that the cut lets end early shows as a different end.
	cut := min(end+utf8.UTFMax, len(text))
	if cut-start+utf8.UTFMax > a.backtrackLen {
		return nil, nil // RE2's search of the window is the faster
	}
	re, from, err := c.at(&a.fromStart, &a.afterRune, text, start)
	if err != nil {
		return nil, err
	}
	m := re.FindSubmatchIndex(text[from:cut])
	if m == nil {
		return nil, nil
	}
	skip := start - from // the rune of context
	if from+m[0]+skip != start || from+m[1] != end {
		return nil, nil
	}
	m[0] += skip
	for i := range m {
		if m[i] >= 0 {
			m[i] += from
		}
	}
	return m, nil
}

// consumed reports whether the match of c at text[start:end] comes from one
// of its consuming alternatives, whose value the first check turns down:
// one of them matches at start. It answers false when it cannot tell.
func (c *compiled) consumed(text []byte, start, end int) (bool, error) {
	a, err := c.anchoredMatchers()
	if err != nil {
		return false, err
	}
	if !a.consuming {
		return false, nil
	}
	if a.reportFirst != nil && !a.reportFirst[text[start]] {
		return true, nil // no other alternative begins with this byte
	}
	// The text is cut a rune past the match: a consuming match that ends
	// before the cut read nothing the cut changed (an assertion at its end
	// sees the real next byte); one that ends at the cut may owe it to the
	// cut, and then the answer is "cannot tell".
	cut := min(end+utf8.UTFMax, len(text))
	re, from, err := c.at(&a.consumeStart, &a.consumeAfter, text, start)
	if err != nil {
		return false, err
	}
	m := re.FindIndex(text[from:cut])
	return m != nil && (from+m[1] < cut || cut == len(text)), nil
}

// byteSplit finds a match's groups from its bounds alone, with no regex,
// for a pattern of the form prefix (value) suffix, the value its only
// group, where the bytes decide where the value lies: no byte the prefix
// can hold may begin a value, and no byte the suffix can begin with may
// stand in a value. Then the value begins at the match's first byte that
// can begin one (the prefix holds none), and ends at the first byte after
// that which a value cannot hold (the suffix begins with one), or at the
// match's end. The IPv4 address rule is of this form, its prefix a
// non-word byte and its suffix a CIDR length: its 271k matches in the
// benchmark corpus took a Go regexp search each for what two byte loops
// tell.
type byteSplit struct {
	first [256]bool // bytes a value can begin with
	in    [256]bool // bytes a value can hold
}

// newByteSplit returns the split of the parsed pattern tree, or nil when
// the pattern is not of that form.
func newByteSplit(tree *syntax.Regexp) *byteSplit {
	if tree.Op != syntax.OpConcat || tree.MaxCap() != 1 {
		return nil
	}
	at := -1
	for i, sub := range tree.Sub {
		if sub.Op == syntax.OpCapture {
			at = i
			break
		}
	}
	if at < 0 {
		return nil // the group is nested: its bounds are not the parts'
	}
	value := tree.Sub[at].Sub[0]
	var b byteSplit
	if firstBytes(value, &b.first) {
		return nil // a value may be empty
	}
	heldBytes(value, &b.in)
	var prefix, suffixFirst [256]bool
	for _, sub := range tree.Sub[:at] {
		heldBytes(sub, &prefix)
	}
	for _, sub := range tree.Sub[at+1:] {
		if !firstBytes(sub, &suffixFirst) {
			break
		}
	}
	for x := range 256 {
		if prefix[x] && b.first[x] || suffixFirst[x] && b.in[x] {
			return nil
		}
	}
	return &b
}

// groups returns the submatch indexes of the match text[start:end].
func (b *byteSplit) groups(text []byte, start, end int) []int {
	vs := start
	for vs < end && !b.first[text[vs]] {
		vs++
	}
	ve := vs
	for ve < end && b.in[text[ve]] {
		ve++
	}
	return []int{start, end, vs, ve}
}

// heldBytes adds to set every byte a match of r can hold, more where it
// cannot tell: every byte past ASCII for a class or literal that reaches
// past it, every byte for an operator not known here.
func heldBytes(r *syntax.Regexp, set *[256]bool) {
	switch {
	case emptyWidth(r) || r.Op == syntax.OpNoMatch:
		return
	case r.Op == syntax.OpLiteral:
		for _, c := range r.Rune {
			addRuneBytes(set, c)
			if r.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
					addRuneBytes(set, f)
				}
			}
		}
		return
	case r.Op == syntax.OpCharClass:
		for i := 0; i+1 < len(r.Rune); i += 2 {
			lo, hi := r.Rune[i], r.Rune[i+1]
			for c := lo; c <= hi && c < utf8.RuneSelf; c++ {
				set[c] = true
			}
			if hi >= utf8.RuneSelf {
				addRuneBytes(set, utf8.RuneSelf)
			}
		}
		return
	}
	switch r.Op {
	case syntax.OpCapture, syntax.OpConcat, syntax.OpAlternate, syntax.OpQuest, syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		for _, sub := range r.Sub {
			heldBytes(sub, set)
		}
		return
	}
	for x := range set {
		// '.' without (?s) holds no line break, which lineLead asks.
		set[x] = set[x] || r.Op != syntax.OpAnyCharNotNL || x != '\n'
	}
}

// addRuneBytes adds the bytes of c's UTF-8 encoding: for any rune past
// ASCII, every byte past ASCII (lead and continuation bytes alike).
func addRuneBytes(set *[256]bool, c rune) {
	if c < utf8.RuneSelf {
		set[c] = true
		return
	}
	for x := utf8.RuneSelf; x < 256; x++ {
		set[x] = true
	}
}
