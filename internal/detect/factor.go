package detect

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// A rule without keywords still cannot match just anywhere: a US SSN needs
// "ddd-dd-dddd" or nine digits in a row, standing alone, an IBAN two
// letters and two digits at the start of a word. factors derives such
// necessary pieces from the pattern itself: a small set of fixed-length
// byte-class sequences such that every match of the pattern contains, or
// touches, at least one of them. The engine finds all factors of all rules
// in one pass (classDFA) and runs a rule's regex only around their
// occurrences. Because the factors are derived from the regex, never
// written by hand, the prefilter cannot miss a match, and user rules profit
// as much as built-in ones.
//
// The derivation is the prefilter analysis RE2 uses for literal atoms,
// over byte classes: for every node of the parsed pattern it keeps the
// sequences every string of the node starts with, ends with and contains
// (or all its strings exactly, while there are few and they are short),
// combining children by concatenation and union, and trimming the sets to
// a few short sequences as it goes. Trimming only weakens a factor (a
// piece of a necessary sequence is still necessary), so the result stays
// sound.
//
// Assertions matter as much as characters: in a log full of hexadecimal
// ids nine digits in a row are everywhere, nine digits between non-word
// characters are not. A sequence therefore carries what the byte before it
// and the byte after it must be (\b, ^, $), and a factor may include those
// two bytes of context. The start and the end of the text count as a
// virtual byte, vByte, which the scanner feeds the automaton there: UTF-8
// never contains it, and the scanner replaces invalid bytes.

const (
	factorMaxSet = 32 // sequences per set
	factorMaxLen = 20 // classes per sequence
)

// analyser holds the bounds of one analysis: classes per sequence,
// sequences per set, and whether digits are widened (widen). The factors
// of the scan automaton come from the standard one; a rule's confirmation
// sequences (confirm.go) from a longer and exact one.
type analyser struct {
	maxLen, maxSet int
	widen          bool
}

func standard() analyser { return analyser{factorMaxLen, factorMaxSet, true} }

// wide widens set when the analysis does.
func (an analyser) wide(set seqSet) seqSet {
	if an.widen {
		return widenSet(set)
	}
	return set
}

// vByte stands for the edge of the text.
const vByte = 0xFF

type seqSet []seq

// aseq is a sequence with what the bytes around it must be: p before it,
// n after it (allBytes: anything).
type aseq struct {
	p, n byteSet
	c    seq
}

type aset []aseq

// allBytes is the class of every byte: no constraint.
const allWord = ^uint64(0)

var allBytes = byteSet{allWord, allWord, allWord, allWord}

func (b byteSet) and(c byteSet) byteSet {
	return byteSet{b[0] & c[0], b[1] & c[1], b[2] & c[2], b[3] & c[3]}
}
func (b byteSet) empty() bool { return b == byteSet{} }

// plain makes sequences without context.
func plain(set seqSet) aset {
	out := make(aset, len(set))
	for i, s := range set {
		out[i] = aseq{allBytes, allBytes, s}
	}
	return out
}

// materialize turns the context of a into bytes of the sequence: the piece
// the text must contain.
func (a aseq) materialize() seq {
	var s seq
	if a.p != allBytes {
		s = append(s, a.p)
	}
	s = append(s, a.c...)
	if a.n != allBytes {
		s = append(s, a.n)
	}
	return s
}

func materializeAll(set aset) seqSet {
	out := make(seqSet, len(set))
	for i, a := range set {
		out[i] = a.materialize()
	}
	return out
}

// factorInfo describes the strings of a regex node.
type factorInfo struct {
	exact bool   // all is every string of the node
	all   aset   // exact: the strings; else unused
	pre   aset   // every string starts with one of these
	suf   aset   // every string ends with one of these
	mat   seqSet // every string, with its context, contains one of these
}

// unknown is what is known of a node that can match any string.
func (an analyser) unknown() factorInfo {
	e := aset{{allBytes, allBytes, seq{}}}
	return factorInfo{pre: e, suf: e, mat: seqSet{seq{}}}
}

func (an analyser) empty() factorInfo { return an.exactInfo(aset{{allBytes, allBytes, seq{}}}) }

