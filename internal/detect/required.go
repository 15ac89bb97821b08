package detect

import (
	"bytes"
	"cmp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// A keyword says where a rule may match, not that it does: "http" is in
// every log line, a password in a URL (http://user:pass@host) is not; a
// "curl" user agent is common, "curl … -u user:pass" is not. Most patterns
// also need a piece of text that is far rarer than their keyword: the "@"
// of that URL, the "-u" of that command, the upper-case "ATTA" that starts
// a Trello token where the keyword "atta" is also in "attached". The engine
// finds, from the pattern, the rarest text every match holds, and opens a
// keyword's window only when that text occurs in it: one search of the
// buffer per rule and round (bytes.Index), instead of the regex over every
// window.

// maxRequired bounds the length of the required texts looked at, and
// maxTexts their number per rule.
const (
	maxRequired = 16
	maxTexts    = 3
)

// requiredTextsOf returns up to maxTexts texts that every match of the
// parsed pattern re holds and a keyword hit does not show already, rarest first. All are
// looked for, whether or not the model of text that ranks them deems them
// rarer than the keywords: it cannot tell that "://" follows nearly every
// "http" and "@" few, and a search for a common text costs next to
// nothing (hasRequired).
func requiredTextsOf(re *syntax.Regexp, keywords [][]byte) [][]byte {
	type scored struct {
		t     string
		score float64
	}
	var ts []scored
	for _, t := range requiredTexts(re) {
		if !impliedByKeywords(t, keywords) && !slices.ContainsFunc(ts, func(x scored) bool { return x.t == t }) {
			ts = append(ts, scored{t, textScore(t)})
		}
	}
	slices.SortStableFunc(ts, func(a, b scored) int { return cmp.Compare(a.score, b.score) })
	if len(ts) == 0 {
		return nil
	}
	var out [][]byte
	for _, x := range ts[:min(len(ts), maxTexts)] {
		out = append(out, []byte(x.t))
	}
	return out
}

// textScore estimates how often t occurs per byte of text (score.go).
func textScore(t string) float64 {
	s := make(seq, len(t))
	for i := 0; i < len(t); i++ {
		s[i].add(t[i])
	}
	return seqScore(s)
}

// impliedByKeywords reports whether a keyword hit tells as much as t: t
// lies in each keyword (which are lower case) and has no upper-case
// letter. An upper-case text still says something: "ATTA" where the
// keyword "atta" is also in "attached".
func impliedByKeywords(t string, keywords [][]byte) bool {
	if strings.ToLower(t) != t {
		return false
	}
	for _, k := range keywords {
		if !bytes.Contains(k, []byte(t)) {
			return false
		}
	}
	return len(keywords) > 0
}

// requiredTexts returns texts (ASCII, case as written) every string
// matching re holds.
func requiredTexts(re *syntax.Regexp) []string {
	if set := finiteStrings(re); set != nil {
		return clip(commonAll(set))
	}
	switch re.Op {
	case syntax.OpLiteral:
		return literalPieces(re)
	case syntax.OpCapture, syntax.OpPlus:
		return requiredTexts(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredTexts(re.Sub[0])
		}
	case syntax.OpConcat:
		// Adjacent parts that match few strings are taken together: the
		// parser writes (?:-u|--user) as -(?:u|-user), whose parts hold
		// only "-" and "u" apart but "-u" together.
		var out []string
		var run []string // the strings of the parts since the last flush
		flush := func() {
			if run != nil {
				out = append(out, commonAll(run)...)
				run = nil
			}
		}
		for _, sub := range re.Sub {
			set := finiteStrings(sub)
			switch {
			case set != nil && run != nil && len(run)*len(set) <= maxFinite:
				run = product(run, set)
			case set != nil:
				flush()
				run = set
			default:
				flush()
				out = append(out, requiredTexts(sub)...)
			}
		}
		flush()
		return clip(out)
	case syntax.OpAlternate:
		out := requiredTexts(re.Sub[0])
		for _, sub := range re.Sub[1:] {
			out = common(out, requiredTexts(sub))
		}
		return out
	}
	return nil
}

// maxFinite bounds the strings finiteStrings lists.
const maxFinite = 16

// finiteStrings returns every string re matches when they are few (at
// most maxFinite) and ASCII, matched as written (no case folding), or nil.
// Empty-width assertions match the empty string: they add no text.
func finiteStrings(re *syntax.Regexp) []string {
	if emptyWidth(re) {
		return []string{""}
	}
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || !ascii(re.Rune) {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi >= utf8.RuneSelf || int(hi-lo)+1+len(out) > maxFinite {
				return nil
			}
			for r := lo; r <= hi; r++ {
				out = append(out, string(r))
			}
		}
		return out
	case syntax.OpCapture:
		return finiteStrings(re.Sub[0])
	case syntax.OpQuest:
		sub := finiteStrings(re.Sub[0])
		if sub == nil || len(sub)+1 > maxFinite {
			return nil
		}
		return append([]string{""}, sub...)
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			set := finiteStrings(sub)
			if set == nil || len(out)*len(set) > maxFinite {
				return nil
			}
			out = product(out, set)
		}
		return out
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set := finiteStrings(sub)
			if set == nil || len(out)+len(set) > maxFinite {
				return nil
			}
			out = append(out, set...)
		}
		return out
	}
	return nil
}

