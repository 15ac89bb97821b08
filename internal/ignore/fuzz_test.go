package ignore

import (
	"path"
	"strings"
	"testing"
)

// FuzzMatch parses arbitrary pattern text and matches arbitrary paths: it
// must never panic or hang, and must agree with itself on invariants that
// hold for every pattern.
func FuzzMatch(f *testing.F) {
	seeds := [][2]string{
		{"*.log\n!keep.log\n", "a/keep.log"},
		{"/build/\n", "build"},
		{"a/**/b\n", "a/x/y/b"},
		{"**/foo/**\n", "x/foo/y"},
		{"x[!a-c[:digit:]]y\n", "xqy"},
		{`\#x\ \!` + "\n", "#x !"},
		{"[\n", "["},
		{"a\\", "a"},
		{"\ufeff*\r\n", "é/ü"},
		{"*a*a*a*a*a*a*a*a*a*a*b", strings.Repeat("a", 200)},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], false)
	}
	f.Fuzz(func(t *testing.T, patterns, p string, isDir bool) {
		l, err := Parse(strings.NewReader(patterns), "", "f")
		if err != nil {
			t.Fatalf("Parse of an in-memory string failed: %v", err)
		}
		m := (*Matcher)(nil).Push(l)
		got := m.Match(p, isDir)
		if got != m.Match(p, isDir) {
			t.Fatal("Match is not deterministic")
		}
		// The same list rooted one level down must give the same answer for
		// the same path under that directory.
		sub, _ := Parse(strings.NewReader(patterns), "d", "f")
		clean := strings.Trim(path.Clean("/"+p), "/")
		if clean == "" || clean != p {
			return
		}
		if a, b := m.Match(clean, isDir), (*Matcher)(nil).Push(sub).Match("d/"+clean, isDir); a != b {
			t.Fatalf("%q at root: %v, under d/: %v", clean, a, b)
		}
		// A directory-only pattern never ignores a file it would not also
		// ignore as a directory, except through negations.
		if !strings.Contains(patterns, "!") && m.Match(clean, false) && !m.Match(clean, true) {
			t.Fatalf("%q ignored as a file but not as a directory", clean)
		}
	})
}