func (an analyser) exactInfo(all aset) factorInfo {
	if len(all) > an.maxSet {
		return an.inexact(all)
	}
	for _, s := range all {
		if len(s.c) > an.maxLen {
			return an.inexact(all)
		}
	}
	return factorInfo{exact: true, all: all, pre: all, suf: all, mat: an.trimSet(materializeAll(all))}
}

// inexact gives up exactness for strings too many or too long to list.
func (an analyser) inexact(all aset) factorInfo {
	return factorInfo{pre: an.trimEdge(all, true), suf: an.trimEdge(all, false), mat: an.trimSet(materializeAll(all))}
}

// factors returns sequences one of which every match of pattern, with the
// byte before and after it, contains; or nil when no useful set exists
// (some match may contain none of the shapes the analysis can express).
func factors(pattern string) seqSet {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return factorsOf(re)
}

// factorsOf is factors of a parsed pattern.
func factorsOf(re *syntax.Regexp) seqSet {
	set := standard().analyse(re).mat
	for _, s := range set {
		if len(s) == 0 {
			return nil
		}
	}
	return set
}

// Word and non-word bytes for \b (RE2's \b is ASCII: digits, letters,
// underscore), and the bytes around a line for ^ and $.
var (
	wordBytes = byteSet{0x03FF_0000_0000_0000, 0x07FF_FFFE_87FF_FFFE, 0, 0}
	nonWord   = byteSet{^wordBytes[0], ^wordBytes[1], allWord, allWord}
	lineEdge  = byteSet{1 << '\n', 0, 0, 1 << (vByte - 192)}
)

func (an analyser) analyse(re *syntax.Regexp) factorInfo {
	switch re.Op {
	case syntax.OpNoMatch:
		return an.exactInfo(aset{})
	case syntax.OpEmptyMatch:
		return an.empty()
	case syntax.OpBeginLine, syntax.OpBeginText:
		// Both as line starts: the engine runs regexes on windows cut at
		// line ends, where ^ and $ hold too.
		return an.exactInfo(aset{{lineEdge, allBytes, seq{}}})
	case syntax.OpEndLine, syntax.OpEndText:
		return an.exactInfo(aset{{allBytes, lineEdge, seq{}}})
	case syntax.OpWordBoundary:
		return an.exactInfo(aset{{wordBytes, nonWord, seq{}}, {nonWord, wordBytes, seq{}}})
	case syntax.OpNoWordBoundary:
		return an.exactInfo(aset{{wordBytes, wordBytes, seq{}}, {nonWord, nonWord, seq{}}})
	case syntax.OpLiteral:
		fi := an.empty()
		for _, r := range re.Rune {
			fi = an.concatInfo(fi, an.exactInfo(plain(an.wide(runeSeqs(r, re.Flags&syntax.FoldCase != 0)))))
		}
		return fi
	case syntax.OpCharClass:
		return an.exactInfo(plain(an.wide(classSeqs(re.Rune))))
	case syntax.OpAnyCharNotNL:
		return an.exactInfo(plain(an.wide(classSeqs([]rune{0, '\n' - 1, '\n' + 1, utf8.MaxRune}))))
	case syntax.OpAnyChar:
		return an.exactInfo(plain(an.wide(classSeqs([]rune{0, utf8.MaxRune}))))
	case syntax.OpCapture:
		return an.analyse(re.Sub[0])
	case syntax.OpConcat:
		fi := an.empty()
		for _, sub := range re.Sub {
			fi = an.concatInfo(fi, an.analyse(sub))
		}
		return fi
	case syntax.OpAlternate:
		fi := an.analyse(re.Sub[0])
		for _, sub := range re.Sub[1:] {
			fi = an.altInfo(fi, an.analyse(sub))
		}
		return fi
	case syntax.OpQuest:
		return an.altInfo(an.empty(), an.analyse(re.Sub[0]))
	case syntax.OpStar:
		return an.unknown()
	case syntax.OpPlus:
		return an.repeatInfo(an.analyse(re.Sub[0]), 1, -1)
	case syntax.OpRepeat:
		return an.repeatInfo(an.analyse(re.Sub[0]), re.Min, re.Max)
	}
	return an.unknown() // an operator not listed
}

