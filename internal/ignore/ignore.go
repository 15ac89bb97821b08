// Package ignore matches paths against gitignore-syntax patterns, the format
// of leakguard's .leakguardignore files and --exclude flags.
//
// A List is the patterns of one file (or one flag set), tied to the directory
// they apply to. A Matcher is a stack of lists from the walk's root down to
// the current directory; deeper lists override shallower ones, and within a
// list the last matching pattern wins, as in git.
//
// The syntax is git's: '#' comments, blank lines, '!' negation, a trailing '/'
// for directories only, a leading or middle '/' to anchor the pattern to the
// list's directory, '*', '?', '[...]' (ranges, '!' or '^' negation, POSIX
// [:name:] classes), '**' as a whole path element, and '\' escapes (including
// "\#", "\!" and "\ " for a trailing space). Matching is case-sensitive and
// works on runes rather than bytes, so '?' matches one character of a UTF-8
// name. A carriage return ending a line is dropped.
//
// Like git, a path inside an ignored directory cannot be re-included: a
// walker that skips ignored directories gets that for free; Match itself
// looks at the one path it is given.
package ignore

import (
	"bufio"
	"errors"
	"io"
	"path"
	"strings"
)

// List is the compiled patterns of one source, applying to paths under base.
// It is immutable and safe for concurrent use.
type List struct {
	name     string
	base     string // slash-separated, relative to the walk's root; "" for the root
	patterns []*Pattern
}

// Parse reads gitignore-syntax lines from r. base is the directory the
// patterns are relative to, as a slash path relative to the walk's root (""
// or "." for the root itself); name (a file path, "--exclude") is what
// Pattern.Source reports. The error is only ever a read error from r.
func Parse(r io.Reader, base, name string) (*List, error) {
	l := newList(base, name)
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if line != "" || err == nil {
			if n == 1 {
				line = strings.TrimPrefix(line, "\ufeff") // a BOM from some editors
			}
			l.add(strings.TrimSuffix(line, "\n"), n)
		}
		if errors.Is(err, io.EOF) {
			return l, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Compile builds a list from patterns given one per element, such as
// repeated --exclude flags. Elements are read exactly like lines of a file.
func Compile(patterns []string, base, name string) *List {
	l := newList(base, name)
	for i, p := range patterns {
		l.add(p, i+1)
	}
	return l
}

func newList(base, name string) *List {
	base = strings.Trim(path.Clean("/"+strings.ReplaceAll(base, "\\", "/")), "/")
	return &List{name: name, base: base}
}

func (l *List) add(line string, n int) {
	if p := compile(line, l.name, n); p != nil {
		l.patterns = append(l.patterns, p)
	}
}

// Len is the number of patterns (comments and blank lines are not counted).
func (l *List) Len() int {
	if l == nil {
		return 0
	}
	return len(l.patterns)
}

// Decide returns the last pattern of l that matches relPath, or nil when
// none does or relPath is not under l's base. relPath is slash-separated and
// relative to the walk's root; isDir says whether it names a directory. A
// non-nil result ignores the path unless it is Negated.
func (l *List) Decide(relPath string, isDir bool) *Pattern {
	var buf scratch
	return l.decide(relPath, isDir, &buf)
}

func (l *List) decide(relPath string, isDir bool, buf *scratch) *Pattern {
	if l == nil || len(l.patterns) == 0 {
		return nil
	}
	rel, ok := l.within(relPath)
	if !ok {
		return nil
	}
	s := newSubject(rel)
	for i := len(l.patterns) - 1; i >= 0; i-- {
		if p := l.patterns[i]; p.match(s, isDir, buf) {
			return p
		}
	}
	return nil
}

// within strips l's base from relPath.
func (l *List) within(relPath string) (string, bool) {
	relPath = strings.TrimPrefix(relPath, "/")
	if relPath == "" {
		return "", false // the root itself is never matched
	}
	if l.base == "" {
		return relPath, true
	}
	rest, ok := strings.CutPrefix(relPath, l.base)
	if !ok || len(rest) < 2 || rest[0] != '/' {
		return "", false
	}
	return rest[1:], true
}

// Matcher is a stack of lists, innermost (deepest directory) on top. A nil
// *Matcher is valid and matches nothing. Push returns a new matcher and
// leaves the receiver untouched, so a parallel walk can hand each directory
// its own stack without copying or locking.
type Matcher struct {
	parent *Matcher
	list   *List
}

// Push returns m with l on top. An empty or nil list returns m itself.
func (m *Matcher) Push(l *List) *Matcher {
	if l.Len() == 0 {
		return m
	}
	return &Matcher{parent: m, list: l}
}

// Decide returns the pattern that settles relPath: the last match in the
// topmost list that has one, or nil.
func (m *Matcher) Decide(relPath string, isDir bool) *Pattern {
	var buf scratch
	for x := m; x != nil; x = x.parent {
		if p := x.list.decide(relPath, isDir, &buf); p != nil {
			return p
		}
	}
	return nil
}

// Match reports whether relPath is ignored.
func (m *Matcher) Match(relPath string, isDir bool) bool {
	p := m.Decide(relPath, isDir)
	return p != nil && !p.negate
}
