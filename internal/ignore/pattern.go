package ignore

import (
	"strconv"
	"strings"
)

// Pattern is one compiled line of an ignore file.
type Pattern struct {
	text     string // the line as written, trailing spaces trimmed
	source   string // name of the list it came from
	line     int    // 1-based line number in that list
	negate   bool   // "!pattern": re-include what an earlier pattern ignored
	dirOnly  bool   // "pattern/": matches directories only
	basename bool   // no slash: matched against the last path element at any depth
	toks     []token
	// lit is the whole pattern when it has no wildcard, suffix the literal
	// tail of a "*tail" basename pattern; both skip the general matcher for
	// the most common shapes (".env", "*.log").
	lit    string
	isLit  bool
	suffix string
	isSfx  bool
}

// String returns the pattern as written in its file.
func (p *Pattern) String() string { return p.text }

// Negated reports whether the pattern re-includes ("!") rather than ignores.
func (p *Pattern) Negated() bool { return p.negate }

// Source names where the pattern came from, as "name:line".
func (p *Pattern) Source() string {
	return p.source + ":" + strconv.Itoa(p.line)
}

// compile turns one line into a pattern, or nil for a blank line or comment.
func compile(line string, source string, lineNo int) *Pattern {
	line = strings.TrimSuffix(line, "\r") // files edited on Windows; git keeps the CR, nobody means it
	if line == "" || line[0] == '#' {
		return nil
	}
	line = trimTrailingSpaces(line)
	if line == "" {
		return nil
	}
	p := &Pattern{text: line, source: source, line: lineNo}
	body := line
	if body[0] == '!' {
		p.negate = true
		body = body[1:]
	}
	if strings.HasSuffix(body, "/") && !escapedAt(body, len(body)-1) {
		p.dirOnly = true
		body = body[:len(body)-1]
	}
	if body == "" {
		return nil // "!", "/" and "!/" name nothing
	}
	// A slash at the start or in the middle anchors the pattern to the
	// directory of its file; without one it matches a name at any depth.
	p.basename = !strings.Contains(body, "/")
	body = strings.TrimPrefix(body, "/")
	if body == "" {
		return nil
	}
	p.toks = tokenize(body)
	p.setFastPath()
	return p
}

// trimTrailingSpaces drops unescaped trailing spaces; "\ " keeps its space
// and the backslash, which the matcher reads as an escaped literal.
func trimTrailingSpaces(s string) string {
	end := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			// not significant unless something follows it
		case '\\':
			if i+1 < len(s) {
				i++
			}
			end = i + 1
		default:
			end = i + 1
		}
	}
	return s[:end]
}

// escapedAt reports whether the byte at i is preceded by an odd number of
// backslashes.
func escapedAt(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

type tokKind uint8

const (
	tLit   tokKind = iota // one literal rune
	tAny                  // "?": one rune other than '/'
	tClass                // "[...]": one rune other than '/' in (or not in) the class
	tStar                 // "*": any run of runes without '/'
	tDirs                 // "**/" as a whole element: zero or more leading directories
	tRest                 // "**" as the final element: everything that is left
	tNever                // a malformed pattern (unclosed class, trailing '\'): matches nothing
)

type token struct {
	kind  tokKind
	r     rune
	class *class
}

// tokenize compiles a pattern body (no '!', no leading or trailing '/').
func tokenize(body string) []token {
	rs := []rune(body)
	var toks []token
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; r {
		case '*':
			j := i
			for j < len(rs) && rs[j] == '*' {
				j++
			}
			wholeElem := j-i >= 2 && (i == 0 || rs[i-1] == '/') && (j == len(rs) || rs[j] == '/')
			switch {
			case wholeElem && j == len(rs):
				toks = append(toks, token{kind: tRest})
			case wholeElem:
				toks = append(toks, token{kind: tDirs})
				j++ // the '/' belongs to "**/"
			default:
				toks = append(toks, token{kind: tStar}) // "a**b" is an ordinary star
			}
			i = j - 1
		case '?':
			toks = append(toks, token{kind: tAny})
		case '[':
			c, n, ok := parseClass(rs[i+1:])
			if !ok {
				return []token{{kind: tNever}}
			}
			toks = append(toks, token{kind: tClass, class: c})
			i += n
		case '\\':
			if i+1 == len(rs) {
				return []token{{kind: tNever}}
			}
			i++
			toks = append(toks, token{kind: tLit, r: rs[i]})
		default:
			toks = append(toks, token{kind: tLit, r: r})
		}
	}
	return toks
}

// setFastPath recognises a literal pattern and a "*literal" basename pattern.
func (p *Pattern) setFastPath() {
	var b strings.Builder
	start := 0
	if p.basename && len(p.toks) > 1 && p.toks[0].kind == tStar {
		start = 1
	}
	for _, t := range p.toks[start:] {
		if t.kind != tLit {
			return
		}
		b.WriteRune(t.r)
	}
	if start == 0 {
		p.lit, p.isLit = b.String(), true
	} else {
		p.suffix, p.isSfx = b.String(), true
	}
}

// match reports whether the pattern matches s, a path relative to the
// pattern's base directory. isDir says whether s names a directory.
func (p *Pattern) match(s *subject, isDir bool, buf *scratch) bool {
	if p.dirOnly && !isDir {
		return false
	}
	target := s.path
	if p.basename {
		target = s.base
	}
	switch {
	case p.isLit:
		return target == p.lit
	case p.isSfx:
		return strings.HasSuffix(target, p.suffix) // a basename: no '/' to cross
	}
	if p.basename {
		return runMatch(p.toks, s.baseRunes(), buf)
	}
	return runMatch(p.toks, s.pathRunes(), buf)
}

// subject is a path being matched, with its runes decoded once per list.
type subject struct {
	path, base string
	pr, br     []rune
}

func newSubject(path string) *subject {
	return &subject{path: path, base: path[strings.LastIndexByte(path, '/')+1:]}
}

func (s *subject) pathRunes() []rune {
	if s.pr == nil {
		s.pr = []rune(s.path)
	}
	return s.pr
}

func (s *subject) baseRunes() []rune {
	if s.br == nil {
		s.br = []rune(s.base)
	}
	return s.br
}