// runeSeqs returns the byte sequences of one rune, or of each rune it
// folds to when matched case-insensitively: the ASCII ones as one class,
// the others as their UTF-8 bytes.
func runeSeqs(r rune, fold bool) seqSet {
	orbit := []rune{r}
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			orbit = append(orbit, f)
		}
	}
	var ascii byteSet
	var out seqSet
	for _, f := range orbit {
		if f < utf8.RuneSelf {
			ascii.add(byte(f))
			continue
		}
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], f)
		s := make(seq, n)
		for i := range n {
			s[i].add(buf[i])
		}
		out = append(out, s)
	}
	if ascii.count() > 0 {
		out = append(out, seq{ascii})
	}
	return out
}

// classSeqs returns the byte sequences of a rune class: one class of its
// ASCII members, and for its other members the shapes of 2-, 3- and 4-byte
// UTF-8 (a superset, which keeps the analysis sound: the scanner sees only
// valid UTF-8).
func classSeqs(ranges []rune) seqSet {
	var ascii byteSet
	var widths [5]bool
	for i := 0; i < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo < utf8.RuneSelf {
			ascii = ascii.union(byteRange(byte(lo), byte(min(hi, utf8.RuneSelf-1))))
		}
		for _, w := range []struct {
			n      int
			lo, hi rune
		}{{2, 0x80, 0x7FF}, {3, 0x800, 0xFFFF}, {4, 0x10000, utf8.MaxRune}} {
			if lo <= w.hi && hi >= w.lo {
				widths[w.n] = true
			}
		}
	}
	var out seqSet
	if ascii.count() > 0 {
		out = append(out, seq{ascii})
	}
	cont := byteRange(0x80, 0xBF)
	leads := [5]byteSet{2: byteRange(0xC2, 0xDF), 3: byteRange(0xE0, 0xEF), 4: byteRange(0xF0, 0xF4)}
	for n := 2; n <= 4; n++ {
		if widths[n] {
			s := seq{leads[n]}
			for range n - 1 {
				s = append(s, cont)
			}
			out = append(out, s)
		}
	}
	return out
}

func (an analyser) concatInfo(a, b factorInfo) factorInfo {
	if a.exact && b.exact {
		if all, ok := an.cross(a.all, b.all); ok {
			return an.exactInfo(all)
		}
	}
	var fi factorInfo
	fi.pre = a.pre
	if a.exact {
		if p, ok := an.cross(a.all, b.pre); ok {
			fi.pre = p
		}
	}
	fi.suf = b.suf
	if b.exact {
		if s, ok := an.cross(a.suf, b.all); ok {
			fi.suf = s
		}
	}
	fi.pre, fi.suf = an.trimEdge(fi.pre, true), an.trimEdge(fi.suf, false)
	fi.mat = bestSet(a.mat, b.mat)
	if joined, ok := an.cross(a.suf, b.pre); ok {
		fi.mat = bestSet(fi.mat, an.trimSet(materializeAll(joined)))
	}
	return fi
}

func (an analyser) altInfo(a, b factorInfo) factorInfo {
	if a.exact && b.exact {
		return an.exactInfo(unionA(a.all, b.all))
	}
	return factorInfo{
		pre: an.trimEdge(unionA(a.pre, b.pre), true),
		suf: an.trimEdge(unionA(a.suf, b.suf), false),
		mat: an.trimSet(union(a.mat, b.mat)),
	}
}

// repeatInfo handles x{lo,hi} (hi -1: unbounded). Its strings start with
// lo copies of x, end with lo copies and contain lo copies; while few,
// they are listed exactly.
func (an analyser) repeatInfo(x factorInfo, lo, hi int) factorInfo {
	if lo == 0 {
		if hi == 1 {
			return an.altInfo(an.empty(), x)
		}
		return an.unknown()
	}
	fi := an.empty()
	// More copies than the longest sequence kept add nothing.
	n := min(lo, an.maxLen+1)
	for range n {
		fi = an.concatInfo(fi, x)
	}
	if hi == lo && n == lo {
		return fi
	}
	if fi.exact && x.exact && n == lo && hi > lo && hi-lo <= 3 {
		// x{2,4}: xx, xxx or xxxx, listed while short.
		more := fi
		for range hi - lo {
			more = an.concatInfo(more, x)
			fi = an.altInfo(fi, more)
		}
		return fi
	}
	return factorInfo{pre: fi.pre, suf: fi.suf, mat: fi.mat}
}

