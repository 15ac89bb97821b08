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

// requiredTextsOf returns up to maxTexts texts that every match of pattern
// holds and a keyword hit does not show already, rarest first. All are
// looked for, whether or not the model of text that ranks them deems them
// rarer than the keywords: it cannot tell that "://" follows nearly every
// "http" and "@" few, and a search for a common text costs next to
// nothing (hasRequired).
func requiredTextsOf(pattern string, keywords [][]byte) [][]byte {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
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
	switch re.Op {
	case syntax.OpLiteral:
		return literalPieces(re)
	case syntax.OpCharClass:
		if len(re.Rune) == 2 && re.Rune[0] == re.Rune[1] && re.Rune[0] < utf8.RuneSelf {
			return []string{string(rune(re.Rune[0]))}
		}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredTexts(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredTexts(re.Sub[0])
		}
	case syntax.OpConcat:
		var out []string
		run := "" // adjacent literals join
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral && sub.Flags&syntax.FoldCase == 0 && ascii(sub.Rune) {
				run += string(sub.Rune)
				continue
			}
			if run != "" {
				out = append(out, run)
				run = ""
			}
			out = append(out, requiredTexts(sub)...)
		}
		if run != "" {
			out = append(out, run)
		}
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

// common returns the longest texts that lie in one of a and in one of b.
func common(a, b []string) []string {
	var out []string
	for _, x := range a {
		for n := len(x); n > 0; n-- {
			found := false
			for i := 0; i+n <= len(x); i++ {
				piece := x[i : i+n]
				if containedIn(piece, b) && !containedIn(piece, out) {
					out = append(out, piece)
					found = true
				}
			}
			if found {
				break
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