// product returns every string of a followed by one of b.
func product(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// commonAll returns the maximal texts (common) that lie in every string of
// set.
func commonAll(set []string) []string {
	out := []string{set[0]}
	for _, s := range set[1:] {
		out = common(out, []string{s})
	}
	var kept []string
	for _, t := range out {
		if t != "" {
			kept = append(kept, t)
		}
	}
	return kept
}

func ascii(rs []rune) bool {
	for _, r := range rs {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// literalPieces returns the parts of a literal that hold as written: all
// of it, or under case folding its runs of characters without case.
func literalPieces(re *syntax.Regexp) []string {
	if !ascii(re.Rune) {
		return nil
	}
	if re.Flags&syntax.FoldCase == 0 {
		return clip([]string{string(re.Rune)})
	}
	var out []string
	run := ""
	for _, r := range re.Rune {
		if isLetter(byte(r)) {
			if run != "" {
				out = append(out, run)
			}
			run = ""
			continue
		}
		run += string(r)
	}
	if run != "" {
		out = append(out, run)
	}
	return clip(out)
}

// clip cuts texts to maxRequired bytes.
func clip(ts []string) []string {
	for i, t := range ts {
		if len(t) > maxRequired {
			ts[i] = t[:maxRequired]
		}
	}
	return ts
}

// common returns the maximal texts that lie in one of a and in one of b:
// for each text of a, its longest pieces in b, then shorter ones that are
// not inside a piece already taken ("x-", "-u" and "y" for "x-uy" and
// "x--usery").
func common(a, b []string) []string {
	var out []string
	for _, x := range a {
		for n := len(x); n > 0; n-- {
			for i := 0; i+n <= len(x); i++ {
				piece := x[i : i+n]
				if containedIn(piece, b) && !containedIn(piece, out) {
					out = append(out, piece)
				}
			}
		}
	}
	return out
}

func containedIn(t string, in []string) bool {
	for _, s := range in {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// hasRequired reports whether each of rule c's required texts lies whole
// in buf[lo:hi). Calls for one rule in a round come with lo non-decreasing:
// the position of the next occurrence of each is kept (s.rareAt) and the
// buffer searched once.
func (s *scanner) hasRequired(c *compiled, lo, hi int) bool {
	lo, hi = max(lo, 0), min(hi, len(s.buf))
	for j, t := range c.rare {
		at := &s.rareAt[c.rareSlot+j]
		if *at < lo {
			if i := bytes.Index(s.buf[lo:], t); i >= 0 {
				*at = lo + i
			} else {
				*at = len(s.buf)
			}
		}
		if *at+len(t) > hi {
			return false
		}
	}
	return true
}