// join is x followed by y: the context each puts on the other narrows the
// bytes at the seam. ok is false when nothing can satisfy both.
func join(x, y aseq) (aseq, bool) {
	z := aseq{p: x.p, n: y.n, c: make(seq, 0, len(x.c)+len(y.c))}
	z.c = append(append(z.c, x.c...), y.c...)
	switch {
	case len(x.c) > 0 && len(y.c) > 0:
		z.c[len(x.c)-1] = z.c[len(x.c)-1].and(y.p)
		z.c[len(x.c)] = z.c[len(x.c)].and(x.n)
	case len(x.c) > 0: // y is empty: it constrains the byte after x
		z.c[len(x.c)-1] = z.c[len(x.c)-1].and(y.p)
		z.n = x.n.and(y.n)
	case len(y.c) > 0:
		z.p = x.p.and(y.p)
		z.c[0] = z.c[0].and(x.n)
	default:
		z.p, z.n = x.p.and(y.p), x.n.and(y.n)
	}
	if z.p.empty() || z.n.empty() {
		return z, false
	}
	for _, c := range z.c {
		if c.empty() {
			return z, false
		}
	}
	return z, true
}

// cross returns every sequence of a followed by one of b, unless there
// would be too many.
func (an analyser) cross(a, b aset) (aset, bool) {
	if len(a)*len(b) > an.maxSet*an.maxSet {
		return nil, false
	}
	out := make(aset, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if z, ok := join(x, y); ok {
				out = append(out, z)
			}
		}
	}
	return unionA(nil, out), true
}

func unionA(a, b aset) aset {
	out := make(aset, 0, len(a)+len(b))
	seen := make(map[uint64][]int, len(a)+len(b))
	for _, s := range append(a[:len(a):len(a)], b...) {
		h := seqHash(s.c) ^ seqHash(seq{s.p, s.n})*31
		dup := false
		for _, i := range seen[h] {
			if o := out[i]; o.p == s.p && o.n == s.n && slicesEqual(o.c, s.c) {
				dup = true
				break
			}
		}
		if !dup {
			seen[h] = append(seen[h], len(out))
			out = append(out, s)
		}
	}
	return out
}

func slicesEqual(a, b seq) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// trimEdge shortens the sequences of a prefix set (front: keep the heads
// and what comes before them) or of a suffix set (keep the tails and what
// comes after) to an.maxLen classes, then shorter while there are more
// than an.maxSet; a set of single classes too large becomes their union.
func (an analyser) trimEdge(set aset, front bool) aset {
	n := 0
	for _, s := range set {
		n = max(n, len(s.c))
	}
	n = min(n, an.maxLen)
	for {
		trimmed := make(aset, len(set))
		for i, s := range set {
			if len(s.c) > n {
				if front {
					s = aseq{s.p, allBytes, s.c[:n]}
				} else {
					s = aseq{allBytes, s.n, s.c[len(s.c)-n:]}
				}
			}
			trimmed[i] = s
		}
		out := unionA(nil, trimmed)
		if len(out) <= an.maxSet {
			return out
		}
		if n == 0 {
			return aset{{allBytes, allBytes, seq{}}}
		}
		if n == 1 {
			// One class: the union of all, with the union of the
			// context on the kept side.
			u := aseq{p: allBytes, n: allBytes}
			var c, ctx byteSet
			for _, s := range out {
				if len(s.c) == 0 {
					return aset{{allBytes, allBytes, seq{}}}
				}
				c = c.union(s.c[0])
				if front {
					ctx = ctx.union(s.p)
				} else {
					ctx = ctx.union(s.n)
				}
			}
			u.c = seq{c}
			if front {
				u.p = ctx
			} else {
				u.n = ctx
			}
			return aset{u}
		}
		n--
	}
}
